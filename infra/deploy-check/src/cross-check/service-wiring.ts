import {
  composeDependencies,
  composeEnvironment,
  composePorts,
  composeServices,
} from '../compose/compose-model.js';
import type { DeployFiles, DeployTarget } from '../deploy-files.js';
import { PATHS } from '../deploy-files.js';
import type { Finding } from '../findings.js';
import { containersOf } from '../k8s/k8s-rules.js';
import {
  databaseName,
  DEPLOYMENT,
  expectedServiceEnv,
  passwordVariable,
  SANDBOX,
  SERVICES,
} from '../platform.js';
import {
  arrayAt,
  describeDifference,
  difference,
  mappingAt,
  numberAt,
  stringAt,
  type Mapping,
} from '../values.js';

/**
 * Checks that docker-compose.yml and the Kubernetes manifests describe every service and the
 * sandbox the same way: image, port, variable names, database and dependencies.
 */
export function checkServiceWiring(files: DeployFiles): Finding[] {
  const findings: Finding[] = [];
  const folders = difference(
    files.serviceFolders,
    SERVICES.map((service) => service.name),
  );
  if (folders.missing.length > 0 || folders.unexpected.length > 0) {
    const message = `services/ folders differ from the platform's service list: ${describeDifference(folders)}`;
    findings.push({ file: 'services', rule: 'cross/services', message });
  }
  for (const target of files.targets) {
    findings.push(...checkComposeService(files, target));
    findings.push(...checkK8sService(files, target));
  }
  return findings;
}

function expectedImage(files: DeployFiles, target: DeployTarget): string {
  const version = files.packageVersions.get(target.name) ?? '(no version)';
  return `${DEPLOYMENT.imageRepositoryPrefix}${target.name}:${version}`;
}

function checkComposeService(files: DeployFiles, target: DeployTarget): Finding[] {
  const findings: Finding[] = [];
  const report = (message: string) =>
    findings.push({
      file: PATHS.compose,
      rule: 'cross/compose',
      message: `service ${target.name}: ${message}`,
    });
  if (files.compose === undefined) return findings;

  const services = composeServices(files.compose);
  const service = services[target.name];
  if (service === undefined) {
    report('missing');
    return findings;
  }
  const dockerfile = stringAt(mappingAt(service, 'build'), 'dockerfile');
  if (dockerfile !== target.file) {
    report(`build.dockerfile must be ${target.file}; found ${dockerfile ?? 'none'}`);
  }
  const image = stringAt(service, 'image');
  if (image !== expectedImage(files, target)) {
    report(`image must be ${expectedImage(files, target)}; found ${image ?? 'none'}`);
  }

  const ports = composePorts(service);
  const port = String(target.port);
  if (ports.length !== 1 || ports[0]?.published !== port || ports[0]?.target !== port) {
    report(`must publish exactly port ${port} as ${port}`);
  }

  const environment = composeEnvironment(service);
  if (environment.get('PORT') !== port) report(`PORT must be ${port}`);
  if (environment.get('HOST') !== DEPLOYMENT.containerHost) {
    report(`HOST must be ${DEPLOYMENT.containerHost}`);
  }
  if (!target.service) return findings;

  const names = difference(environment.keys(), expectedServiceEnv(target.service));
  if (names.missing.length > 0 || names.unexpected.length > 0) {
    report(`environment variables differ from the platform's: ${describeDifference(names)}`);
  }
  checkDatabaseUrl(environment.get('DATABASE_URL'), target.name, report);
  checkComposePassword(environment.get('PGPASSWORD'), services, target.name, report);
  checkComposeHosts(environment, services, report);
  checkComposeDependencies(service, target, report);
  return findings;
}

/** Checks that a DATABASE_URL names the service's own database and role, and no password. */
function checkDatabaseUrl(
  url: string | null | undefined,
  service: string,
  report: (message: string) => void,
) {
  const expected = databaseName(service);
  if (!url || !URL.canParse(url)) {
    report(`DATABASE_URL ${url ?? '(unset)'} is not a URL`);
    return;
  }
  const parsed = new URL(url);
  if (parsed.username !== expected || parsed.pathname !== `/${expected}`) {
    report(`DATABASE_URL must use role and database ${expected}`);
  }
  if (parsed.password !== '') {
    report('DATABASE_URL contains a password; pass it in PGPASSWORD instead');
  }
}

/** `${NAME:-default}` or `${NAME}`, the compose interpolation forms used for passwords. */
const INTERPOLATION = /^\$\{([A-Z0-9_]+)(?::-(.*))?\}$/;

function checkComposePassword(
  value: string | null | undefined,
  services: Mapping,
  service: string,
  report: (message: string) => void,
): void {
  const variable = passwordVariable(service);
  const match = INTERPOLATION.exec(value ?? '');
  if (match?.[1] !== variable) {
    report(`PGPASSWORD must interpolate ${variable}, which the postgres init script reads`);
    return;
  }
  const postgresValue = composeEnvironment(services.postgres).get(variable);
  if (postgresValue !== value) {
    report(
      `PGPASSWORD is ${value}, but service postgres sets ${variable} to ${postgresValue ?? 'nothing'}`,
    );
  }
}

