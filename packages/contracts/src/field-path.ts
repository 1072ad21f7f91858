/** Characters that make an object key ambiguous in a dotted path, so the key is quoted. */
const NEEDS_QUOTES = /[.[\]"]|^$/;

/**
 * Formats the location of a field as a dotted path, such as `lines.0.quantity`. Array indexes
 * appear as numbers. A key that is empty or contains `.`, `[`, `]` or `"` is written in brackets
 * as a JSON string, such as `metadata["gift.wrap"]`, so it cannot be read as two nested keys.
 */
export function formatFieldPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    const text = String(segment);
    if (typeof segment === 'string' && NEEDS_QUOTES.test(text)) {
      path += `[${JSON.stringify(text)}]`;
    } else {
      path += path === '' ? text : `.${text}`;
    }
  }
  return path;
}
