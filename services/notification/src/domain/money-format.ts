import { CURRENCY_MINOR_DIGITS, formatMinorUnits, type CurrencyCode } from '@orderflow/contracts';

/**
 * Formats an amount in minor units for a customer, such as `$21.93`, `¥1,500` or `KWD 12.345`.
 * The decimal string goes to Intl.NumberFormat as text, so no floating-point rounding happens.
 */
export function formatAmount(amountMinor: number, currency: CurrencyCode): string {
  const digits = CURRENCY_MINOR_DIGITS[currency];
  const formatter = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const decimal = formatMinorUnits(amountMinor, currency) as `${number}`;
  // Intl puts a no-break space after codes such as KWD. It is outside the GSM 7-bit alphabet,
  // and one such character would switch a whole SMS to UCS-2 and shrink its segments.
  return formatter.format(decimal).replaceAll('\u00a0', ' ');
}
