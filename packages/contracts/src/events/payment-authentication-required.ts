import { z } from 'zod';
import { amountMinor, currencyCode, orderId } from './common.js';

/** The issuer requires 3-D Secure, so nothing is captured until the customer completes it. */
export const paymentAuthenticationRequiredV1 = z.object({
  orderId,
  paymentIntentId: z.string(),
  amountMinor,
  currency: currencyCode,
  nextActionUrl: z.string().optional(),
  customerMessage: z.string(),
});
