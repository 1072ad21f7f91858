/**
 * Patterns of a .dockerignore file, without comments and blank lines.
 *
 * NOTE: `isDockerIgnored` skips exception patterns (`!path`), so the check reports a .dockerignore
 * that contains one instead of trusting the result.
 */
export function parseDockerignore(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Tells whether the build context leaves out `path` (relative to the context root) or one of its
 * parent folders. `**` matches any number of folders, `*` and `?` match within one path segment,
 * as in Docker's matcher.
 */
export function isDockerIgnored(path: string, patterns: readonly string[]): boolean {
  const normalized = normalizeContextPath(path);
  if (normalized === '') return false;
  const segments = normalized.split('/');
  const prefixes = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
  return patterns
    .filter((pattern) => !pattern.startsWith('!'))
    .some((pattern) => {
      const regex = patternToRegex(normalizeContextPath(pattern));
      return prefixes.some((prefix) => regex.test(prefix));
    });
}

/** Strips `./`, a leading `/` and a trailing `/`, so that `.` becomes the empty path. */
export function normalizeContextPath(path: string): string {
  let result = path.trim();
  while (result.startsWith('./')) result = result.slice(2);
  result = result.replace(/^\/+/, '').replace(/\/+$/, '');
  return result === '.' ? '' : result;
}

function patternToRegex(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (pattern.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (pattern.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
