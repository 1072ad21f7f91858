import { z } from 'zod';
import { amountMinor, currencyCode, orderId } from './common.js';

/** The label of one parcel of an order. */
export const shipmentParcelLabel = z.object({
  shipmentId: z.string(),
  trackerId: z.string().optional(),
  trackingCode: z.string(),
  /** Weight declared to the carrier, in ounces. */
  weightOz: z.number().int().positive(),
  labelUrl: z.string(),
  rateMinor: amountMinor,
});

/**
 * Shipping labels were bought and trackers opened. The top-level fields describe the first
 * parcel. `parcels` lists every parcel, the first included, all with the same carrier, service
 * and currency. Events from producers that predate `parcels` omit it.
 */
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
  parcels: z.array(shipmentParcelLabel).min(1).optional(),
});
