/**
 * Stripe request parameters arrive form-encoded with bracket notation (`card[number]=...`,
 * `expand[0]=...`). @fastify/formbody yields a flat object keyed by the raw names, and
 * `expandBracketKeys` turns it into nested objects so that routes read `params.card.number`.
 */

export type StripeParams = { [key: string]: string | StripeParams };

// Segments that would reach Object.prototype if used as plain keys.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Splits `metadata[order_id]` into `['metadata', 'order_id']`; `null` for a malformed name. */
function splitKey(name: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!match) return null;
  const rest = match[2] ?? '';
  const inner = [...rest.matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? '');
  return [match[1] ?? '', ...inner];
}

function assignPath(target: StripeParams, path: string[], value: string): void {
  let node = target;
  for (let index = 0; index < path.length - 1; index += 1) {
    const segment = path[index] ?? '';
    const child = node[segment];
    if (typeof child === 'object') {
      node = child;
    } else {
      const created: StripeParams = {};
      node[segment] = created;
      node = created;
    }
  }
  node[path[path.length - 1] ?? ''] = value;
}

/** Expands a flat form body into nested parameters. Repeated names keep their last value. */
export function expandBracketKeys(flat: unknown): StripeParams {
  const params: StripeParams = {};
  if (typeof flat !== 'object' || flat === null) return params;
  for (const [name, raw] of Object.entries(flat as Record<string, unknown>)) {
    const path = splitKey(name);
    if (!path || path.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) continue;
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    assignPath(params, path, String(value ?? ''));
  }
  return params;
}

/** Reads a string parameter, or `undefined` when it is absent or nested. */
export function readString(params: StripeParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a nested parameter object such as `metadata`, or an empty object. */
export function readObject(params: StripeParams, name: string): StripeParams {
  const value = params[name];
  return typeof value === 'object' ? value : {};
}

/** Reads `true`/`false`; any other value counts as absent. */
export function readBoolean(params: StripeParams, name: string): boolean | undefined {
  const value = readString(params, name);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Serializes parameters with sorted keys, so two requests with the same values compare equal. */
export function fingerprintParams(params: StripeParams): string {
  const sortKeys = (value: string | StripeParams): unknown =>
    typeof value === 'string'
      ? value
      : Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, sortKeys(value[key] ?? '')]),
        );
  return JSON.stringify(sortKeys(params));
}
