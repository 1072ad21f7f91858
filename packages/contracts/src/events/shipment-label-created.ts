import { z } from 'zod';
import { amountMinor, currencyCode, orderId } from './common.js';

/** A shipping label was bought and a tracker opened. */
export const shipmentLabelCreatedV1 = z.object({
  orderId,
  shipmentId: z.string(),
  trackerId: z.string().optional(),
  carrier: z.string(),
  service: z.string(),
  trackingCode: z.string(),
  labelUrl: z.string(),
  rateMinor: amountMinor,
  currency: currencyCode,
});
