import { z } from 'zod';
import { orderId } from './common.js';

/** An authorization was released without capture. */
export const paymentVoidedV1 = z.object({
  orderId,
  paymentIntentId: z.string(),
  reason: z.string(),
});
