import { z } from 'zod';
import { orderId } from './common.js';

export const NOTIFICATION_CHANNELS = ['email', 'sms'] as const;

/** A message was handed to the email or SMS provider. */
export const notificationSentV1 = z.object({
  orderId,
  channel: z.enum(NOTIFICATION_CHANNELS),
  template: z.string(),
  providerMessageId: z.string(),
  /** Masked recipient, such as `d***@example.com` or `+1202555****`. */
  recipientHint: z.string(),
});
