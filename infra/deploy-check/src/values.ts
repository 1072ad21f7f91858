/** A parsed YAML or JSON mapping. */
export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the mapping at `key`, or an empty one when it is missing or not a mapping. */
export function mappingAt(parent: unknown, key: string): Mapping {
  if (!isMapping(parent)) return {};
  const value = parent[key];
  return isMapping(value) ? value : {};
}

/** Returns the array at `key`, or an empty one when it is missing or not an array. */
export function arrayAt(parent: unknown, key: string): unknown[] {
  if (!isMapping(parent)) return [];
  const value = parent[key];
  return Array.isArray(value) ? value : [];
}

/** Returns the string at `key`, or `undefined` when it is missing or not a string. */
export function stringAt(parent: unknown, key: string): string | undefined {
  if (!isMapping(parent)) return undefined;
  const value = parent[key];
  return typeof value === 'string' ? value : undefined;
}

/** Returns the items that appear in only one of the two lists, each list sorted. */
export function difference(
  actual: Iterable<string>,
  expected: Iterable<string>,
): { missing: string[]; unexpected: string[] } {
  const actualSet = new Set(actual);
  const expectedSet = new Set(expected);
  return {
    missing: [...expectedSet].filter((item) => !actualSet.has(item)).sort(),
    unexpected: [...actualSet].filter((item) => !expectedSet.has(item)).sort(),
  };
}

/** Describes a set difference for a message, such as `missing A, B; unexpected C`. */
export function describeDifference(diff: { missing: string[]; unexpected: string[] }): string {
  const parts: string[] = [];
  if (diff.missing.length > 0) parts.push(`missing ${diff.missing.join(', ')}`);
  if (diff.unexpected.length > 0) parts.push(`unexpected ${diff.unexpected.join(', ')}`);
  return parts.join('; ');
}

/** Returns the number at `key`, or `undefined` when it is missing or not a number. */
export function numberAt(parent: unknown, key: string): number | undefined {
  if (!isMapping(parent)) return undefined;
  const value = parent[key];
  return typeof value === 'number' ? value : undefined;
}
