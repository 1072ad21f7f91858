import type { Knex } from 'knex';
import type { NotificationChannel, Recipient } from '../domain/recipient-channels.js';
import type { TemplateName } from '../domain/templates.js';

/** Final states of a communication log row. */
export type MessageStatus = 'sent' | 'failed' | 'suppressed';

/**
 * Identity of one message. The unique key of `communication_log` allows each template at most
 * once per order and channel.
 */
export interface MessageKey {
  orderId: string;
  template: TemplateName;
  channel: NotificationChannel;
}

export interface CommunicationLogRow {
  id: string;
  order_id: string;
  template: TemplateName;
  channel: NotificationChannel;
  status: MessageStatus;
  recipient_hint: string;
  provider_message_id: string | null;
  failure_reason: string | null;
  event_id: string;
  created_at: Date;
  updated_at: Date;
}

/** Stores the contact of an order. A redelivered `order.created` changes nothing. */
export async function saveOrderContact(
  trx: Knex.Transaction,
  contact: { orderId: string; customerId: string; email: string; phone: string | null },
): Promise<void> {
  await trx('order_contacts')
    .insert({
      order_id: contact.orderId,
      customer_id: contact.customerId,
      email: contact.email,
      phone: contact.phone,
    })
    .onConflict('order_id')
    .ignore();
}

/**
 * Stores default preferences for a customer. Default rows only ever gain SMS (when a later order
 * brings a phone number); rows the customer chose are left alone.
 */
export async function saveDefaultPreferences(
  trx: Knex.Transaction,
  customerId: string,
  defaults: { emailEnabled: boolean; smsEnabled: boolean },
): Promise<void> {
  await trx.raw(
    `INSERT INTO preferences (customer_id, email_enabled, sms_enabled, source)
     VALUES (?, ?, ?, 'default')
     ON CONFLICT (customer_id) DO UPDATE
       SET sms_enabled = preferences.sms_enabled OR excluded.sms_enabled, updated_at = now()
       WHERE preferences.source = 'default'`,
    [customerId, defaults.emailEnabled, defaults.smsEnabled],
  );
}

/** Returns the contact of an order with its customer's preferences, or undefined if unknown. */
export async function findRecipient(
  db: Knex | Knex.Transaction,
  orderId: string,
): Promise<Recipient | undefined> {
  const row = (await db('order_contacts as c')
    .leftJoin('preferences as p', 'p.customer_id', 'c.customer_id')
    .where('c.order_id', orderId)
    .first(
      'c.order_id',
      'c.customer_id',
      'c.email',
      'c.phone',
      'p.email_enabled',
      'p.sms_enabled',
    )) as
    | {
        order_id: string;
        customer_id: string;
        email: string;
        phone: string | null;
        email_enabled: boolean | null;
        sms_enabled: boolean | null;
      }
    | undefined;
  if (!row) return undefined;
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    email: row.email,
    phone: row.phone,
    emailEnabled: row.email_enabled ?? true,
    smsEnabled: row.sms_enabled ?? row.phone !== null,
  };
}

/** Returns why an address must not be contacted on a channel, or undefined when it may be. */
export async function findSuppression(
  trx: Knex.Transaction,
  channel: NotificationChannel,
  address: string,
): Promise<string | undefined> {
  const normalized = channel === 'email' ? address.toLowerCase() : address;
  const row = (await trx('suppressions')
    .where({ channel, address: normalized })
    .first('reason')) as { reason: string } | undefined;
  return row?.reason;
}

/**
 * Claims a message by inserting its log row as `pending`. Returns false when the message was
 * already sent, failed or suppressed. A concurrent transaction that claims the same message
 * waits on the unique key until this one ends, so two events can never both send it.
 */
export async function claimMessage(
  trx: Knex.Transaction,
  key: MessageKey,
  details: { recipientHint: string; eventId: string },
): Promise<boolean> {
  const inserted = await trx('communication_log')
    .insert({
      order_id: key.orderId,
      template: key.template,
      channel: key.channel,
      status: 'pending',
      recipient_hint: details.recipientHint,
      event_id: details.eventId,
    })
    .onConflict(['order_id', 'template', 'channel'])
    .ignore()
    .returning('id');
  return inserted.length > 0;
}

/** Records the outcome of a claimed message. */
export async function recordOutcome(
  trx: Knex.Transaction,
  key: MessageKey,
  outcome:
    | { status: 'sent'; providerMessageId: string }
    | { status: 'failed' | 'suppressed'; failureReason: string },
): Promise<void> {
  await trx('communication_log')
    .where({ order_id: key.orderId, template: key.template, channel: key.channel })
    .update({
      status: outcome.status,
      provider_message_id: outcome.status === 'sent' ? outcome.providerMessageId : null,
      failure_reason: outcome.status === 'sent' ? null : outcome.failureReason,
      updated_at: trx.fn.now(),
    });
}

/** Lists the messages of an order, oldest first. */
export async function listMessages(db: Knex, orderId: string): Promise<CommunicationLogRow[]> {
  return (await db('communication_log')
    .where({ order_id: orderId })
    .orderBy('id', 'asc')) as CommunicationLogRow[];
}
