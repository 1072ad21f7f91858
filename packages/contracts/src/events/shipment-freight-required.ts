import { z } from 'zod';
import { orderId } from './common.js';

/**
 * Event data of an order too large or heavy for parcels. It needs freight, which the platform
 * does not book, so nothing is charged and the customer is notified that the shop will get in
 * touch.
 */
export const shipmentFreightRequiredV1 = z.object({
  orderId,
  /**
   * `too_many_parcels`: the items fill more parcels than one shipment may contain.
   * `item_too_heavy`: one item is heavier than the heaviest parcel that carriers accept.
   */
  reason: z.enum(['too_many_parcels', 'item_too_heavy']),
  /** Estimated weight of all the order's items, in ounces. */
  estimatedWeightOz: z.number().int().nonnegative(),
  /** Number of parcels the items would fill. Absent for `item_too_heavy`, which is not packed. */
  parcels: z.number().int().positive().optional(),
  /** Sentence that may be shown to the customer as it is. */
  customerMessage: z.string(),
});
