import {
  DockerfileParser,
  type Dockerfile,
  type From,
  type ImageTemplate,
  type Instruction,
  type JSONInstruction,
} from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import type { Finding } from '../findings.js';
import { DEPLOYMENT } from '../platform.js';
import type { Repo } from '../repo.js';
import { isDockerIgnored, normalizeContextPath } from './dockerignore.js';

/** A Dockerfile and what its image must run. */
export interface DockerfileTarget {
  /** Path of the Dockerfile relative to the repository root, which is the build context. */
  readonly file: string;
  /** Workspace package that the image runs, such as `@orderflow/payment`. */
  readonly packageName: string;
  readonly port: number;
  /** Path that the HEALTHCHECK requests, such as `/health/live`. */
  readonly healthPath: string;
}

/** Versions that the Dockerfiles must install, read from the root package.json and lockfile. */
export interface ToolVersions {
  readonly pnpm: string | undefined;
  readonly tsx: string | undefined;
}

/** Files that the build stage must copy before it runs `pnpm fetch`. */
export interface FetchInputs {
  /** Dependency patch files, which pnpm fetch reads because the workspace file names them. */
  readonly patchFiles: readonly string[];
}

/** Checks of dockerfile-utils that are off by default and that these Dockerfiles must pass. */
const VALIDATOR_SETTINGS = {
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
} as const;

/** Base image tags must name a full Node.js version on Debian bookworm-slim. */
const NODE_TAG = /^(\d+)\.(\d+)\.(\d+)-bookworm-slim$/;

const SHELL_TOOLS_MISSING_FROM_SLIM = /\b(curl|wget)\b/;

/**
 * Parses a Dockerfile with dockerfile-ast, runs dockerfile-utils' validator on it and checks the
 * rules of this project: pinned base image, non-root user, port, health check, exec-form CMD,
 * COPY sources and the package and tool versions that the build installs.
 */
