import { z } from 'zod';
import { orderId } from './common.js';

/** The carrier confirmed that the shipping address can receive parcels. */
export const shipmentAddressVerifiedV1 = z.object({
  orderId,
  addressId: z.string(),
  country: z.string().length(2),
});
