import { arrayAt, isMapping, mappingAt, stringAt, type Mapping } from '../values.js';

/** A published port of a compose service. */
export interface ComposePort {
  readonly hostIp: string | undefined;
  readonly published: string | undefined;
  readonly target: string | undefined;
}

/** A volume of a compose service; `source` is a path for bind mounts and a name otherwise. */
export interface ComposeVolume {
  readonly type: 'bind' | 'volume';
  readonly source: string | undefined;
  readonly target: string | undefined;
}

/** Returns the `services` mapping of a compose file. */
export function composeServices(compose: unknown): Mapping {
  return mappingAt(compose, 'services');
}

/**
 * Returns a service's environment as a map from name to value, from either the mapping or the
 * `NAME=value` list form. A name without a value maps to `null`: compose passes it through from
 * its own environment.
 */
export function composeEnvironment(service: unknown): Map<string, string | null> {
  const environment = new Map<string, string | null>();
  const raw = isMapping(service) ? service.environment : undefined;
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const [name, ...value] = String(entry).split('=');
      environment.set(name as string, value.length === 0 ? null : value.join('='));
    }
  } else if (isMapping(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      environment.set(name, value === null || value === undefined ? null : String(value));
    }
  }
  return environment;
}

/** Returns the published ports of a service, from the short (`ip:host:container`) or long form. */
export function composePorts(service: unknown): ComposePort[] {
  return arrayAt(service, 'ports').map((entry) => {
    if (isMapping(entry)) {
      return {
        hostIp: stringAt(entry, 'host_ip'),
        published: entry.published === undefined ? undefined : String(entry.published),
        target: entry.target === undefined ? undefined : String(entry.target),
      };
    }
    const parts = String(entry)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = parts.at(-1);
    const published = parts.length >= 2 ? parts.at(-2) : undefined;
    const hostIp = parts.length >= 3 ? parts.slice(0, -2).join(':') : undefined;
    return { hostIp, published, target };
  });
}

/** Returns the volumes of a service; a short-form source that starts with `.` or `/` is a bind mount. */
export function composeVolumes(service: unknown): ComposeVolume[] {
  return arrayAt(service, 'volumes').map((entry) => {
    if (isMapping(entry)) {
      const type = stringAt(entry, 'type') === 'bind' ? 'bind' : 'volume';
      return { type, source: stringAt(entry, 'source'), target: stringAt(entry, 'target') };
    }
    const [source, target] = String(entry).split(':');
    const type = source !== undefined && /^[./~]/.test(source) ? 'bind' : 'volume';
    return { type, source, target };
  });
}

/** Returns `depends_on` as a map from service name to condition, from the list or mapping form. */
export function composeDependencies(service: unknown): Map<string, string> {
  const raw = isMapping(service) ? service.depends_on : undefined;
  if (Array.isArray(raw)) return new Map(raw.map((name) => [String(name), 'service_started']));
  const dependencies = new Map<string, string>();
  if (isMapping(raw)) {
    for (const [name, options] of Object.entries(raw)) {
      dependencies.set(name, stringAt(options, 'condition') ?? 'service_started');
    }
  }
  return dependencies;
}