function checkComposeHosts(
  environment: Map<string, string | null>,
  services: Mapping,
  report: (message: string) => void,
): void {
  const brokers = (environment.get('KAFKA_BROKERS') ?? '').split(',').filter((item) => item !== '');
  for (const broker of brokers) {
    const host = broker.split(':')[0] ?? '';
    if (services[host] === undefined) report(`KAFKA_BROKERS names ${host}, which is not a service`);
  }
  const expectedSandbox = `http://${SANDBOX.name}:${SANDBOX.port}`;
  if (environment.get('SANDBOX_URL') !== expectedSandbox) {
    report(`SANDBOX_URL must be ${expectedSandbox}`);
  }
}

function checkComposeDependencies(
  service: unknown,
  target: DeployTarget,
  report: (message: string) => void,
) {
  const expected: [string, string][] = [
    ['postgres', 'service_healthy'],
    ['kafka-topics', 'service_completed_successfully'],
  ];
  if ((target.service?.providerEnv.length ?? 0) > 0) {
    expected.push([SANDBOX.name, 'service_healthy']);
  }
  const dependencies = composeDependencies(service);
  for (const [name, condition] of expected) {
    if (dependencies.get(name) !== condition) {
      report(`must depend on ${name} with condition ${condition}`);
    }
  }
}

function findObject(files: DeployFiles, kind: string, name: string) {
  return files.k8s.find(
    ({ object }) => object.kind === kind && stringAt(object.metadata, 'name') === name,
  );
}

function checkK8sService(files: DeployFiles, target: DeployTarget): Finding[] {
  const findings: Finding[] = [];
  const deployment = findObject(files, 'Deployment', target.name);
  const report = (message: string, file: string = deployment?.file ?? PATHS.k8s) =>
    findings.push({ file, rule: 'cross/k8s', message: `${target.name}: ${message}` });
  if (!deployment) {
    report('no Deployment with this name');
    return findings;
  }

  const service = findObject(files, 'Service', target.name);
  const servicePorts = arrayAt(mappingAt(service?.object, 'spec'), 'ports');
  if (!service || servicePorts.length !== 1 || numberAt(servicePorts[0], 'port') !== target.port) {
    report(`needs a Service with the single port ${target.port}`);
  }
  if (target.service && !findObject(files, 'PodDisruptionBudget', target.name)) {
    report('no PodDisruptionBudget with this name');
  }

  const containers = containersOf(deployment.object);
  const container = containers[0];
  if (containers.length !== 1 || !container) {
    report('the Deployment must have exactly one container');
    return findings;
  }
  const image = stringAt(container, 'image');
  if (image !== expectedImage(files, target)) {
    report(`image must be ${expectedImage(files, target)}; found ${image ?? 'none'}`);
  }
  const ports = arrayAt(container, 'ports').map((port) => numberAt(port, 'containerPort'));
  if (ports.length !== 1 || ports[0] !== target.port) {
    report(`containerPort must be ${target.port}`);
  }

  const environment = k8sEnvironment(container, files);
  if (environment.get('PORT') !== String(target.port)) report(`PORT must be ${target.port}`);
  if (environment.get('HOST') !== DEPLOYMENT.containerHost) {
    report(`HOST must resolve to ${DEPLOYMENT.containerHost}`);
  }
  if (!target.service) return findings;

  const names = difference(environment.keys(), expectedServiceEnv(target.service));
  if (names.missing.length > 0 || names.unexpected.length > 0) {
    report(`environment variables differ from the platform's: ${describeDifference(names)}`);
  }
  checkDatabaseUrl(environment.get('DATABASE_URL'), target.name, (message) => report(message));
  return findings;
}

/**
 * Returns a container's variables with their values: a literal `value`, the ConfigMap value that
 * a configMapKeyRef resolves to, or `null` for Secrets and keys that are not set.
 */
function k8sEnvironment(container: Mapping, files: DeployFiles): Map<string, string | null> {
  const environment = new Map<string, string | null>();
  for (const entry of arrayAt(container, 'env')) {
    const name = stringAt(entry, 'name');
    if (name === undefined) continue;
    const reference = mappingAt(mappingAt(entry, 'valueFrom'), 'configMapKeyRef');
    const mapName = stringAt(reference, 'name');
    if (mapName !== undefined) {
      const configMap = findObject(files, 'ConfigMap', mapName);
      const value = mappingAt(configMap?.object, 'data')[stringAt(reference, 'key') ?? ''];
      environment.set(name, value === undefined ? null : String(value));
    } else {
      environment.set(name, stringAt(entry, 'value') ?? null);
    }
  }
  return environment;
}
