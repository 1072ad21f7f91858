import { z } from 'zod';
import { orderId } from './common.js';

/** The shipping address cannot be shipped to; nothing is charged until the customer fixes it. */
export const shipmentAddressRejectedV1 = z.object({
  orderId,
  /** Address field at fault, such as `shipTo.postalCode`. */
  field: z.string(),
  /** Sentence that may be shown to the customer as it is. */
  customerMessage: z.string(),
});
