import { isIP } from 'node:net';
import type { OrderRiskFacts } from './payment-abuse-score.js';

/** Sift API status codes that the sandbox returns, as listed in Sift's error code table. */
export const SIFT_STATUS = {
  ok: 0,
  unexpectedServerError: -1,
  serverError: -3,
  serviceOverloaded: -4,
  invalidApiKey: 51,
  invalidFieldValue: 53,
  missingRequiredField: 55,
  invalidJson: 56,
  invalidHttpBody: 57,
  rateLimited: 60,
  invalidReservedField: 105,
} as const;

/** A rejected event: the Sift status code and the error message that goes with it. */
export interface SiftEventError {
  status: number;
  message: string;
}

/**
 * Reserved (`$`-prefixed) top-level fields that the sandbox accepts on any event. Custom fields
 * have no `$` prefix and are always accepted.
 */
const RESERVED_FIELDS = new Set([
  '$type',
  '$api_key',
  '$user_id',
  '$session_id',
  '$order_id',
  '$user_email',
  '$name',
  '$phone',
  '$verification_phone_number',
  '$amount',
  '$currency_code',
  '$billing_address',
  '$payment_methods',
  '$shipping_address',
  '$expedited_shipping',
  '$shipping_method',
  '$shipping_carrier',
  '$shipping_tracking_numbers',
  '$items',
  '$seller_user_id',
  '$promotions',
  '$ip',
  '$browser',
  '$app',
  '$time',
  '$brand_name',
  '$site_country',
  '$site_domain',
  '$order_status',
  '$reason',
  '$transaction_id',
  '$transaction_type',
  '$transaction_status',
]);

/** Characters that Sift allows in a `$user_id`. */
const USER_ID_PATTERN = /^[A-Za-z0-9=.\-_+@:&^%!$]+$/;

/** Matches a Sift API key as the sandbox accepts it: at least 16 letters or digits. */
export const SIFT_API_KEY_PATTERN = /^[A-Za-z0-9]{16,}$/;

/** An API key that the sandbox accepts, for local configuration and tests. */
export const SIFT_SANDBOX_API_KEY = 'sandbox0sift0key0000001';

/** Checks an event body against the rules that the sandbox enforces. Returns the first failure. */
export function validateEvent(body: unknown): SiftEventError | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: SIFT_STATUS.invalidHttpBody, message: 'The body must be a JSON object' };
  }
  const event = body as Record<string, unknown>;
  const apiKey = event.$api_key;
  if (typeof apiKey !== 'string' || !SIFT_API_KEY_PATTERN.test(apiKey)) {
    return { status: SIFT_STATUS.invalidApiKey, message: 'Invalid API key' };
  }
  if (typeof event.$type !== 'string' || event.$type === '') {
    return missingField('$type');
  }
  const unknownField = Object.keys(event).find(
    (key) => key.startsWith('$') && !RESERVED_FIELDS.has(key),
  );
  if (unknownField) {
    return {
      status: SIFT_STATUS.invalidReservedField,
      message: `Not a valid reserved field: ${unknownField}`,
    };
  }
  return validateFieldValues(event);
}

function validateFieldValues(event: Record<string, unknown>): SiftEventError | undefined {
  const userId = event.$user_id;
  if (userId === undefined && event.$session_id === undefined) return missingField('$user_id');
  if (userId !== undefined && (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId))) {
    return invalidValue(
      '$user_id',
      'contains characters outside a-z A-Z 0-9 = . - _ + @ : & ^ % ! $',
    );
  }
  if (event.$amount !== undefined && !Number.isSafeInteger(event.$amount)) {
    return invalidValue('$amount', 'must be an integer number of micros');
  }
  const currency = event.$currency_code;
  if (currency !== undefined && (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))) {
    return invalidValue('$currency_code', 'must be an ISO 4217 code such as USD');
  }
  if (event.$ip !== undefined && (typeof event.$ip !== 'string' || isIP(event.$ip) === 0)) {
    return invalidValue('$ip', 'must be an IPv4 or IPv6 address');
  }
  return undefined;
}

function missingField(field: string): SiftEventError {
  return { status: SIFT_STATUS.missingRequiredField, message: `Missing required field: ${field}` };
}

function invalidValue(field: string, rule: string): SiftEventError {
  return {
    status: SIFT_STATUS.invalidFieldValue,
    message: `Invalid field value: ${field} ${rule}`,
  };
}

/** Reads the fields that the payment abuse score uses from a validated event. */
export function readRiskFacts(event: Record<string, unknown>): OrderRiskFacts {
  return {
    email: stringField(event.$user_email),
    ip: stringField(event.$ip),
    amountMicros: typeof event.$amount === 'number' ? event.$amount : undefined,
    currency: stringField(event.$currency_code),
    billingCountry: countryOf(event.$billing_address),
    shippingCountry: countryOf(event.$shipping_address),
  };
}

function countryOf(address: unknown): string | undefined {
  if (typeof address !== 'object' || address === null) return undefined;
  return stringField((address as Record<string, unknown>).$country)?.toUpperCase();
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
