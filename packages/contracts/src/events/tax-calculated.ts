import { z } from 'zod';
import { amountMinor, currencyCode, orderId } from './common.js';

/** Tax for an order. `source` is `fallback_rates` when the provider was unreachable. */
export const taxCalculatedV1 = z.object({
  orderId,
  currency: currencyCode,
  subtotalMinor: amountMinor,
  taxMinor: amountMinor,
  totalMinor: amountMinor,
  source: z.enum(['provider', 'fallback_rates']),
  fallbackReason: z.string().optional(),
  transactionCode: z.string().optional(),
  jurisdictions: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      rate: z.number().nonnegative(),
      taxMinor: amountMinor,
    }),
  ),
});
