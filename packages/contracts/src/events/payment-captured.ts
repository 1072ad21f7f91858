import { z } from 'zod';
import { amountMinor, currencyCode, orderId } from './common.js';

/** The held amount was captured: the customer has paid. */
export const paymentCapturedV1 = z.object({
  orderId,
  paymentIntentId: z.string(),
  amountMinor,
  currency: currencyCode,
  capturedAt: z.iso.datetime(),
});
