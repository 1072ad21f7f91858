import { z } from 'zod';
import { amountMinor, currencyCode, orderId } from './common.js';

/** The payment ended without a charge. `customerMessage` explains why to the customer in plain words. */
export const paymentFailedV1 = z.object({
  orderId,
  paymentIntentId: z.string().optional(),
  stage: z.enum(['authorize', 'capture']),
  code: z.string(),
  declineCode: z.string().optional(),
  customerMessage: z.string(),
  amountMinor,
  currency: currencyCode,
});
