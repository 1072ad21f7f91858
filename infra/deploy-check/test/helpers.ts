import {
  findRepoRoot,
  openRepo,
  runDeployCheck,
  withOverrides,
  type Finding,
} from '../src/index.js';

/** The real repository, whose deployment files the tests change one at a time. */
export const repo = openRepo(findRepoRoot(import.meta.dirname));

/** Returns an override that replaces the first `search` in `path` by `replacement`. */
export function edit(path: string, search: string, replacement: string): Record<string, string> {
  const text = repo.read(path);
  if (text === undefined || !text.includes(search)) {
    throw new Error(`Test setup: ${path} does not contain ${JSON.stringify(search)}.`);
  }
  return { [path]: text.replace(search, replacement) };
}

/** Runs the whole check on the repository with some files replaced or removed. */
export function findingsWith(overrides: Record<string, string | null>): Promise<Finding[]> {
  return runDeployCheck(withOverrides(repo, overrides));
}

/** Rule ids of the findings, sorted and without repeats. */
export function rulesOf(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((finding) => finding.rule))].sort();
}
