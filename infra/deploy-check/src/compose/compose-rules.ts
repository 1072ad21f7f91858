import type { Finding } from '../findings.js';
import type { Repo } from '../repo.js';
import { isMapping, mappingAt, stringAt } from '../values.js';
import {
  composeDependencies,
  composePorts,
  composeServices,
  composeVolumes,
} from './compose-model.js';

/** Image references with a tag other than `latest`, or with a digest. */
const PINNED_IMAGE = /^[^@]+:(?!latest$)[\w][\w.-]*$|@sha256:[0-9a-f]{64}$/;

/**
 * Checks what the Compose Specification schema cannot: pinned images, that `depends_on` names
 * existing services whose condition can be met, that bind mounts and build files exist, and that
 * published ports listen on loopback only.
 */
export function checkComposeRules(file: string, compose: unknown, repo: Repo): Finding[] {
  const findings: Finding[] = [];
  const services = composeServices(compose);
  for (const [name, service] of Object.entries(services)) {
    const report = (rule: string, message: string) =>
      findings.push({ file, rule: `compose/${rule}`, message: `service ${name}: ${message}` });
    checkImage(service, report);
    checkDependencies(service, services, report);
    checkLongRunning(service, report);
    checkBuild(service, repo, report);
    checkBindMounts(service, repo, report);
    checkPublishedPorts(service, report);
  }
  return findings;
}

type Report = (rule: string, message: string) => void;

function checkImage(service: unknown, report: Report): void {
  const image = stringAt(service, 'image');
  if (image === undefined) {
    report('image', 'has no image; name one, so that the built image gets a pinned tag');
  } else if (!PINNED_IMAGE.test(image)) {
    report('image', `image ${image} is not pinned to a tag other than latest or to a digest`);
  }
}

function checkDependencies(service: unknown, services: Record<string, unknown>, report: Report) {
  for (const [dependency, condition] of composeDependencies(service)) {
    const target = services[dependency];
    if (target === undefined) {
      report('depends-on', `depends on ${dependency}, which is not a service`);
      continue;
    }
    if (condition === 'service_healthy' && !hasHealthcheck(target)) {
      report('depends-on', `waits for ${dependency} to be healthy, but it has no healthcheck`);
    }
    const restart = stringAt(target, 'restart') ?? 'no';
    if (condition === 'service_completed_successfully' && restart !== 'no') {
      report(
        'depends-on',
        `waits for ${dependency} to complete, but its restart policy ${restart} restarts it`,
      );
    }
  }
}

function hasHealthcheck(service: unknown): boolean {
  return mappingAt(service, 'healthcheck').test !== undefined;
}

function checkLongRunning(service: unknown, report: Report): void {
  const restart = stringAt(service, 'restart') ?? 'no';
  if (restart !== 'no' && !hasHealthcheck(service)) {
    report('healthcheck', 'runs until stopped but has no healthcheck');
  }
}

function checkBuild(service: unknown, repo: Repo, report: Report): void {
  const build = isMapping(service) ? service.build : undefined;
  if (build === undefined) return;
  const context = typeof build === 'string' ? build : (stringAt(build, 'context') ?? '.');
  const contextPath = relativePath(context);
  if (contextPath === undefined || !repo.isDirectory(contextPath)) {
    report('build', `build context ${context} is not a folder of the repository`);
    return;
  }
  const dockerfile = stringAt(build, 'dockerfile') ?? 'Dockerfile';
  const dockerfilePath = relativePath(
    contextPath === '' ? dockerfile : `${contextPath}/${dockerfile}`,
  );
  if (dockerfilePath === undefined || !repo.exists(dockerfilePath)) {
    report('build', `Dockerfile ${dockerfile} does not exist in build context ${context}`);
  }
}

function checkBindMounts(service: unknown, repo: Repo, report: Report): void {
  for (const volume of composeVolumes(service)) {
    if (volume.type !== 'bind' || volume.source === undefined) continue;
    const path = relativePath(volume.source);
    if (path === undefined) {
      report('bind-mount', `bind mount ${volume.source} is outside the repository`);
    } else if (!repo.exists(path)) {
      report('bind-mount', `bind mount source ${volume.source} does not exist`);
    }
  }
}

function checkPublishedPorts(service: unknown, report: Report): void {
  for (const port of composePorts(service)) {
    if (port.published !== undefined && port.hostIp !== '127.0.0.1') {
      const where = port.hostIp ?? 'every interface';
      report('ports', `publishes port ${port.published} on ${where}; bind it to 127.0.0.1`);
    }
  }
}

/**
 * Turns a path relative to the compose file (the repository root) into a repository path, or
 * `undefined` when it leaves the repository or is absolute.
 */
function relativePath(path: string): string | undefined {
  if (path.startsWith('/') || path.startsWith('~')) return undefined;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}
