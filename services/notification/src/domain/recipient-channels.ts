import type { NOTIFICATION_CHANNELS } from '@orderflow/contracts';
import { templateChannels, type TemplateName } from './templates.js';

export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** Contact details of an order's customer and the channels the customer allows. */
export interface Recipient {
  orderId: string;
  customerId: string;
  email: string;
  /** E.164 number, or null when the order carries none. */
  phone: string | null;
  emailEnabled: boolean;
  smsEnabled: boolean;
}

/**
 * Selects the channels a template goes out on for one recipient, keeping the template's order:
 * a channel is used when the template has it and the customer allows it, and SMS also needs a
 * phone number.
 */
export function channelsFor(template: TemplateName, recipient: Recipient): NotificationChannel[] {
  return templateChannels(template).filter((channel) =>
    channel === 'email' ? recipient.emailEnabled : recipient.smsEnabled && recipient.phone !== null,
  );
}

/**
 * Default preferences of a customer seen on an order: email on, and SMS on when the order
 * carries a phone number.
 */
export function defaultPreferences(phone: string | null | undefined): {
  emailEnabled: boolean;
  smsEnabled: boolean;
} {
  return { emailEnabled: true, smsEnabled: Boolean(phone) };
}
