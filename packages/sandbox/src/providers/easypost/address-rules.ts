/**
 * Address checks of the EasyPost sandbox, which stand in for carrier address databases. They
 * check the postal code format of the country and the US state or Canadian province. They also
 * check that the first ZIP digit or postal code letter belongs to that state or province.
 *
 * Error codes: E.ADDRESS.NOT_FOUND and E.HOUSE_NUMBER.MISSING appear in EasyPost's documented
 * responses. The field codes E.ZIP.INVALID, E.ZIP.NOT_FOUND, E.STATE.INVALID, E.COUNTRY.INVALID,
 * E.STREET.MISSING and E.CITY.MISSING are the sandbox's own, named in the same style.
 */

/** One verification error in EasyPost's shape. */
export interface VerificationError {
  code: string;
  field: string;
  message: string;
  suggestion: string | null;
}

export interface AddressFields {
  street1: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

/**
 * First ZIP digit of each state, district and territory, from the USPS national ZIP code
 * areas (0 is New England and New Jersey, 9 the Pacific).
 */
const ZIP_AREAS: Record<string, string> = {
  '0': 'CT MA ME NH NJ PR RI VT VI AE',
  '1': 'DE NY PA',
  '2': 'DC MD NC SC VA WV',
  '3': 'AL FL GA MS TN AA',
  '4': 'IN KY MI OH',
  '5': 'IA MN MT ND SD WI',
  '6': 'IL KS MO NE',
  '7': 'AR LA OK TX',
  '8': 'AZ CO ID NM NV UT WY',
  '9': 'AK CA HI OR WA AP GU AS MP',
};

const US_STATE_ZIP_DIGITS: ReadonlyMap<string, string[]> = (() => {
  const byState = new Map<string, string[]>();
  for (const [digit, states] of Object.entries(ZIP_AREAS)) {
    for (const state of states.split(' '))
      byState.set(state, [...(byState.get(state) ?? []), digit]);
  }
  return byState;
})();

/** First letter of the postal codes of each province and territory (Canada Post). */
const CA_PROVINCE_LETTERS: Record<string, string> = {
  NL: 'A',
  NS: 'B',
  PE: 'C',
  NB: 'E',
  QC: 'GHJ',
  ON: 'KLMNP',
  MB: 'R',
  SK: 'S',
  AB: 'T',
  BC: 'V',
  NT: 'X',
  NU: 'X',
  YT: 'Y',
};

/** Postal code formats of the countries the sandbox can verify, with an example of each. */
export const POSTAL_FORMATS: Record<
  string,
  { pattern: RegExp; example: string; description: string }
> = {
  US: {
    pattern: /^\d{5}(-\d{4})?$/,
    example: '94105 or 94105-1234',
    description: 'a US ZIP code has 5 digits, optionally followed by a hyphen and 4 more digits',
  },
  CA: {
    pattern: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/,
    example: 'M7A 1A1',
    description:
      'a Canadian postal code has six characters, letter-digit-letter digit-letter-digit',
  },
  GB: {
    pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/,
    example: 'SW1A 1AA',
    description: 'a UK postcode has an outward code and a three-character inward code',
  },
  DE: { pattern: /^\d{5}$/, example: '10115', description: 'a German postal code has 5 digits' },
  FR: { pattern: /^\d{5}$/, example: '75001', description: 'a French postal code has 5 digits' },
  AU: { pattern: /^\d{4}$/, example: '2000', description: 'an Australian postcode has 4 digits' },
  MX: { pattern: /^\d{5}$/, example: '06000', description: 'a Mexican postal code has 5 digits' },
};

function error(
  code: string,
  field: string,
  message: string,
  suggestion: string | null = null,
): VerificationError {
  return { code, field, message, suggestion };
}

function checkRequiredFields(address: AddressFields): VerificationError[] {
  const errors: VerificationError[] = [];
  if (!address.street1.trim())
    errors.push(error('E.STREET.MISSING', 'street1', 'Street is missing'));
  else if (!/^\d/.test(address.street1.trim())) {
    errors.push(error('E.HOUSE_NUMBER.MISSING', 'street1', 'House number is missing'));
  }
  if (!address.city.trim()) errors.push(error('E.CITY.MISSING', 'city', 'City is missing'));
  return errors;
}

function checkPostalFormat(address: AddressFields): VerificationError[] {
  const format = POSTAL_FORMATS[address.country];
  if (!format) return [];
  const zip = address.zip.trim().toUpperCase();
  if (format.pattern.test(zip)) return [];

  const incompleteCanadian = address.country === 'CA' && /^[A-Z]\d[A-Z]$/.test(zip);
  const message = incompleteCanadian
    ? `Postal code ${zip} is incomplete: it holds only the forward sortation area, and ${format.description}, like ${format.example}`
    : `Postal code ${zip || '(empty)'} is invalid: ${format.description}, like ${format.example}`;
  return [error('E.ZIP.INVALID', 'zip', message)];
}

function checkRegion(address: AddressFields): VerificationError[] {
  const state = address.state.trim().toUpperCase();
  const zip = address.zip.trim().toUpperCase();
  if (address.country === 'US') {
    const digits = US_STATE_ZIP_DIGITS.get(state);
    if (!digits)
      return [
        error('E.STATE.INVALID', 'state', `State ${state || '(empty)'} is not a US state code`),
      ];
    if (/^\d/.test(zip) && !digits.includes(zip.charAt(0))) {
      return [
        error(
          'E.ZIP.NOT_FOUND',
          'zip',
          `ZIP code ${zip} is not in ${state}: ZIP codes in ${state} start with ${digits.join(' or ')}`,
        ),
      ];
    }
  }
  if (address.country === 'CA') {
    const letters = CA_PROVINCE_LETTERS[state];
    if (!letters)
      return [
        error(
          'E.STATE.INVALID',
          'state',
          `Province ${state || '(empty)'} is not a Canadian province or territory code`,
        ),
      ];
    if (/^[A-Z]/.test(zip) && !letters.includes(zip.charAt(0))) {
      return [
        error(
          'E.ZIP.NOT_FOUND',
          'zip',
          `Postal code ${zip} is not in ${state}: postal codes in ${state} start with ${[...letters].join(' or ')}`,
        ),
      ];
    }
  }
  return [];
}

/**
 * Verifies an address for delivery and returns its errors, empty when it is deliverable.
 * A failed address gets E.ADDRESS.NOT_FOUND first, followed by errors that name each field at
 * fault and the reason.
 */
export function verifyAddressFields(address: AddressFields): VerificationError[] {
  const country = address.country.trim().toUpperCase();
  if (!POSTAL_FORMATS[country]) {
    return [
      error('E.ADDRESS.NOT_FOUND', 'address', 'Address not found'),
      error(
        'E.COUNTRY.INVALID',
        'country',
        `Country ${country || '(empty)'} is unknown or not supported: the sandbox verifies ${Object.keys(POSTAL_FORMATS).join(', ')}`,
      ),
    ];
  }
  const normalized = { ...address, country };
  const errors = [
    ...checkRequiredFields(normalized),
    ...checkPostalFormat(normalized),
    ...checkRegion(normalized),
  ];
  if (errors.length === 0) return [];
  return [error('E.ADDRESS.NOT_FOUND', 'address', 'Address not found'), ...errors];
}

/** Normalizes a postal code as carriers print it: upper case, Canadian codes with a space. */
export function normalizePostalCode(zip: string, country: string): string {
  const upper = zip.trim().toUpperCase();
  if (country === 'CA' && /^[A-Z]\d[A-Z]\d[A-Z]\d$/.test(upper))
    return `${upper.slice(0, 3)} ${upper.slice(3)}`;
  return upper;
}
