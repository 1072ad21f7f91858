import { formatFieldPath } from './field-path.js';

/** Deepest nesting that `findUnsafeText` walks; deeper input is reported, not followed. */
export const MAX_INSPECTED_DEPTH = 32;

/**
 * Pattern of 13 to 19 digits, the lengths of payment card numbers, optionally separated by
 * single spaces, dashes or dots. The run must not be part of a longer word, so the digits inside
 * a random id such as `pi_3f9c0123456789012345ab` do not count. Input is NFKC-normalized first,
 * so full-width digits count.
 */
const CARD_LIKE_RUN = /(?<![\p{L}\p{N}])\d(?:[ .-]?\d){12,18}(?![\p{L}\p{N}])/gu;

/** NUL, which PostgreSQL text cannot store, and UTF-16 surrogates that have no partner. */
const INVALID_TEXT =
  // eslint-disable-next-line no-control-regex -- matching NUL is the point of this pattern.
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface TextIssue {
  path: string;
  message: string;
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Tells whether `text` contains something that looks like a payment card number. */
export function containsCardNumber(text: string): boolean {
  const normalized = text.normalize('NFKC');
  for (const match of normalized.matchAll(CARD_LIKE_RUN)) {
    if (passesLuhn(match[0].replace(/[ .-]/g, ''))) return true;
  }
  return false;
}

/**
 * Returns `text` with every run that looks like a payment card number replaced by
 * `[card number]`, for writing untrusted text such as a request URL to a log. The result is
 * NFKC-normalized, so full-width digits come out as ASCII.
 */
export function redactCardNumbers(text: string): string {
  return text
    .normalize('NFKC')
    .replace(CARD_LIKE_RUN, (run) =>
      passesLuhn(run.replace(/[ .-]/g, '')) ? '[card number]' : run,
    );
}

/**
 * Lists the strings in `value` that must not enter the platform, with their dotted paths.
 * Text that looks like a payment card number is listed so it never reaches a log, an event or a
 * row. Text with NUL or unpaired surrogates is listed because PostgreSQL cannot store it.
 * Messages never repeat the offending text. Objects nested deeper than MAX_INSPECTED_DEPTH are
 * reported as too deep.
 */
export function findUnsafeText(value: unknown): TextIssue[] {
  const issues: TextIssue[] = [];
  const pending: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    const at = formatFieldPath(path);
    if (typeof current === 'string') {
      if (INVALID_TEXT.test(current)) {
        issues.push({
          path: at,
          message: 'contains a NUL character or invalid Unicode; send valid UTF-8 text',
        });
      } else if (containsCardNumber(current)) {
        issues.push({
          path: at,
          message:
            'looks like a card number; send only the payment method token (pm_...) from the payment provider',
        });
      }
    } else if (current && typeof current === 'object') {
      if (path.length >= MAX_INSPECTED_DEPTH) {
        issues.push({ path: at, message: `is nested deeper than ${MAX_INSPECTED_DEPTH} levels` });
        continue;
      }
      for (const [key, item] of Object.entries(current))
        pending.push({ value: item, path: [...path, key] });
    }
  }
  return issues.reverse();
}
