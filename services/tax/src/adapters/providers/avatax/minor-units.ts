import { CURRENCY_MINOR_DIGITS, type CurrencyCode } from '@orderflow/contracts';

/** Converts an integer amount in the currency's minor unit into AvaTax's decimal major units. */
export function toMajorUnits(amountMinor: number, currency: CurrencyCode): number {
  const digits = CURRENCY_MINOR_DIGITS[currency];
  return Number((amountMinor / 10 ** digits).toFixed(digits));
}

/** Converts AvaTax's decimal major units into an integer amount in the currency's minor unit. */
export function toMinorUnits(amountMajor: number, currency: CurrencyCode): number {
  return Math.round(amountMajor * 10 ** CURRENCY_MINOR_DIGITS[currency]);
}
