import type { CurrencyCode } from '@orderflow/contracts';
import { formatAmount } from './money-format.js';
import type { NotificationChannel } from './recipient-channels.js';

/** Content of one customer message, by template. Each variant carries what its text needs. */
export type NotificationMessage =
  | { template: 'order_confirmation'; orderId: string; amountMinor: number; currency: CurrencyCode }
  | {
      template: 'payment_failed';
      orderId: string;
      amountMinor: number;
      currency: CurrencyCode;
      customerMessage: string;
    }
  | {
      template: 'authentication_required';
      orderId: string;
      amountMinor: number;
      currency: CurrencyCode;
      customerMessage: string;
      confirmationUrl?: string;
    }
  | { template: 'address_correction'; orderId: string; customerMessage: string }
  | { template: 'freight_required'; orderId: string; customerMessage: string }
  | { template: 'order_in_review'; orderId: string }
  | { template: 'order_cancelled'; orderId: string }
  | { template: 'shipping_update'; orderId: string; carrier: string; trackingCode: string };

export type TemplateName = NotificationMessage['template'];

/** Subject and plain-text body of an email. */
export interface EmailContent {
  subject: string;
  text: string;
}

type MessageOf<T extends TemplateName> = Extract<NotificationMessage, { template: T }>;

interface TemplateDefinition<M extends NotificationMessage> {
  /**
   * Channels in sending order. Email comes first because a failed email retries the whole
   * event, so nothing may be sent before it.
   */
  channels: readonly NotificationChannel[];
  email: (message: M) => EmailContent;
  /** Required when `channels` contains `sms`. */
  sms?: (message: M) => string;
}

const GREETING = 'Hello,';
const SIGN_OFF = 'Thank you for shopping with us.';

function emailBody(...paragraphs: string[]): string {
  return [GREETING, ...paragraphs, SIGN_OFF].join('\n\n') + '\n';
}

function amountOf(message: { amountMinor: number; currency: CurrencyCode }): string {
  return formatAmount(message.amountMinor, message.currency);
}

/**
 * Every customer message, as code. Texts use plain words and state only what the saga
 * guarantees at that point, such as "nothing was charged" after a failed or held payment.
 */
export const TEMPLATES: { [T in TemplateName]: TemplateDefinition<MessageOf<T>> } = {
  order_confirmation: {
    channels: ['email', 'sms'],
    email: (m) => ({
      subject: `Your order ${m.orderId} is confirmed`,
      text: emailBody(
        `Thank you for your order ${m.orderId}. We received your payment of ${amountOf(m)}.`,
        'We will email you again with a tracking number when your order is ready to ship.',
      ),
    }),
    sms: (m) => `Order ${m.orderId} is confirmed. We received your payment of ${amountOf(m)}.`,
  },
  payment_failed: {
    channels: ['email', 'sms'],
    email: (m) => ({
      subject: `Payment for order ${m.orderId} did not go through`,
      text: emailBody(
        `We could not take the payment of ${amountOf(m)} for order ${m.orderId}, ` +
          'and nothing was charged.',
        m.customerMessage,
      ),
    }),
    sms: (m) => `Payment for order ${m.orderId} did not go through. ${m.customerMessage}`,
  },
  authentication_required: {
    channels: ['email', 'sms'],
    email: (m) => ({
      subject: `Please confirm the payment for order ${m.orderId}`,
      text: emailBody(
        `The payment of ${amountOf(m)} for order ${m.orderId} is waiting for your bank's ` +
          'confirmation.',
        m.customerMessage,
        ...(m.confirmationUrl ? [`Confirm the payment here: ${m.confirmationUrl}`] : []),
      ),
    }),
    sms: (m) =>
      [`Order ${m.orderId}: ${m.customerMessage}`, m.confirmationUrl].filter(Boolean).join(' '),
  },
  address_correction: {
    channels: ['email', 'sms'],
    email: (m) => ({
      subject: `Please check the delivery address for order ${m.orderId}`,
      text: emailBody(
        `We cannot ship order ${m.orderId} to the address you gave us, ` +
          'so we have not charged you yet.',
        m.customerMessage,
        'Please contact us with the corrected address and we will continue with your order.',
      ),
    }),
    sms: (m) =>
      `We cannot ship order ${m.orderId} to the address you gave us. ${m.customerMessage}`,
  },
  freight_required: {
    channels: ['email', 'sms'],
    email: (m) => ({
      subject: `Order ${m.orderId} needs a freight delivery`,
      text: emailBody(
        `Order ${m.orderId} is too large to send as parcels, so we have not charged you yet.`,
        m.customerMessage,
      ),
    }),
    sms: (m) => `Order ${m.orderId} needs a freight delivery. ${m.customerMessage}`,
  },
  order_in_review: {
    channels: ['email'],
    email: (m) => ({
      subject: `Your order ${m.orderId} is being checked`,
      text: emailBody(
        `We are running a routine check on order ${m.orderId} before we take payment. ` +
          'Nothing has been charged yet.',
        'We will email you again as soon as the check is finished.',
      ),
    }),
  },
  order_cancelled: {
    channels: ['email'],
    email: (m) => ({
      subject: `Your order ${m.orderId} was cancelled`,
      text: emailBody(
        `We could not accept order ${m.orderId}, so we cancelled it. Nothing has been charged.`,
        'If you think this is a mistake, please contact us.',
      ),
    }),
  },
  shipping_update: {
    channels: ['email'],
    email: (m) => ({
      subject: `Your order ${m.orderId} is ready to ship`,
      text: emailBody(
        `Order ${m.orderId} is packed and will travel with ${m.carrier}.`,
        `Tracking number: ${m.trackingCode}`,
      ),
    }),
  },
};

function definitionOf(message: NotificationMessage): TemplateDefinition<NotificationMessage> {
  // Safe: TEMPLATES[T] takes exactly the message variant whose template is T.
  return TEMPLATES[message.template] as TemplateDefinition<NotificationMessage>;
}

/** Returns the channels a template is sent on, email first. */
export function templateChannels(template: TemplateName): readonly NotificationChannel[] {
  return TEMPLATES[template].channels;
}

/** Renders the email of a message. */
export function renderEmail(message: NotificationMessage): EmailContent {
  return definitionOf(message).email(message);
}

/** Renders the SMS text of a message. Throws for a template that has no SMS. */
export function renderSms(message: NotificationMessage): string {
  const sms = definitionOf(message).sms;
  if (!sms) throw new Error(`template ${message.template} has no SMS text`);
  return sms(message);
}
