import { z } from 'zod';
import { CURRENCY_CODES, isCountryCode } from '../reference-data.js';
import { findUnsafeText } from '../text-safety.js';

/** E.164 phone number: a plus sign and 7 to 15 digits, the first not zero. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** Pattern of order ids: 1 to 64 letters, digits, dots, dashes or underscores. */
export const ORDER_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** JSON Schema of an order id in a route's path, for Fastify route schemas. */
export const ORDER_ID_PARAM = {
  type: 'string',
  pattern: ORDER_ID_PATTERN,
  description: 'Order id',
} as const;

export const SHIP_MODES = ['Standard Class', 'Second Class', 'First Class', 'Same Day'] as const;

export const countryCode = z.string().refine(isCountryCode, {
  message: 'must be an ISO 3166-1 alpha-2 country code in upper case, such as US or CA',
});

export const currencyCode = z.enum(CURRENCY_CODES, {
  // The received value is not repeated: an error message must never echo a card number.
  error: 'must be a supported ISO 4217 currency code such as USD or CAD',
});

const minorAmount = z
  .number()
  .int({ message: 'must be a whole number of minor units (cents for USD)' })
  .nonnegative({ message: 'must not be negative' });

/**
 * At least one character that is not whitespace, a control character or an invisible format
 * character such as a zero-width space, which `trim()` keeps.
 */
const VISIBLE_TEXT = /[^\s\p{Cc}\p{Cf}\p{Z}]/u;

/** Builds a schema for a trimmed string with a visible character, at most `max` long. */
function requiredText(max: number) {
  return z
    .string()
    .trim()
    .min(1, { message: 'is required', abort: true })
    .regex(VISIBLE_TEXT, { message: 'is required' })
    .max(max);
}

/**
 * A shipping address. Street, city, region and postal code are trimmed and must hold visible
 * text.
 *
 * NOTE: countries without postal codes or without regions, such as Hong Kong, cannot be shipped
 * to until those fields become optional for them.
 */
export const postalAddress = z.object({
  name: requiredText(200).optional(),
  street: requiredText(200),
  city: requiredText(100),
  region: requiredText(100).describe('State, province or region code, such as TX or ON'),
  postalCode: requiredText(20),
  country: countryCode,
});

/** Earliest accepted `placedAt`. */
export const EARLIEST_PLACED_AT = '2000-01-01T00:00:00Z';

/**
 * How far `placedAt` may be ahead of the validating clock, in milliseconds, to allow for clock
 * skew between checkout and the platform.
 */
export const PLACED_AT_MAX_SKEW_MS = 24 * 60 * 60 * 1000;

const EARLIEST_PLACED_AT_MS = Date.parse(EARLIEST_PLACED_AT);
const PLACED_AT_MAX_SKEW_HOURS = PLACED_AT_MAX_SKEW_MS / (60 * 60 * 1000);

/** Seconds field of 60 in an ISO 8601 date-time, which is how a leap second is written. */
const SECOND_60 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d):60(?=(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$)/;

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * Tells whether `value` is a valid date-time except that its seconds are 60. Zod's date-time
 * format accepts seconds up to 59 only.
 */
function isLeapSecond(value: unknown): boolean {
  if (typeof value !== 'string' || !SECOND_60.test(value)) return false;
  return isoDateTime.safeParse(value.replace(SECOND_60, '$1:59')).success;
}

// The upper bound moves with the clock, so a service that validates the order later than the
// gateway did accepts it too.
const placedAt = z.iso
  .datetime({
    offset: true,
    error: (issue) =>
      isLeapSecond(issue.input)
        ? 'is a leap second (seconds 60), which is not accepted; send seconds 59 instead, such as 23:59:59'
        : 'must be an ISO 8601 date-time',
    abort: true,
  })
  .superRefine((value, ctx) => {
    const time = Date.parse(value);
    const latest = Date.now() + PLACED_AT_MAX_SKEW_MS;
    if (time >= EARLIEST_PLACED_AT_MS && time <= latest) return;
    // The value is not repeated, because its fraction of a second may be a run of any digits.
    ctx.addIssue({
      code: 'custom',
      message: `must be between ${EARLIEST_PLACED_AT} and ${PLACED_AT_MAX_SKEW_HOURS} hours after the current time (${new Date(latest).toISOString()})`,
    });
  })
  .describe(
    `Time the order was placed, with a UTC offset, from ${EARLIEST_PLACED_AT} to ${PLACED_AT_MAX_SKEW_HOURS} hours after the receiving service's clock`,
  );

export const orderLine = z.object({
  productId: z.string().min(1).max(64),
  name: z.string().min(1).max(500),
  category: z.string().max(100).optional(),
  subCategory: z.string().max(100).optional(),
  quantity: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(10_000, { message: 'must be at most 10000' }),
  discountRate: z
    .number()
    .min(0, { message: 'must be between 0 and 1' })
    .max(1, { message: 'must be between 0 and 1' })
    .default(0),
  lineTotalMinor: minorAmount.describe('Line total after discount, in minor units'),
});

/**
 * The order that checkout hands to the platform, carried by `order.created`. Card data never
 * appears here: `payment.paymentMethodId` is the token the storefront obtained from the payment
 * provider.
 */
export const checkoutOrderSchema = z
  .object({
    orderId: z.string().regex(new RegExp(ORDER_ID_PATTERN), {
      message: 'must be 1 to 64 letters, digits, dots, dashes or underscores',
    }),
    placedAt,
    currency: currencyCode,
    shipMode: z.enum(SHIP_MODES),
    customer: z.object({
      id: requiredText(64),
      email: z.email({ message: 'must be a valid email address, such as name@example.com' }),
      phone: z
        .string()
        .regex(E164, { message: 'must be an E.164 phone number, such as +12025550106' })
        .optional(),
      segment: z.enum(['Consumer', 'Corporate', 'Home Office']).optional(),
    }),
    shipTo: postalAddress,
    lines: z.array(orderLine).min(1, { message: 'must contain at least one line' }).max(500),
    totals: z.object({
      subtotalMinor: minorAmount
        .min(1, { message: 'must be greater than 0; orders without a charge are not supported' })
        .describe('Sum of the line totals, in minor units'),
    }),
    payment: z.object({
      paymentMethodId: z.string().regex(/^pm_[A-Za-z0-9_]{4,}$/, {
        message: 'must be a payment method token such as pm_1Nx...; never send card numbers',
      }),
      billingCountry: countryCode.optional(),
    }),
    client: z
      .object({
        ip: z
          .union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' })
          .optional(),
        userAgent: z.string().max(500).optional(),
      })
      .optional(),
  })
  .superRefine((order, ctx) => {
    for (const issue of findUnsafeText(order)) {
      ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
    }
    const sum = order.lines.reduce((total, line) => total + line.lineTotalMinor, 0);
    if (sum !== order.totals.subtotalMinor) {
      ctx.addIssue({
        code: 'custom',
        path: ['totals', 'subtotalMinor'],
        message: `must equal the sum of the line totals (${sum}); received ${order.totals.subtotalMinor}`,
      });
    }
  });

export type CheckoutOrder = z.infer<typeof checkoutOrderSchema>;
export type PostalAddress = z.infer<typeof postalAddress>;
export type OrderLine = z.infer<typeof orderLine>;
