import { EasyPostApiError, invalidParameter } from './errors.js';
import {
  normalizePostalCode,
  verifyAddressFields,
  type VerificationError,
} from './address-rules.js';
import { newId, timestamp, type EasyPostState } from './state.js';

interface Verification {
  success: boolean;
  errors: VerificationError[];
  details: Record<string, never> | null;
}

/** Subset of EasyPost's Address object that the sandbox returns. */
export interface AddressObject {
  id: string;
  object: 'Address';
  mode: 'test';
  created_at: string;
  updated_at: string;
  name: string | null;
  company: string | null;
  street1: string | null;
  street2: string | null;
  city: string | null;
  state: string | null;
  zip: string;
  country: string;
  phone: string | null;
  email: string | null;
  residential: boolean | null;
  verifications: { zip4?: Verification; delivery?: Verification };
}

const TEXT_FIELDS = [
  'name',
  'company',
  'street1',
  'street2',
  'city',
  'state',
  'zip',
  'country',
  'phone',
  'email',
] as const;

function readText(
  params: Record<string, unknown>,
  field: (typeof TEXT_FIELDS)[number],
): string | null {
  const value = params[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw invalidParameter('ADDRESS.PARAMETERS.INVALID', `address.${field}`, 'must be a string');
  }
  return String(value);
}

function buildAddress(params: Record<string, unknown>): AddressObject {
  const now = timestamp();
  const text = Object.fromEntries(
    TEXT_FIELDS.map((field) => [field, readText(params, field)]),
  ) as Record<(typeof TEXT_FIELDS)[number], string | null>;
  const country = (text.country ?? 'US').toUpperCase();
  return {
    id: newId('adr'),
    object: 'Address',
    mode: 'test',
    created_at: now,
    updated_at: now,
    ...text,
    zip: text.zip ?? '',
    country,
    residential: null,
    verifications: {},
  };
}

/** Applies the corrections a verified address gets: upper case and the carrier's postal code format. */
function applyCorrections(address: AddressObject): void {
  address.street1 = address.street1?.toUpperCase() ?? null;
  address.city = address.city?.toUpperCase() ?? null;
  address.state = address.state?.toUpperCase() ?? null;
  address.zip = normalizePostalCode(address.zip, address.country);
  // The sandbox has no address database, so an address without a company counts as residential.
  address.residential = address.company === null;
}

function verify(address: AddressObject): VerificationError[] {
  const errors = verifyAddressFields({
    street1: address.street1 ?? '',
    city: address.city ?? '',
    state: address.state ?? '',
    zip: address.zip,
    country: address.country,
  });
  const result: Verification = {
    success: errors.length === 0,
    errors,
    details: errors.length === 0 ? {} : null,
  };
  address.verifications =
    address.country === 'US' ? { zip4: result, delivery: result } : { delivery: result };
  if (result.success) applyCorrections(address);
  return errors;
}

export interface CreateAddressOptions {
  verify: boolean;
  /** Rejects an undeliverable address with a 422 instead of returning it with failed verifications. */
  strict: boolean;
}

/** Creates and stores an address, verifying it when asked. */
export function createAddress(
  state: EasyPostState,
  params: unknown,
  options: CreateAddressOptions,
): AddressObject {
  if (typeof params !== 'object' || params === null) {
    throw invalidParameter('ADDRESS.PARAMETERS.INVALID', 'address', 'is required');
  }
  const address = buildAddress(params as Record<string, unknown>);
  if (options.verify || options.strict) {
    const errors = verify(address);
    if (errors.length > 0 && options.strict) {
      throw new EasyPostApiError(
        422,
        'ADDRESS.VERIFY.FAILURE',
        'Unable to verify address.',
        errors,
      );
    }
  }
  state.addresses.set(address.id, address);
  return address;
}

/** Returns a stored address for `{ id }`, or creates an unverified one from the fields given. */
export function resolveAddress(
  state: EasyPostState,
  params: unknown,
  field: string,
): AddressObject {
  if (typeof params !== 'object' || params === null) {
    throw invalidParameter('SHIPMENT.INVALID_PARAMS', field, 'is required');
  }
  const id = (params as { id?: unknown }).id;
  if (typeof id === 'string') {
    const stored = state.addresses.get(id);
    if (!stored)
      throw invalidParameter(
        'SHIPMENT.INVALID_PARAMS',
        `${field}.id`,
        `address ${id} does not exist`,
      );
    return stored;
  }
  return createAddress(state, params, { verify: false, strict: false });
}

/** Reads EasyPost's `verify` / `verify_strict` flags, which may be `true`, a string or a list. */
export function isRequested(flag: unknown): boolean {
  if (Array.isArray(flag)) return flag.length > 0;
  return (
    flag === true ||
    flag === 'true' ||
    (typeof flag === 'string' && flag.length > 0 && flag !== 'false')
  );
}
