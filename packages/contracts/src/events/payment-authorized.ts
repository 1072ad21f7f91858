import { z } from 'zod';
import { amountMinor, currencyCode, orderId } from './common.js';

/** The card issuer approved the amount; funds are held until capture. */
export const paymentAuthorizedV1 = z.object({
  orderId,
  paymentIntentId: z.string(),
  amountMinor,
  currency: currencyCode,
});
