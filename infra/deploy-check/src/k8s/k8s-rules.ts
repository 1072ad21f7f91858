import type { Finding } from '../findings.js';
import { CREDENTIAL_NAME, DEPLOYMENT, SERVICES } from '../platform.js';
import { arrayAt, isMapping, mappingAt, stringAt, type Mapping } from '../values.js';
import type { K8sObject } from './k8s-files.js';

/** Provider variables, whose Secret keys must be optional so that a service starts without them. */
const PROVIDER_ENV = new Set(SERVICES.flatMap((service) => service.providerEnv));

/** Image references with a tag other than `latest`, or with a digest. */
const PINNED_IMAGE = /^[^@]+:(?!latest$)[\w][\w.-]*$|@sha256:[0-9a-f]{64}$/;

/**
 * Checks what the Kubernetes schemas cannot: namespaces, probes, resources, the restricted Pod
 * Security settings, where variables come from, and that Services, PodDisruptionBudgets and
 * ConfigMap references point at objects that exist.
 */
export function checkK8sRules(objects: readonly K8sObject[]): Finding[] {
  const findings: Finding[] = [];
  const configMaps = objects.filter(({ object }) => object.kind === 'ConfigMap');
  const deployments = objects.filter(({ object }) => object.kind === 'Deployment');

  for (const { file, object } of objects) {
    const name = stringAt(object.metadata, 'name') ?? '(no name)';
    const report = (rule: string, message: string) =>
      findings.push({
        file,
        rule: `k8s/${rule}`,
        message: `${String(object.kind)} ${name}: ${message}`,
      });

    checkNamespace(object, report);
    if (object.kind === 'Deployment') checkDeployment(object, configMaps, report);
    if (object.kind === 'Service') checkService(object, deployments, report);
    if (object.kind === 'PodDisruptionBudget') checkDisruptionBudget(object, deployments, report);
  }
  return findings;
}

type Report = (rule: string, message: string) => void;

function checkNamespace(object: Mapping, report: Report): void {
  const namespace = stringAt(object.metadata, 'namespace');
  if (object.kind === 'Namespace') return;
  if (namespace !== DEPLOYMENT.namespace) {
    report(
      'namespace',
      `metadata.namespace must be ${DEPLOYMENT.namespace}; found ${namespace ?? 'none'}`,
    );
  }
}

/** Returns the pod template labels of a Deployment. */
export function podLabels(deployment: Mapping): Mapping {
  return mappingAt(
    mappingAt(mappingAt(mappingAt(deployment, 'spec'), 'template'), 'metadata'),
    'labels',
  );
}

/** Returns the pod spec of a Deployment. */
export function podSpec(deployment: Mapping): Mapping {
  return mappingAt(mappingAt(mappingAt(deployment, 'spec'), 'template'), 'spec');
}

/** Returns the containers of a Deployment's pod spec. */
export function containersOf(deployment: Mapping): Mapping[] {
  return arrayAt(podSpec(deployment), 'containers').filter(isMapping);
}

