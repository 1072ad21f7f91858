import { z } from 'zod';
import { orderId } from './common.js';

/** The carrier reported a new tracking status for a parcel. */
export const shipmentStatusChangedV1 = z.object({
  orderId,
  shipmentId: z.string(),
  trackingCode: z.string(),
  from: z.string().optional(),
  to: z.string(),
  occurredAt: z.iso.datetime(),
});
