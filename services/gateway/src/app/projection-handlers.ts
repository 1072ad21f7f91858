import { EVENT_TYPES, type EventType, type TypedEvent } from '@orderflow/contracts';
import type { EventHandler, EventHandlers } from '@orderflow/messaging';
import { projectEvent, type OrderPatch } from '../adapters/order-repository.js';
import { summarizeEvent } from '../domain/timeline-summary.js';

/** Returns the read-model columns that an event sets; other event types only add a timeline entry. */
function patchFor(event: TypedEvent): { patch: OrderPatch; notifiedTemplate?: string } {
  switch (event.type) {
    case 'order.created': {
      const order = (event as TypedEvent<'order.created'>).data;
      return {
        patch: {
          customer_id: order.customer.id,
          currency: order.currency,
          subtotal_minor: String(order.totals.subtotalMinor),
        },
      };
    }
    case 'fraud.assessed':
      return { patch: { fraud_decision: (event as TypedEvent<'fraud.assessed'>).data.decision } };
    case 'shipment.address_rejected':
      return {
        patch: {
          address_rejected: true,
          customer_message: (event as TypedEvent<'shipment.address_rejected'>).data.customerMessage,
        },
      };
    case 'shipment.freight_required':
      return {
        patch: {
          freight_required: true,
          customer_message: (event as TypedEvent<'shipment.freight_required'>).data.customerMessage,
        },
      };
    case 'payment.authorized':
      return {
        patch: {
          amount_minor: String((event as TypedEvent<'payment.authorized'>).data.amountMinor),
        },
      };
    case 'payment.captured':
      return {
        patch: {
          payment_state: 'captured',
          amount_minor: String((event as TypedEvent<'payment.captured'>).data.amountMinor),
        },
      };
    case 'payment.failed':
      return {
        patch: {
          payment_state: 'failed',
          customer_message: (event as TypedEvent<'payment.failed'>).data.customerMessage,
        },
      };
    case 'payment.authentication_required':
      return {
        patch: {
          payment_state: 'authentication_required',
          customer_message: (event as TypedEvent<'payment.authentication_required'>).data
            .customerMessage,
        },
      };
    case 'shipment.label_created':
      return {
        patch: {
          label_created: true,
          tracking_code: (event as TypedEvent<'shipment.label_created'>).data.trackingCode,
        },
      };
    case 'notification.sent':
      return {
        patch: {},
        notifiedTemplate: (event as TypedEvent<'notification.sent'>).data.template,
      };
    case 'crm.synced':
      return { patch: { crm_synced: true } };
    default:
      return { patch: {} };
  }
}

const project: EventHandler<EventType> = async (event, ctx) => {
  const { patch: proposed, notifiedTemplate } = patchFor(event);
  // A second order.created for a known order (a new event id, other content) only adds a
  // timeline entry, so it cannot rewrite what the first one recorded.
  const known =
    event.type === 'order.created' &&
    (await ctx
      .trx('orders')
      .where({ order_id: event.subject })
      .whereNotNull('currency')
      .first()) !== undefined;
  if (known) ctx.log.warn('order.created for a known order; read model kept');
  const patch = known ? {} : proposed;
  await projectEvent(
    ctx.trx,
    {
      orderId: event.subject,
      eventId: event.id,
      eventType: event.type,
      occurredAt: event.time,
      summary: summarizeEvent(event),
    },
    patch,
    notifiedTemplate,
  );
  if (event.type === 'payment.authorized') {
    await ctx
      .trx('orders')
      .where({ order_id: event.subject })
      .whereNull('payment_state')
      .update({ payment_state: 'authorized' });
  }
};

/**
 * Projects every saga event into the order read model, so `GET /v1/orders/:id` shows the status
 * and timeline whether the order came through this API or straight from checkout over Kafka.
 * `payment.authorized` never downgrades a captured payment, because the two events travel on
 * different topics and may be projected in either order.
 */
export function projectionHandlers(): EventHandlers {
  const handlers: EventHandlers = {};
  for (const type of EVENT_TYPES)
    (handlers as Record<EventType, EventHandler<EventType>>)[type] = project;
  return handlers;
}
