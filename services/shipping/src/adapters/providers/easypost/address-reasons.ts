/**
 * Turns EasyPost verification errors into the address field at fault and a sentence for the
 * customer. EasyPost's own messages ("Address not found") are written for developers.
 */

/** One verification error as EasyPost returns it in `verifications.delivery.errors`. */
export interface VerificationError {
  code?: string;
  field?: string;
  message?: string;
}

/** The address as the customer entered it, to quote values back in the reason. */
export interface EnteredAddress {
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

/** Address fields of the platform, by EasyPost field name. */
const FIELD_NAMES: Record<string, string> = {
  street1: 'street',
  street2: 'street',
  city: 'city',
  state: 'region',
  zip: 'postalCode',
  country: 'country',
};

/** Postal code formats by country, with an example, for reasons about invalid codes. */
const POSTAL_CODE_FORMATS: Record<string, { noun: string; description: string; example: string }> =
  {
    US: { noun: 'ZIP code', description: 'A US ZIP code has five digits', example: '94105' },
    CA: {
      noun: 'postal code',
      description: 'A Canadian postal code has six characters',
      example: 'M7A 1A1',
    },
  };

function postalCodeReason(code: string | undefined, address: EnteredAddress): string {
  const value = address.postalCode.trim().toUpperCase();
  const format = POSTAL_CODE_FORMATS[address.country.toUpperCase()];
  const noun = format?.noun ?? 'postal code';
  if (code === 'E.ZIP.NOT_FOUND') {
    return `The ${noun} ${value} does not belong to ${address.region}. Please check the ${noun} and the state or province.`;
  }
  if (address.country.toUpperCase() === 'CA' && /^[A-Z]\d[A-Z]$/.test(value)) {
    return `The postal code ${value} is incomplete. A Canadian postal code has six characters, like ${value} 1A1.`;
  }
  if (format)
    return `The ${noun} ${value || '(empty)'} is not valid. ${format.description}, like ${format.example}.`;
  return `The postal code ${value || '(empty)'} is not valid. Please check it.`;
}

function reasonFor(error: VerificationError, field: string, address: EnteredAddress): string {
  switch (field) {
    case 'postalCode':
      return postalCodeReason(error.code, address);
    case 'street':
      return error.code === 'E.HOUSE_NUMBER.MISSING'
        ? `The street address ${address.street} has no house number. Please add it.`
        : 'The street address is missing or could not be found. Please check it.';
    case 'city':
      return 'The city is missing or does not match the postal code. Please check it.';
    case 'region':
      return `${address.region || 'The state or province'} is not a valid state or province code. Please use the two-letter code, like TX or ON.`;
    case 'country':
      return `We cannot ship to the country ${address.country || '(empty)'}. Please check the country.`;
    default:
      return 'We could not find this address. Please check it and try again.';
  }
}

/**
 * Picks the most specific verification error (one naming a field rather than the whole
 * address) and returns the platform's field name with a reason the customer can act on.
 */
export function describeVerificationFailure(
  errors: readonly VerificationError[],
  address: EnteredAddress,
): { field: string; reason: string } {
  const specific =
    errors.find((error) => error.field && FIELD_NAMES[error.field]) ?? errors[0] ?? {};
  const field = (specific.field && FIELD_NAMES[specific.field]) ?? 'address';
  return { field, reason: reasonFor(specific, field, address) };
}
