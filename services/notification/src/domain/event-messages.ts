import type { EventData } from '@orderflow/contracts';
import type { NotificationMessage } from './templates.js';

/**
 * Builders of the customer message that each saga event triggers. A builder returns undefined
 * when the event needs no message, as for an approved fraud check.
 */
export const EVENT_MESSAGES = {
  'payment.captured': (data: EventData<'payment.captured'>): NotificationMessage => ({
    template: 'order_confirmation',
    orderId: data.orderId,
    amountMinor: data.amountMinor,
    currency: data.currency,
  }),
  'payment.failed': (data: EventData<'payment.failed'>): NotificationMessage => ({
    template: 'payment_failed',
    orderId: data.orderId,
    amountMinor: data.amountMinor,
    currency: data.currency,
    customerMessage: data.customerMessage,
  }),
  'payment.authentication_required': (
    data: EventData<'payment.authentication_required'>,
  ): NotificationMessage => ({
    template: 'authentication_required',
    orderId: data.orderId,
    amountMinor: data.amountMinor,
    currency: data.currency,
    customerMessage: data.customerMessage,
    ...(data.nextActionUrl ? { confirmationUrl: data.nextActionUrl } : {}),
  }),
  'shipment.address_rejected': (
    data: EventData<'shipment.address_rejected'>,
  ): NotificationMessage => ({
    template: 'address_correction',
    orderId: data.orderId,
    customerMessage: data.customerMessage,
  }),
  'shipment.freight_required': (
    data: EventData<'shipment.freight_required'>,
  ): NotificationMessage => ({
    template: 'freight_required',
    orderId: data.orderId,
    customerMessage: data.customerMessage,
  }),
  'fraud.assessed': (data: EventData<'fraud.assessed'>): NotificationMessage | undefined => {
    if (data.decision === 'review') return { template: 'order_in_review', orderId: data.orderId };
    if (data.decision === 'block') return { template: 'order_cancelled', orderId: data.orderId };
    return undefined;
  },
  'shipment.label_created': (data: EventData<'shipment.label_created'>): NotificationMessage => ({
    template: 'shipping_update',
    orderId: data.orderId,
    carrier: data.carrier,
    trackingCode: data.trackingCode,
  }),
} as const;
