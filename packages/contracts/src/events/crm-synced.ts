import { z } from 'zod';
import { orderId } from './common.js';

/** The order's customer and deal are mirrored in the CRM. */
export const crmSyncedV1 = z.object({
  orderId,
  customerId: z.string(),
  provider: z.string(),
  contactId: z.string(),
  dealId: z.string(),
});
