import type { JsonSchema } from './json-schema.js';

/** One change that would make an existing consumer reject or misread new events. */
export interface BreakingChange {
  path: string;
  message: string;
}

const LOOSER_IF_LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;
const LOOSER_IF_HIGHER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;

function typesOf(schema: JsonSchema): Set<string> | undefined {
  const type = schema.type;
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type as string[]);
  return undefined;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

/**
 * Lists the changes from `previous` to `next` that break consumers built against `previous`:
 * a required property removed or made optional, a type widened, an enum or const value added or
 * changed, a bound loosened, or a pattern changed. Adding optional properties is compatible,
 * because consumers drop fields they do not know.
 */
export function findBreakingChanges(
  previous: JsonSchema,
  next: JsonSchema,
  path = '$',
): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const report = (message: string, at = path) => changes.push({ path: at, message });

  const oldTypes = typesOf(previous);
  const newTypes = typesOf(next);
  if (oldTypes && newTypes) {
    for (const type of newTypes) {
      const widenedInteger = type === 'integer' && oldTypes.has('number');
      if (!oldTypes.has(type) && !widenedInteger)
        report(`type ${type} is new; consumers accept ${[...oldTypes].join(', ')}`);
    }
  } else if (oldTypes && !newTypes && !next.anyOf && !next.oneOf) {
    report(`type constraint removed; consumers expect ${[...oldTypes].join(', ')}`);
  }

  if (Array.isArray(previous.enum)) {
    const allowed = new Set(previous.enum as unknown[]);
    const added = Array.isArray(next.enum)
      ? (next.enum as unknown[]).filter((value) => !allowed.has(value))
      : ['(any value)'];
    if (added.length > 0)
      report(`enum values added: ${added.map((value) => JSON.stringify(value)).join(', ')}`);
  }
  if ('const' in previous && JSON.stringify(previous.const) !== JSON.stringify(next.const)) {
    report(`const changed from ${JSON.stringify(previous.const)} to ${JSON.stringify(next.const)}`);
  }
  if (previous.pattern !== undefined && previous.pattern !== next.pattern) {
    report(`pattern changed from ${String(previous.pattern)} to ${String(next.pattern)}`);
  }
  if (previous.format !== undefined && previous.format !== next.format) {
    report(`format changed from ${String(previous.format)} to ${String(next.format)}`);
  }
  for (const key of LOOSER_IF_LOWER) {
    const before = previous[key];
    const after = next[key];
    if (typeof before === 'number' && (typeof after !== 'number' || after < before)) {
      report(`${key} loosened from ${before} to ${String(after)}`);
    }
  }
  for (const key of LOOSER_IF_HIGHER) {
    const before = previous[key];
    const after = next[key];
    if (typeof before === 'number' && (typeof after !== 'number' || after > before)) {
      report(`${key} loosened from ${before} to ${String(after)}`);
    }
  }

  const oldProperties = asSchema(previous.properties) ?? {};
  const newProperties = asSchema(next.properties) ?? {};
  const newRequired = new Set((next.required as string[] | undefined) ?? []);
  for (const name of (previous.required as string[] | undefined) ?? []) {
    if (!(name in newProperties)) report('required property removed', `${path}.${name}`);
    else if (!newRequired.has(name)) report('required property became optional', `${path}.${name}`);
  }
  for (const [name, oldProperty] of Object.entries(oldProperties)) {
    const newProperty = asSchema(newProperties[name]);
    const oldSchema = asSchema(oldProperty);
    if (newProperty && oldSchema)
      changes.push(...findBreakingChanges(oldSchema, newProperty, `${path}.${name}`));
  }

  const oldItems = asSchema(previous.items);
  const newItems = asSchema(next.items);
  if (oldItems && newItems) changes.push(...findBreakingChanges(oldItems, newItems, `${path}[]`));
  return changes;
}
