/**
 * ISO 4217 currencies the platform accepts, with the number of digits in the minor unit.
 * Amounts are integers in that unit: cents for USD, whole yen for JPY, thousandths for KWD.
 */
export const CURRENCY_MINOR_DIGITS = {
  AUD: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  INR: 2,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PLN: 2,
  SEK: 2,
  SGD: 2,
  TND: 3,
  USD: 2,
  ZAR: 2,
} as const;

export type CurrencyCode = keyof typeof CURRENCY_MINOR_DIGITS;

export const CURRENCY_CODES = Object.keys(CURRENCY_MINOR_DIGITS) as [
  CurrencyCode,
  ...CurrencyCode[],
];

/** ISO 3166-1 alpha-2 country codes (officially assigned). */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
  'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
  'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
  'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
  'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
  'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ') as [string, ...string[]];

const COUNTRY_SET = new Set<string>(COUNTRY_CODES);

/** Tells whether `code` is an assigned ISO 3166-1 alpha-2 country code. */
export function isCountryCode(code: string): boolean {
  return COUNTRY_SET.has(code);
}

/** Tells whether `code` is a currency the platform accepts. */
export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCY_MINOR_DIGITS, code);
}

/**
 * Converts a decimal string in major units ("16.45") to an integer in the currency's minor unit.
 * Throws a RangeError when the string has more decimals than the currency allows.
 */
export function toMinorUnits(amount: string, currency: CurrencyCode): number {
  const digits = CURRENCY_MINOR_DIGITS[currency];
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`"${amount}" is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits) {
    throw new RangeError(`"${amount}" has more than ${digits} decimals for ${currency}`);
  }
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return sign === '-' ? -minor : minor;
}

/** Formats an integer minor-unit amount as a decimal string in major units ("16.45"). */
export function formatMinorUnits(amountMinor: number, currency: CurrencyCode): string {
  const digits = CURRENCY_MINOR_DIGITS[currency];
  if (digits === 0) return String(amountMinor);
  const sign = amountMinor < 0 ? '-' : '';
  const absolute = Math.abs(amountMinor);
  const whole = Math.floor(absolute / 10 ** digits);
  const fraction = String(absolute % 10 ** digits).padStart(digits, '0');
  return `${sign}${whole}.${fraction}`;
}
