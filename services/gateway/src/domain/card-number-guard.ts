/** 13 to 19 digits, optionally grouped by spaces or dashes, the lengths card numbers use. */
const CARD_LIKE = /^(?:\d[ -]?){12,18}\d$/;

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

/**
 * Returns the dotted paths of string or number values that look like a payment card number
 * (13 to 19 digits that pass the Luhn check), so the gateway can reject a request before the
 * number reaches a log line, an event or a row.
 */
export function findCardNumbers(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value).trim();
    if (!CARD_LIKE.test(text)) return [];
    return passesLuhn(text.replace(/[ -]/g, '')) ? [path.join('.')] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => findCardNumbers(item, [...path, String(index)]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findCardNumbers(item, [...path, key]));
  }
  return [];
}