function selects(selector: unknown, labels: unknown): boolean {
  if (!isMapping(selector) || Object.keys(selector).length === 0 || !isMapping(labels)) {
    return false;
  }
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function checkDeployment(deployment: Mapping, configMaps: readonly K8sObject[], report: Report) {
  const spec = mappingAt(deployment, 'spec');
  if (!selects(mappingAt(spec, 'selector').matchLabels, podLabels(deployment))) {
    report('selector', 'spec.selector.matchLabels does not match the pod template labels');
  }
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  if (replicas > DEPLOYMENT.topicPartitions) {
    const message =
      `${replicas} replicas exceed the ${DEPLOYMENT.topicPartitions} partitions per topic, ` +
      'so the extra consumers would sit idle';
    report('replicas', message);
  }

  const pod = podSpec(deployment);
  const volumes = new Set(arrayAt(pod, 'volumes').map((volume) => stringAt(volume, 'name')));
  for (const container of containersOf(deployment)) {
    const containerName = stringAt(container, 'name') ?? '(no name)';
    const reportContainer = (rule: string, message: string) =>
      report(rule, `container ${containerName}: ${message}`);
    checkImage(container, reportContainer);
    checkProbes(container, reportContainer);
    checkResources(container, reportContainer);
    checkSecurity(pod, container, volumes, reportContainer);
    checkEnvironment(container, configMaps, reportContainer);
  }
}

function checkImage(container: Mapping, report: Report): void {
  const image = stringAt(container, 'image') ?? '';
  if (!PINNED_IMAGE.test(image)) {
    report('image', `image ${image || '(none)'} is not pinned to a tag other than latest`);
  }
}

/** Container ports by name and by number, as strings, for probe and Service targets. */
function portNames(container: Mapping): Set<string> {
  const names = new Set<string>();
  for (const port of arrayAt(container, 'ports')) {
    const name = stringAt(port, 'name');
    if (name !== undefined) names.add(name);
    if (isMapping(port) && port.containerPort !== undefined) names.add(String(port.containerPort));
  }
  return names;
}

function checkProbes(container: Mapping, report: Report): void {
  const ports = portNames(container);
  const expectedPaths = {
    readinessProbe: DEPLOYMENT.readyRoute,
    livenessProbe: DEPLOYMENT.liveRoute,
    startupProbe: DEPLOYMENT.liveRoute,
  } as const;
  for (const [probeName, expectedPath] of Object.entries(expectedPaths)) {
    const probe = container[probeName];
    if (probe === undefined) {
      if (probeName !== 'startupProbe') report('probes', `has no ${probeName}`);
      continue;
    }
    const httpGet = mappingAt(probe, 'httpGet');
    const tcpSocket = mappingAt(probe, 'tcpSocket');
    const handler = Object.keys(httpGet).length > 0 ? httpGet : tcpSocket;
    if (Object.keys(handler).length === 0) {
      report('probes', `${probeName} must use httpGet or tcpSocket`);
      continue;
    }
    if (!ports.has(String(handler.port))) {
      report('probes', `${probeName} port ${String(handler.port)} is not a container port`);
    }
    const path = stringAt(httpGet, 'path');
    if (path !== undefined && path !== expectedPath) {
      report('probes', `${probeName} requests ${path}; expected ${expectedPath}`);
    }
  }
}

function checkResources(container: Mapping, report: Report): void {
  const resources = mappingAt(container, 'resources');
  for (const section of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      if (mappingAt(resources, section)[resource] === undefined) {
        report('resources', `resources.${section}.${resource} is not set`);
      }
    }
  }
}

/**
 * Checks the container settings that the restricted Pod Security Standard requires, plus a
 * read-only root filesystem with a writable /tmp, where tsx keeps its compile cache.
 */
function checkSecurity(pod: Mapping, container: Mapping, volumes: Set<unknown>, report: Report) {
  const podContext = mappingAt(pod, 'securityContext');
  const context = mappingAt(container, 'securityContext');
  const setting = (key: string) => context[key] ?? podContext[key];

  if (setting('runAsNonRoot') !== true) report('security', 'runAsNonRoot must be true');
  const user = setting('runAsUser');
  if (typeof user !== 'number' || user === 0) {
    // The images name their user (USER node), which the kubelet cannot check for runAsNonRoot.
    report('security', 'runAsUser must be a numeric non-root user id');
  }
  if (stringAt(setting('seccompProfile'), 'type') !== 'RuntimeDefault') {
    report('security', 'seccompProfile.type must be RuntimeDefault');
  }
  if (context.allowPrivilegeEscalation !== false) {
    report('security', 'allowPrivilegeEscalation must be false');
  }
  if (!arrayAt(mappingAt(context, 'capabilities'), 'drop').includes('ALL')) {
    report('security', 'capabilities.drop must contain ALL');
  }
  if (context.readOnlyRootFilesystem !== true) {
    report('security', 'readOnlyRootFilesystem must be true');
  }

  const mounts = arrayAt(container, 'volumeMounts');
  for (const mount of mounts) {
    const volume = stringAt(mount, 'name');
    if (!volumes.has(volume)) {
      report('volumes', `volume mount ${volume ?? '(none)'} names no volume`);
    }
  }
  if (!mounts.some((mount) => stringAt(mount, 'mountPath') === '/tmp')) {
    report('volumes', 'mounts no writable volume at /tmp, where tsx writes its cache');
  }
}

