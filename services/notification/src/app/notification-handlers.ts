import type { EventHandlers, HandlerContext } from '@orderflow/messaging';
import { saveDefaultPreferences, saveOrderContact } from '../adapters/notification-repository.js';
import { EVENT_MESSAGES } from '../domain/event-messages.js';
import type { MessageSenders } from '../domain/notification-ports.js';
import { defaultPreferences } from '../domain/recipient-channels.js';
import type { NotificationMessage } from '../domain/templates.js';
import { sendNotification } from './send-notification.js';

/**
 * Handlers of the notification service: `order.created` stores the customer's contact and
 * default preferences, and every other event sends the message that EVENT_MESSAGES maps it to.
 */
export function notificationHandlers(senders: MessageSenders): EventHandlers {
  const notify = async (
    message: NotificationMessage | undefined,
    eventId: string,
    ctx: HandlerContext,
  ): Promise<void> => {
    if (!message) {
      ctx.log.debug('event needs no notification');
      return;
    }
    await sendNotification(message, senders, ctx, eventId);
  };

  return {
    'order.created': async (event, ctx) => {
      const { orderId, customer } = event.data;
      const phone = customer.phone ?? null;
      await saveOrderContact(ctx.trx, {
        orderId,
        customerId: customer.id,
        email: customer.email,
        phone,
      });
      await saveDefaultPreferences(ctx.trx, customer.id, defaultPreferences(phone));
      ctx.log.info({ customerId: customer.id, hasPhone: phone !== null }, 'order contact stored');
    },
    'payment.captured': (event, ctx) =>
      notify(EVENT_MESSAGES['payment.captured'](event.data), event.id, ctx),
    'payment.failed': (event, ctx) =>
      notify(EVENT_MESSAGES['payment.failed'](event.data), event.id, ctx),
    'payment.authentication_required': (event, ctx) =>
      notify(EVENT_MESSAGES['payment.authentication_required'](event.data), event.id, ctx),
    'shipment.address_rejected': (event, ctx) =>
      notify(EVENT_MESSAGES['shipment.address_rejected'](event.data), event.id, ctx),
    'shipment.freight_required': (event, ctx) =>
      notify(EVENT_MESSAGES['shipment.freight_required'](event.data), event.id, ctx),
    'fraud.assessed': (event, ctx) =>
      notify(EVENT_MESSAGES['fraud.assessed'](event.data), event.id, ctx),
    'shipment.label_created': (event, ctx) =>
      notify(EVENT_MESSAGES['shipment.label_created'](event.data), event.id, ctx),
  };
}
