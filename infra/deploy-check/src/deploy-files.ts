import type { DockerfileTarget, ToolVersions } from './dockerfile/dockerfile-rules.js';
import { parseDockerignore } from './dockerfile/dockerignore.js';
import type { Finding } from './findings.js';
import { loadK8sManifests, type K8sObject } from './k8s/k8s-files.js';
import { DEPLOYMENT, SANDBOX, SERVICES, type ServiceSpec } from './platform.js';
import { parseInitSql, type InitSqlSummary } from './postgres/init-sql.js';
import type { Repo } from './repo.js';
import { isMapping, mappingAt, stringAt } from './values.js';
import { parseYamlFile } from './yaml-files.js';

/** Paths of the deployment files, relative to the repository root. */
export const PATHS = {
  compose: 'docker-compose.yml',
  k8s: 'infra/k8s',
  initSqlFolder: 'infra/postgres/docker-init',
  initSql: 'infra/postgres/docker-init/01-databases.sql',
  dockerignore: '.dockerignore',
  kafkaScript: 'infra/kafka/kafka.sh',
  lockfile: 'pnpm-lock.yaml',
  workspace: 'pnpm-workspace.yaml',
  rootPackage: 'package.json',
} as const;

/** An image that the platform builds: a service or the sandbox. */
export interface DeployTarget extends DockerfileTarget {
  readonly name: string;
  readonly packageDir: string;
  /** The platform service, or `undefined` for the sandbox. */
  readonly service: ServiceSpec | undefined;
}

/** The deployment files, parsed. A file that is missing or does not parse is `undefined`. */
export interface DeployFiles {
  readonly targets: DeployTarget[];
  readonly compose: unknown;
  readonly k8s: K8sObject[];
  readonly initSql: InitSqlSummary | undefined;
  readonly dockerignore: string[] | undefined;
  readonly versions: ToolVersions;
  /** Dependency patch files that pnpm-workspace.yaml names under `patchedDependencies`. */
  readonly patchFiles: string[];
  /** `version` of each target's package.json, by target name. */
  readonly packageVersions: Map<string, string | undefined>;
  /** `engines.node` of the root package.json, such as `>=20.11`. */
  readonly nodeEngine: string | undefined;
  /** The Kafka release that infra/kafka/kafka.sh pins for the local broker. */
  readonly kafkaVersion: string | undefined;
  /** Folders under services/ that hold a package.json. */
  readonly serviceFolders: string[];
}

/** Returns the seven services and the sandbox, with their Dockerfiles and health routes. */
export function deployTargets(): DeployTarget[] {
  const services = SERVICES.map((service) => ({
    name: service.name,
    packageDir: `services/${service.name}`,
    file: `services/${service.name}/Dockerfile`,
    packageName: `@orderflow/${service.name}`,
    port: service.port,
    healthPath: DEPLOYMENT.liveRoute,
    service,
  }));
  const sandbox = {
    name: SANDBOX.name,
    packageDir: SANDBOX.packageDir,
    file: `${SANDBOX.packageDir}/Dockerfile`,
    packageName: `@orderflow/${SANDBOX.name}`,
    port: SANDBOX.port,
    // The sandbox has no health route; its HEALTHCHECK accepts any response to `/`.
    healthPath: '/',
    service: undefined,
  };
  return [...services, sandbox];
}

function missing(file: string): Finding {
  return { file, rule: 'files/missing', message: 'file not found' };
}

/** Reads and parses every deployment file. Missing files and syntax errors become findings. */
export async function loadDeployFiles(
  repo: Repo,
): Promise<{ files: DeployFiles; findings: Finding[] }> {
  const findings: Finding[] = [];
  const targets = deployTargets();

  const composeText = repo.read(PATHS.compose);
  let compose: unknown;
  if (composeText === undefined) {
    findings.push(missing(PATHS.compose));
  } else {
    const parsed = parseYamlFile(PATHS.compose, composeText);
    findings.push(...parsed.findings);
    compose = parsed.documents[0]?.value;
  }

  const k8s = loadK8sManifests(repo, PATHS.k8s);
  findings.push(...k8s.findings);

  const initSqlText = repo.read(PATHS.initSql);
  let initSql: InitSqlSummary | undefined;
  if (initSqlText === undefined) {
    findings.push(missing(PATHS.initSql));
  } else {
    const parsed = await parseInitSql(PATHS.initSql, initSqlText);
    findings.push(...parsed.findings);
    initSql = parsed.summary;
  }

  const dockerignoreText = repo.read(PATHS.dockerignore);
  if (dockerignoreText === undefined) findings.push(missing(PATHS.dockerignore));

  const rootPackage = parseJson(repo.read(PATHS.rootPackage));
  const workspaceText = repo.read(PATHS.workspace);
  const workspace =
    workspaceText === undefined
      ? undefined
      : parseYamlFile(PATHS.workspace, workspaceText).documents[0]?.value;
  const patches = mappingAt(workspace, 'patchedDependencies');
  const files: DeployFiles = {
    targets,
    compose,
    k8s: k8s.objects,
    initSql,
    dockerignore: dockerignoreText === undefined ? undefined : parseDockerignore(dockerignoreText),
    patchFiles: Object.values(patches).map(String),
    versions: {
      pnpm: stringAt(rootPackage, 'packageManager')
        ?.replace(/^pnpm@/, '')
        .split('+')[0],
      tsx: lockedRootVersion(repo.read(PATHS.lockfile), 'tsx'),
    },
    packageVersions: new Map(
      targets.map((target) => [
        target.name,
        stringAt(parseJson(repo.read(`${target.packageDir}/package.json`)), 'version'),
      ]),
    ),
    nodeEngine: stringAt(mappingAt(rootPackage, 'engines'), 'node'),
    kafkaVersion: /^readonly KAFKA_VERSION=(\S+)$/m.exec(repo.read(PATHS.kafkaScript) ?? '')?.[1],
    serviceFolders: repo
      .list('services')
      .filter((name) => repo.exists(`services/${name}/package.json`)),
  };
  return { files, findings };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Parsed lockfiles by text, because the lockfile is large and the tests check it many times. */
const lockfileCache = new Map<string, unknown>();

/** Returns the version that pnpm-lock.yaml resolves for a dependency of the root package.json. */
function lockedRootVersion(lockfile: string | undefined, name: string): string | undefined {
  if (lockfile === undefined) return undefined;
  if (!lockfileCache.has(lockfile)) {
    lockfileCache.clear();
    lockfileCache.set(lockfile, parseYamlFile(PATHS.lockfile, lockfile).documents[0]?.value);
  }
  const root = mappingAt(mappingAt(lockfileCache.get(lockfile), 'importers'), '.');
  for (const section of ['dependencies', 'devDependencies']) {
    const entry = mappingAt(root, section)[name];
    const version = isMapping(entry) ? stringAt(entry, 'version') : undefined;
    // Versions with peer dependencies look like `1.2.3(peer@4.5.6)`.
    if (version !== undefined) return version.split('(')[0];
  }
  return undefined;
}
