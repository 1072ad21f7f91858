import { z } from 'zod';
import { orderId } from './common.js';
import { NOTIFICATION_CHANNELS } from './notification-sent.js';

/** A message could not be delivered to the provider after retries. */
export const notificationFailedV1 = z.object({
  orderId,
  channel: z.enum(NOTIFICATION_CHANNELS),
  template: z.string(),
  reason: z.string(),
});
