import type { HandlerContext } from '@orderflow/messaging';
import { ProviderError } from '@orderflow/service-kit';
import {
  claimMessage,
  findRecipient,
  findSuppression,
  recordOutcome,
  type MessageKey,
} from '../adapters/notification-repository.js';
import { maskEmail } from '../adapters/providers/sendgrid/sendgrid-adapter.js';
import { maskPhone } from '../adapters/providers/twilio/twilio-adapter.js';
import type { MessageSenders } from '../domain/notification-ports.js';
import {
  channelsFor,
  type NotificationChannel,
  type Recipient,
} from '../domain/recipient-channels.js';
import { renderEmail, renderSms, type NotificationMessage } from '../domain/templates.js';

/**
 * Sends one customer message on each channel its template and the customer's preferences
 * allow, email first, inside the handler's transaction.
 *
 * Defers the event while the order's `order.created` has not been handled, so it is sent once
 * the contact is stored. An email that fails after the adapter's retries is thrown, which rolls back the
 * transaction so that the whole event is retried, or dead-lettered when SendGrid rejected it for
 * good. An SMS that fails is recorded and reported as `notification.failed` instead, so that the
 * event is not retried and its email is not sent a second time.
 *
 * NOTE: when the transaction fails to commit after a provider accepted a message, the retry
 * sends that message again, because neither SendGrid nor Twilio takes an idempotency key.
 */
export async function sendNotification(
  message: NotificationMessage,
  senders: MessageSenders,
  ctx: HandlerContext,
  eventId: string,
): Promise<void> {
  const recipient = await findRecipient(ctx.trx, message.orderId);
  if (!recipient) {
    await ctx.defer('order contact not stored yet');
    return;
  }
  const channels = channelsFor(message.template, recipient);
  if (channels.length === 0) {
    ctx.log.info({ template: message.template }, 'notification skipped by preferences');
    return;
  }
  for (const channel of channels) {
    await deliver(message, channel, recipient, senders, ctx, eventId);
  }
}

async function deliver(
  message: NotificationMessage,
  channel: NotificationChannel,
  recipient: Recipient,
  senders: MessageSenders,
  ctx: HandlerContext,
  eventId: string,
): Promise<void> {
  const { orderId, template } = message;
  const key: MessageKey = { orderId, template, channel };
  const address = channel === 'email' ? recipient.email : recipient.phone!;
  const recipientHint = channel === 'email' ? maskEmail(address) : maskPhone(address);
  const fields = { template, channel, recipientHint };

  if (!(await claimMessage(ctx.trx, key, { recipientHint, eventId }))) {
    ctx.log.info(fields, 'notification already handled');
    return;
  }

  const suppressionReason = await findSuppression(ctx.trx, channel, address);
  if (suppressionReason !== undefined) {
    const reason = `recipient is suppressed: ${suppressionReason}`;
    await recordOutcome(ctx.trx, key, { status: 'suppressed', failureReason: reason });
    await ctx.publish({
      type: 'notification.failed',
      subject: orderId,
      data: { orderId, channel, template, reason },
    });
    ctx.log.info({ ...fields, suppressionReason }, 'notification suppressed');
    return;
  }

  let providerMessageId: string;
  try {
    providerMessageId = await send(message, channel, address, senders);
  } catch (error) {
    // Only a provider's SMS failure is recorded. An email failure rolls back before anything was
    // sent, and any other error is a fault that the consumer retries.
    if (channel === 'email' || !(error instanceof ProviderError)) throw error;
    const reason = `${error.code}: ${error.message}`;
    await recordOutcome(ctx.trx, key, { status: 'failed', failureReason: reason });
    await ctx.publish({
      type: 'notification.failed',
      subject: orderId,
      data: { orderId, channel, template, reason },
    });
    ctx.log.warn({ ...fields, err: error }, 'notification failed');
    return;
  }

  await recordOutcome(ctx.trx, key, { status: 'sent', providerMessageId });
  await ctx.publish({
    type: 'notification.sent',
    subject: orderId,
    data: { orderId, channel, template, providerMessageId, recipientHint },
  });
  ctx.log.info({ ...fields, providerMessageId }, 'notification sent');
}

async function send(
  message: NotificationMessage,
  channel: NotificationChannel,
  address: string,
  senders: MessageSenders,
): Promise<string> {
  const { orderId, template } = message;
  if (channel === 'sms') {
    const sms = await senders.sms.sendSms({ to: address, body: renderSms(message), orderId });
    return sms.providerMessageId;
  }
  const content = renderEmail(message);
  const email = await senders.email.sendEmail({
    to: address,
    subject: content.subject,
    text: content.text,
    category: template.replaceAll('_', '-'),
    customArgs: { orderId, template },
  });
  return email.providerMessageId;
}
