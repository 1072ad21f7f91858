import { z } from 'zod';
import { amountMinor, currencyCode, orderId } from './common.js';

/** Captured money went back to the customer. */
export const paymentRefundedV1 = z.object({
  orderId,
  paymentIntentId: z.string(),
  refundId: z.string(),
  amountMinor,
  currency: currencyCode,
  reason: z.string(),
});