function checkEnvironment(container: Mapping, configMaps: readonly K8sObject[], report: Report) {
  for (const entry of arrayAt(container, 'env')) {
    const name = stringAt(entry, 'name') ?? '(no name)';
    const valueFrom = mappingAt(entry, 'valueFrom');
    const secretRef = mappingAt(valueFrom, 'secretKeyRef');
    const configRef = mappingAt(valueFrom, 'configMapKeyRef');

    if (CREDENTIAL_NAME.test(name) && Object.keys(secretRef).length === 0) {
      report('env', `${name} holds a credential and must come from a secretKeyRef`);
    }
    if (
      PROVIDER_ENV.has(name) &&
      Object.keys(secretRef).length > 0 &&
      secretRef.optional !== true
    ) {
      report(
        'env',
        `${name} comes from a Secret and must be optional, so that the service starts without it`,
      );
    }
    if (Object.keys(configRef).length > 0) checkConfigMapRef(name, configRef, configMaps, report);
  }
}

function checkConfigMapRef(
  variable: string,
  reference: Mapping,
  configMaps: readonly K8sObject[],
  report: Report,
): void {
  const mapName = stringAt(reference, 'name');
  const key = stringAt(reference, 'key') ?? '';
  const configMap = configMaps.find(({ object }) => stringAt(object.metadata, 'name') === mapName);
  if (!configMap) {
    report(
      'env',
      `${variable} refers to ConfigMap ${mapName ?? '(none)'}, which no manifest defines`,
    );
    return;
  }
  const data = mappingAt(configMap.object, 'data');
  if (data[key] === undefined && reference.optional !== true) {
    report('env', `${variable} refers to key ${key}, which ConfigMap ${mapName} lacks`);
  }
}

function findTarget(selector: unknown, deployments: readonly K8sObject[]): Mapping | undefined {
  return deployments.find(({ object }) => selects(selector, podLabels(object)))?.object;
}

function checkService(service: Mapping, deployments: readonly K8sObject[], report: Report): void {
  const spec = mappingAt(service, 'spec');
  const deployment = findTarget(spec.selector, deployments);
  if (!deployment) {
    report('selector', 'spec.selector matches the pods of no Deployment');
    return;
  }
  const ports = new Set(containersOf(deployment).flatMap((container) => [...portNames(container)]));
  for (const port of arrayAt(spec, 'ports')) {
    const target = isMapping(port) ? String(port.targetPort ?? port.port) : '';
    if (!ports.has(target)) {
      report('ports', `targetPort ${target} is not a port of the selected pods`);
    }
  }
}

function checkDisruptionBudget(
  budget: Mapping,
  deployments: readonly K8sObject[],
  report: Report,
): void {
  const spec = mappingAt(budget, 'spec');
  const deployment = findTarget(mappingAt(spec, 'selector').matchLabels, deployments);
  if (!deployment) {
    report('selector', 'spec.selector matches the pods of no Deployment');
    return;
  }
  const replicas = Number(mappingAt(deployment, 'spec').replicas ?? 1);
  const blocksEviction =
    spec.maxUnavailable === 0 ||
    (typeof spec.minAvailable === 'number' && spec.minAvailable >= replicas);
  if (blocksEviction) {
    report('disruption', `allows no pod of ${replicas} to be evicted, which blocks node drains`);
  }
}
