const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Keys and array indexes from the document root to a value, such as `['lines', 0, 'sku']`. */
export type JsonPath = Array<string | number>;

/**
 * Finds the first key that occurs twice in one object of a JSON document and returns its path,
 * or undefined when no object repeats a key. Keys are compared after unescaping, so `"a"` and
 * `"\u0061"` are the same key. `value` must be what `JSON.parse` returned for `text`.
 *
 * `JSON.parse` keeps one property for all members with the same key, so the document repeats a
 * key exactly when it has more members than the parsed value has properties. Both counts take
 * one pass without building any key sets, and only a document with a duplicate is scanned a
 * second time to find its path. All passes take time linear in the length of `text` and use no
 * recursion, so deep nesting cannot overflow the stack.
 */
export function findDuplicateKey(text: string, value: unknown): JsonPath | undefined {
  if (countMembers(text) === countProperties(value)) return undefined;
  return locateDuplicateKey(text);
}

/**
 * Counts the object members of valid JSON text. Outside strings, a colon only separates a key
 * from its value, so this counts the colons that are not inside a string.
 */
function countMembers(text: string): number {
  let members = 0;
  let nextColon = text.indexOf(':');
  let nextQuote = text.indexOf('"');
  while (nextColon !== -1) {
    if (nextQuote === -1 || nextColon < nextQuote) {
      members++;
      nextColon = text.indexOf(':', nextColon + 1);
      continue;
    }
    const afterString = endOfString(text, nextQuote) + 1;
    nextQuote = text.indexOf('"', afterString);
    // A colon inside the skipped string does not count.
    if (nextColon < afterString) nextColon = text.indexOf(':', afterString);
  }
  return members;
}

/** Counts the own properties of every object in a parsed JSON value. */
function countProperties(value: unknown): number {
  let properties = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index++) {
        const element: unknown = item[index];
        if (typeof element === 'object' && element !== null) pending.push(element);
      }
    } else if (typeof item === 'object' && item !== null) {
      for (const key in item) {
        properties++;
        const member = (item as Record<string, unknown>)[key];
        if (typeof member === 'object' && member !== null) pending.push(member);
      }
    }
  }
  return properties;
}

/**
 * Returns the path of the first key that occurs twice in one object of valid JSON text. The scan
 * skips strings, numbers and literals without checking their syntax.
 */
function locateDuplicateKey(text: string): JsonPath | undefined {
  // State of each open object or array, indexed by nesting depth from the outermost.
  const isObject: boolean[] = [];
  const currentKeys: string[] = [];
  const currentIndexes: number[] = [];
  // Sibling objects at the same depth reuse one key set.
  const keySets: Set<string>[] = [];
  let depth = 0;
  let expectingKey = false;

  for (let position = 0; position < text.length; position++) {
    const char = text.charCodeAt(position);
    if (char === QUOTE) {
      const end = endOfString(text, position);
      if (expectingKey) {
        const key = decodeKey(text, position, end);
        const keys = keySets[depth - 1]!;
        if (keys.has(key))
          return [...pathTo(depth - 1, isObject, currentKeys, currentIndexes), key];
        keys.add(key);
        currentKeys[depth - 1] = key;
        expectingKey = false;
      }
      position = end;
    } else if (char === OPEN_OBJECT) {
      isObject[depth] = true;
      const keys = keySets[depth];
      if (keys === undefined) keySets[depth] = new Set();
      else keys.clear();
      depth++;
      expectingKey = true;
    } else if (char === OPEN_ARRAY) {
      isObject[depth] = false;
      currentIndexes[depth] = 0;
      depth++;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      depth--;
      expectingKey = false;
    } else if (char === COMMA) {
      if (isObject[depth - 1]) expectingKey = true;
      else currentIndexes[depth - 1]!++;
    }
  }
  return undefined;
}

/** Returns the position of the quote that ends the string starting at `start`. */
function endOfString(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (isEscaped(text, end)) end = text.indexOf('"', end + 1);
  return end;
}

/** Tells whether the character at `position` follows an odd number of backslashes. */
function isEscaped(text: string, position: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(position - backslashes - 1) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
}

/** Returns the keys and indexes that lead from the document root into the container at `depth`. */
function pathTo(
  depth: number,
  isObject: boolean[],
  currentKeys: string[],
  currentIndexes: number[],
): JsonPath {
  const path: JsonPath = [];
  for (let level = 0; level < depth; level++) {
    path.push(isObject[level] ? currentKeys[level]! : currentIndexes[level]!);
  }
  return path;
}