export function checkDockerfile(
  target: DockerfileTarget,
  text: string,
  repo: Repo,
  dockerignore: readonly string[],
  versions: ToolVersions,
  fetchInputs: FetchInputs = { patchFiles: [] },
): Finding[] {
  const findings: Finding[] = [];
  const report = (rule: string, message: string) =>
    findings.push({ file: target.file, rule: `dockerfile/${rule}`, message });

  for (const diagnostic of validate(text, VALIDATOR_SETTINGS)) {
    report('syntax', `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
  }

  const dockerfile = DockerfileParser.parse(text);
  const froms = dockerfile.getFROMs();
  const lastFrom = froms.at(-1);
  if (!lastFrom) {
    report('from', 'no FROM instruction');
    return findings;
  }
  const stageNames = froms.map((from) => from.getBuildStage()).filter((name) => name !== null);
  const finalStage = dockerfile.getContainingImage(lastFrom.getRange().start) ?? dockerfile;

  for (const from of froms) checkFrom(from, stageNames, report);
  checkUser(finalStage, report);
  checkPort(finalStage, target, report);
  checkHealthcheck(finalStage, target, report);
  checkCmd(finalStage, report);
  checkCopySources(dockerfile, stageNames, repo, dockerignore, report);
  checkPackageFilter(dockerfile, target, report);
  checkToolVersions(dockerfile, versions, report);
  checkPatchesBeforeFetch(dockerfile, fetchInputs, report);
  return findings;
}

/** Returns the image of every FROM that is not an earlier stage, such as `node:20.20.2-...`. */
export function baseImages(text: string): string[] {
  const froms = DockerfileParser.parse(text).getFROMs();
  const stageNames = new Set(froms.map((from) => from.getBuildStage()));
  return froms
    .map((from) => from.getImage())
    .filter((image): image is string => image !== null && !stageNames.has(image));
}

type Report = (rule: string, message: string) => void;

function checkFrom(from: From, stageNames: readonly string[], report: Report): void {
  const image = from.getImage();
  if (image === null || stageNames.includes(image)) return;
  const line = from.getRange().start.line + 1;
  if (from.getImageDigest() !== null) return;

  const tag = from.getImageTag();
  if (tag === null || tag === 'latest') {
    report('from-pinned', `line ${line}: ${image} is not pinned; name a full version tag`);
    return;
  }
  if (from.getImageName() !== 'node' || !NODE_TAG.test(tag)) {
    const expected = 'node:<major>.<minor>.<patch>-bookworm-slim';
    report('from-pinned', `line ${line}: base image ${image} is not ${expected}`);
  }
}

function lastArgument(instructions: readonly Instruction[]): string | undefined {
  return instructions.at(-1)?.getArguments()[0]?.getValue();
}

function instructionsOf(stage: ImageTemplate, keyword: string): Instruction[] {
  return stage.getInstructions().filter((instruction) => instruction.getKeyword() === keyword);
}

function checkUser(stage: ImageTemplate, report: Report): void {
  const user = lastArgument(instructionsOf(stage, 'USER'));
  if (user === undefined) {
    report('user', 'the final stage has no USER, so the container runs as root');
    return;
  }
  const name = user.split(':')[0];
  if (name === 'root' || name === '0') {
    report('user', `the final stage runs as ${user}; switch to a non-root user such as node`);
  }
}

function checkPort(stage: ImageTemplate, target: DockerfileTarget, report: Report): void {
  const exposed = instructionsOf(stage, 'EXPOSE').flatMap((instruction) =>
    instruction.getArguments().map((argument) => argument.getValue().replace(/\/tcp$/, '')),
  );
  if (exposed.length !== 1 || exposed[0] !== String(target.port)) {
    const found = exposed.length === 0 ? 'none' : exposed.join(', ');
    report('expose', `EXPOSE must name exactly port ${target.port}; found ${found}`);
  }

  const env = environmentOf(stage);
  if (env.get('PORT') !== String(target.port)) {
    report('env', `ENV PORT must be ${target.port}; found ${env.get('PORT') ?? 'none'}`);
  }
  if (env.get('HOST') !== DEPLOYMENT.containerHost) {
    const found = env.get('HOST') ?? 'none';
    report(
      'env',
      `ENV HOST must be ${DEPLOYMENT.containerHost} to accept connections; found ${found}`,
    );
  }
}

function environmentOf(stage: ImageTemplate): Map<string, string> {
  const env = new Map<string, string>();
  for (const instruction of stage.getENVs()) {
    for (const property of instruction.getProperties()) {
      env.set(property.getName(), property.getValue() ?? '');
    }
  }
  return env;
}

function jsonArguments(instruction: JSONInstruction): string[] {
  return instruction.getJSONStrings().map((argument) => argument.getJSONValue());
}

function checkHealthcheck(stage: ImageTemplate, target: DockerfileTarget, report: Report): void {
  const healthcheck = stage.getHEALTHCHECKs().at(-1);
  if (!healthcheck) {
    report('healthcheck', 'the final stage has no HEALTHCHECK');
    return;
  }
  const subcommand = healthcheck.getSubcommand()?.getValue().toUpperCase();
  if (subcommand !== 'CMD') {
    report('healthcheck', `HEALTHCHECK must run a command; found ${subcommand ?? 'nothing'}`);
    return;
  }
  const command = healthcheck.getArgumentsContent() ?? '';
  if (!command.includes(`'${target.healthPath}'`)) {
    report('healthcheck', `HEALTHCHECK must request ${target.healthPath}`);
  }
  if (SHELL_TOOLS_MISSING_FROM_SLIM.test(command)) {
    report('healthcheck', 'HEALTHCHECK uses curl or wget, which slim images do not have');
  }
}

function checkCmd(stage: ImageTemplate, report: Report): void {
  const cmd = stage.getCMDs().at(-1);
  if (!cmd) {
    report('cmd', 'the final stage has no CMD');
    return;
  }
  // Shell form runs under /bin/sh -c, which does not pass SIGTERM on to the service.
  if (jsonArguments(cmd).length === 0) {
    report('cmd', 'CMD must use the exec form, such as ["tsx", "src/main.ts"]');
  }
}

function copySources(copy: JSONInstruction): string[] {
  const json = jsonArguments(copy);
  const args = json.length > 0 ? json : copy.getArguments().map((argument) => argument.getValue());
  return args.slice(0, -1);
}

function checkCopySources(
  dockerfile: Dockerfile,
  stageNames: readonly string[],
  repo: Repo,
  dockerignore: readonly string[],
  report: Report,
): void {
  for (const copy of dockerfile.getCOPYs()) {
    const line = copy.getRange().start.line + 1;
    const fromStage = copy.getFromFlag()?.getValue();
    if (fromStage !== undefined && fromStage !== null) {
      if (!stageNames.includes(fromStage)) {
        report('copy', `line ${line}: COPY --from=${fromStage} names no earlier stage`);
      }
      continue;
    }
    for (const source of copySources(copy)) {
      const path = normalizeContextPath(source);
      if (path !== '' && !repo.exists(path)) {
        report('copy', `line ${line}: COPY source ${source} does not exist in the repository`);
      } else if (isDockerIgnored(path, dockerignore)) {
        report('copy', `line ${line}: COPY source ${source} is excluded by .dockerignore`);
      }
    }
  }
}

/**
 * Reports each dependency patch that no COPY before the first `pnpm fetch` brings in: pnpm fetch
 * fails with ERR_PNPM_PATCH_NOT_FOUND without it.
 */
function checkPatchesBeforeFetch(
  dockerfile: Dockerfile,
  fetchInputs: FetchInputs,
  report: Report,
): void {
  const fetch = instructionsOf(dockerfile, 'RUN').find((instruction) =>
    /\bpnpm\s+fetch\b/.test(instruction.getArgumentsContent() ?? ''),
  );
  if (fetch === undefined || fetchInputs.patchFiles.length === 0) return;
  const fetchLine = fetch.getRange().start.line;
  const copied = dockerfile
    .getCOPYs()
    .filter((copy) => copy.getRange().start.line < fetchLine && !copy.getFromFlag())
    .flatMap((copy) => copySources(copy).map(normalizeContextPath));
  for (const patch of fetchInputs.patchFiles) {
    const file = normalizeContextPath(patch);
    const covered = copied.some(
      (source) => source === '' || source === file || file.startsWith(`${source}/`),
    );
    if (!covered) {
      report(
        'patches',
        `line ${fetchLine + 1}: pnpm fetch runs before ${patch} is copied; COPY the patches folder before it`,
      );
    }
  }
}

function runCommands(dockerfile: Dockerfile): string {
  return instructionsOf(dockerfile, 'RUN')
    .map((instruction) => instruction.getArgumentsContent() ?? '')
    .join('\n');
}

function checkPackageFilter(
  dockerfile: Dockerfile,
  target: DockerfileTarget,
  report: Report,
): void {
  const commands = runCommands(dockerfile);
  const packages = new Set(commands.match(/@orderflow\/[a-z0-9-]+/g) ?? []);
  if (!packages.has(target.packageName)) {
    report('package', `no RUN instruction installs ${target.packageName}`);
  }
  for (const name of packages) {
    if (name !== target.packageName) {
      report('package', `RUN names ${name}, but this Dockerfile builds ${target.packageName}`);
    }
  }
}

function checkToolVersions(dockerfile: Dockerfile, versions: ToolVersions, report: Report): void {
  const commands = runCommands(dockerfile);
  const tools = [
    { name: 'pnpm', expected: versions.pnpm, source: '"packageManager" in package.json' },
    { name: 'tsx', expected: versions.tsx, source: 'pnpm-lock.yaml' },
  ];
  for (const tool of tools) {
    const installed = new RegExp(`\\b${tool.name}@(\\S+)`).exec(commands)?.[1];
    if (installed === undefined) {
      report('tools', `no RUN instruction installs ${tool.name}@<version>`);
    } else if (installed !== tool.expected) {
      const expected = tool.expected ?? '(not found)';
      report('tools', `installs ${tool.name}@${installed}, but ${tool.source} has ${expected}`);
    }
  }
}
