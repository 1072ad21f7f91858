import {
  countryCode,
  currencyCode,
  orderLine,
  postalAddress,
  SHIP_MODES,
  toMinorUnits,
} from '@orderflow/contracts';
import { z } from 'zod';

/**
 * Final states that an input line may name in `expected`, as documented in
 * data/orders/README.md.
 */
export const EXPECTED_OUTCOMES = [
  'captured',
  'declined',
  'authentication_required',
  'fraud_review_or_block',
  'held_for_address',
  'held_for_freight',
] as const;

export type ExpectedOutcome = (typeof EXPECTED_OUTCOMES)[number];

/** A card number as typed at checkout: 12 to 19 digits. */
const CARD_NUMBER = /^\d{12,19}$/;

/** A decimal amount in major units, such as "16.45". */
const DECIMAL_AMOUNT = /^\d+(\.\d+)?$/;

const inputLine = orderLine.omit({ lineTotalMinor: true }).extend({
  lineTotal: z.string().regex(DECIMAL_AMOUNT, {
    message: 'must be a decimal amount in major units, such as "16.45"',
  }),
});

/**
 * Storefront data that the data set adds to each real order. The card number stays in the
 * replay: it is turned into a payment method token and never published.
 */
const syntheticFields = z.object({
  street: postalAddress.shape.street,
  email: z.email({ message: 'must be a valid email address, such as name@example.com' }),
  phone: z.string().nullable().optional(),
  // The message never echoes the value, because the value may be a card number.
  card: z.string().regex(CARD_NUMBER, { message: 'must be a card number of 12 to 19 digits' }),
  clientIp: z
    .union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' })
    .optional(),
  billingCountry: countryCode.optional(),
});

/**
 * One line of the replay format (data/orders/README.md): a real order plus synthetic storefront
 * fields and the outcome a correct platform reaches. The order id allows the same characters as
 * the checkout contract; the replay appends a run id to it.
 */
export const replayOrderSchema = z
  .object({
    orderId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
      message: 'must be 1 to 64 letters, digits, dots, dashes or underscores',
    }),
    placedAt: z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
      message: 'must be an ISO 8601 date (2019-01-03) or date-time',
    }),
    shipMode: z.enum(SHIP_MODES),
    currency: currencyCode,
    customer: z.object({
      id: z.string().min(1).max(64),
      segment: z.enum(['Consumer', 'Corporate', 'Home Office']).optional(),
    }),
    shipTo: postalAddress.omit({ street: true, name: true }),
    lines: z.array(inputLine).min(1, { message: 'must contain at least one line' }).max(500),
    synthetic: syntheticFields,
    expected: z.enum(EXPECTED_OUTCOMES),
  })
  .superRefine((order, ctx) => {
    order.lines.forEach((line, index) => {
      try {
        toMinorUnits(line.lineTotal, order.currency);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', index, 'lineTotal'],
          message: error instanceof Error ? error.message : String(error),
        });
      }
    });
  });

/** A validated input line. */
export type ReplayOrder = z.output<typeof replayOrderSchema>;

/** A validated input line with its 1-based line number in the input file. */
export interface NumberedReplayOrder {
  lineNumber: number;
  order: ReplayOrder;
}
