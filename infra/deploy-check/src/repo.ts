import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Read access to the repository, by paths relative to its root with `/` separators. Tests wrap
 * the real repository with `withOverrides` to check a changed copy of one file.
 */
export interface Repo {
  readonly root: string;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Returns the file's text, or `undefined` when the file does not exist. */
  read(path: string): string | undefined;
  /** Returns the names of the entries of a folder, sorted, or `[]` when it does not exist. */
  list(path: string): string[];
}

/** Opens the repository at `root` on disk. */
export function openRepo(root: string): Repo {
  const absolute = (path: string) => join(root, path);
  return {
    root,
    exists: (path) => existsSync(absolute(path)),
    isDirectory: (path) => existsSync(absolute(path)) && statSync(absolute(path)).isDirectory(),
    read: (path) => (existsSync(absolute(path)) ? readFileSync(absolute(path), 'utf8') : undefined),
    list: (path) =>
      existsSync(absolute(path)) && statSync(absolute(path)).isDirectory()
        ? readdirSync(absolute(path)).sort()
        : [],
  };
}

/**
 * Returns a view of `repo` in which each path of `overrides` has the given text, or is missing
 * when the value is `null`. Folders are not affected, so a new file is not listed.
 */
export function withOverrides(repo: Repo, overrides: Record<string, string | null>): Repo {
  const has = (path: string) => Object.hasOwn(overrides, path);
  return {
    root: repo.root,
    exists: (path) => (has(path) ? overrides[path] !== null : repo.exists(path)),
    isDirectory: (path) => repo.isDirectory(path),
    read: (path) => (has(path) ? (overrides[path] ?? undefined) : repo.read(path)),
    list: (path) => repo.list(path).filter((name) => overrides[`${path}/${name}`] !== null),
  };
}

/** Walks up from `start` to the folder that contains pnpm-workspace.yaml. */
export function findRepoRoot(start: string): string {
  let current = resolve(start);
  for (;;) {
    if (existsSync(join(current, 'pnpm-workspace.yaml'))) return current;
    const parent = dirname(current);
    if (parent === current) {
      throw new Error(`No pnpm-workspace.yaml found in ${start} or any parent folder.`);
    }
    current = parent;
  }
}
