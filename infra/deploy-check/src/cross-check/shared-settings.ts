import { composeEnvironment, composeServices, composeVolumes } from '../compose/compose-model.js';
import { PATHS, type DeployFiles } from '../deploy-files.js';
import { baseImages } from '../dockerfile/dockerfile-rules.js';
import type { Finding } from '../findings.js';
import { databaseName, passwordVariable, SERVICES } from '../platform.js';
import type { Repo } from '../repo.js';
import { describeDifference, difference, stringAt } from '../values.js';

/** Entries that .dockerignore must contain, because every Dockerfile copies the whole context. */
const REQUIRED_DOCKERIGNORE = ['**/node_modules', '.git'];

/**
 * Checks the settings that several files share: one Node.js base image that satisfies
 * `engines.node`, the Kafka release, the init script's databases and password variables, and
 * the .dockerignore entries that keep host state out of the images.
 */
export function checkSharedSettings(files: DeployFiles, repo: Repo): Finding[] {
  return [
    ...checkBaseImages(files, repo),
    ...checkKafkaImages(files),
    ...checkInitSql(files),
    ...checkDockerignore(files),
  ];
}

function checkBaseImages(files: DeployFiles, repo: Repo): Finding[] {
  const findings: Finding[] = [];
  const images = new Map<string, string[]>();
  for (const target of files.targets) {
    const text = repo.read(target.file);
    if (text === undefined) continue;
    for (const image of new Set(baseImages(text))) {
      images.set(image, [...(images.get(image) ?? []), target.file]);
    }
  }
  if (images.size > 1) {
    const list = [...images].map(([image, users]) => `${image} (${users.join(', ')})`).join('; ');
    findings.push({
      file: 'Dockerfiles',
      rule: 'cross/base-image',
      message: `base images differ: ${list}`,
    });
  }
  for (const image of images.keys()) {
    const version = /^node:(\d+\.\d+\.\d+)/.exec(image)?.[1];
    const problem = version === undefined ? undefined : engineMismatch(version, files.nodeEngine);
    if (problem) {
      findings.push({
        file: PATHS.rootPackage,
        rule: 'cross/node-version',
        message: `${image}: ${problem}`,
      });
    }
  }
  return findings;
}

/**
 * Compares a Node.js version with a `>=major.minor[.patch]` range, the form package.json uses.
 * Returns why the version does not satisfy the range, or `undefined` when it does.
 */
function engineMismatch(version: string, range: string | undefined): string | undefined {
  const minimum = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range ?? '');
  if (!minimum) {
    return `engines.node ${range ?? '(missing)'} is not a >=x.y.z range this check understands`;
  }
  const actual = version.split('.').map(Number);
  const required = minimum.slice(1).map((part) => Number(part ?? 0));
  for (let index = 0; index < 3; index += 1) {
    const delta = (actual[index] ?? 0) - (required[index] ?? 0);
    if (delta > 0) return undefined;
    if (delta < 0) return `Node.js ${version} does not satisfy engines.node ${range}`;
  }
  return undefined;
}

function checkKafkaImages(files: DeployFiles): Finding[] {
  if (files.compose === undefined) return [];
  const findings: Finding[] = [];
  const expected = `apache/kafka:${files.kafkaVersion ?? '(no KAFKA_VERSION in infra/kafka/kafka.sh)'}`;
  for (const [name, service] of Object.entries(composeServices(files.compose))) {
    const image = stringAt(service, 'image') ?? '';
    if (image.startsWith('apache/kafka') && image !== expected) {
      const message = `service ${name}: image ${image} differs from the local broker's release, ${expected}`;
      findings.push({ file: PATHS.compose, rule: 'cross/kafka-version', message });
    }
  }
  return findings;
}

function checkInitSql(files: DeployFiles): Finding[] {
  const summary = files.initSql;
  if (!summary) return [];
  const findings: Finding[] = [];
  const report = (message: string, file: string = PATHS.initSql) =>
    findings.push({ file, rule: 'cross/databases', message });
  const expected = SERVICES.map((service) => databaseName(service.name));

  const roles = difference(summary.roles, expected);
  if (roles.missing.length > 0 || roles.unexpected.length > 0) {
    report(`roles differ from the services: ${describeDifference(roles)}`);
  }
  const databases = difference(
    summary.databases.map((database) => database.name),
    expected,
  );
  if (databases.missing.length > 0 || databases.unexpected.length > 0) {
    report(`databases differ from the services: ${describeDifference(databases)}`);
  }
  for (const database of summary.databases) {
    if (database.owner !== database.name) {
      const owner = database.owner ?? 'no OWNER clause';
      report(`database ${database.name} must be owned by role ${database.name}; found ${owner}`);
    }
  }

  const variables = difference(
    summary.environmentVariables,
    SERVICES.map((service) => passwordVariable(service.name)),
  );
  if (variables.missing.length > 0 || variables.unexpected.length > 0) {
    report(
      `\\getenv variables differ from the services' password variables: ${describeDifference(variables)}`,
    );
  }
  if (files.compose !== undefined) {
    findings.push(...checkPostgresService(files, summary.environmentVariables));
  }
  return findings;
}

/** The compose postgres service must mount the init folder and set every variable it reads. */
function checkPostgresService(files: DeployFiles, variables: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const report = (message: string) =>
    findings.push({
      file: PATHS.compose,
      rule: 'cross/databases',
      message: `service postgres: ${message}`,
    });
  const postgres = composeServices(files.compose).postgres;
  if (postgres === undefined) {
    report('missing');
    return findings;
  }
  const mountsInit = composeVolumes(postgres).some(
    (volume) =>
      volume.type === 'bind' &&
      volume.source?.replace(/^\.\//, '') === PATHS.initSqlFolder &&
      volume.target === '/docker-entrypoint-initdb.d',
  );
  if (!mountsInit) report(`must mount ./${PATHS.initSqlFolder} at /docker-entrypoint-initdb.d`);
  const environment = composeEnvironment(postgres);
  for (const variable of variables) {
    if (!environment.get(variable)) report(`must set ${variable}, which the init script reads`);
  }
  return findings;
}

function checkDockerignore(files: DeployFiles): Finding[] {
  if (!files.dockerignore) return [];
  const findings: Finding[] = [];
  for (const entry of REQUIRED_DOCKERIGNORE) {
    if (!files.dockerignore.includes(entry)) {
      const message = `must contain ${entry}, because every Dockerfile copies the whole build context`;
      findings.push({ file: PATHS.dockerignore, rule: 'cross/dockerignore', message });
    }
  }
  for (const pattern of files.dockerignore.filter((entry) => entry.startsWith('!'))) {
    const message = `exception pattern ${pattern} is not supported by the COPY source check`;
    findings.push({ file: PATHS.dockerignore, rule: 'cross/dockerignore', message });
  }
  return findings;
}
