import type { z } from 'zod';
import { crmSyncedV1 } from './events/crm-synced.js';
import { fraudAssessedV1 } from './events/fraud-assessed.js';
import { notificationFailedV1 } from './events/notification-failed.js';
import { notificationSentV1 } from './events/notification-sent.js';
import { orderCreatedV1 } from './events/order-created.js';
import { paymentAuthenticationRequiredV1 } from './events/payment-authentication-required.js';
import { paymentAuthorizedV1 } from './events/payment-authorized.js';
import { paymentCapturedV1 } from './events/payment-captured.js';
import { paymentFailedV1 } from './events/payment-failed.js';
import { paymentRefundedV1 } from './events/payment-refunded.js';
import { paymentVoidedV1 } from './events/payment-voided.js';
import { shipmentAddressRejectedV1 } from './events/shipment-address-rejected.js';
import { shipmentAddressVerifiedV1 } from './events/shipment-address-verified.js';
import { shipmentFreightRequiredV1 } from './events/shipment-freight-required.js';
import { shipmentLabelCreatedV1 } from './events/shipment-label-created.js';
import { shipmentStatusChangedV1 } from './events/shipment-status-changed.js';
import { taxCalculatedV1 } from './events/tax-calculated.js';

/**
 * Every event of the order saga: its current schema version, the schema of its data, the
 * service that produces it, and a one-line summary used in the AsyncAPI document. Each event type
 * is also the name of its Kafka topic.
 */
export const EVENT_CATALOG = {
  'order.created': {
    version: 1,
    schema: orderCreatedV1,
    producer: 'checkout, gateway',
    summary: 'A checkout order entered the platform.',
  },
  'tax.calculated': {
    version: 1,
    schema: taxCalculatedV1,
    producer: 'tax',
    summary: 'Tax was calculated for an order, by the provider or from stored rates.',
  },
  'fraud.assessed': {
    version: 1,
    schema: fraudAssessedV1,
    producer: 'fraud',
    summary: 'An order was approved, held for review or blocked.',
  },
  'shipment.address_verified': {
    version: 1,
    schema: shipmentAddressVerifiedV1,
    producer: 'shipping',
    summary: 'The shipping address was verified by the carrier.',
  },
  'shipment.address_rejected': {
    version: 1,
    schema: shipmentAddressRejectedV1,
    producer: 'shipping',
    summary: 'The shipping address cannot be shipped to; the order waits for a correction.',
  },
  'shipment.freight_required': {
    version: 1,
    schema: shipmentFreightRequiredV1,
    producer: 'shipping',
    summary: 'The order is too large or heavy for parcels; it waits, uncharged, for freight.',
  },
  'payment.authorized': {
    version: 1,
    schema: paymentAuthorizedV1,
    producer: 'payment',
    summary: 'The card issuer approved and held the amount.',
  },
  'payment.captured': {
    version: 1,
    schema: paymentCapturedV1,
    producer: 'payment',
    summary: 'The held amount was captured.',
  },
  'payment.failed': {
    version: 1,
    schema: paymentFailedV1,
    producer: 'payment',
    summary: 'The payment ended without a charge.',
  },
  'payment.authentication_required': {
    version: 1,
    schema: paymentAuthenticationRequiredV1,
    producer: 'payment',
    summary: 'The card needs 3-D Secure; the customer must complete it.',
  },
  'payment.refunded': {
    version: 1,
    schema: paymentRefundedV1,
    producer: 'payment',
    summary: 'Captured money was returned to the customer.',
  },
  'payment.voided': {
    version: 1,
    schema: paymentVoidedV1,
    producer: 'payment',
    summary: 'An authorization was released without capture.',
  },
  'shipment.label_created': {
    version: 1,
    schema: shipmentLabelCreatedV1,
    producer: 'shipping',
    summary: 'A shipping label was bought.',
  },
  'shipment.status_changed': {
    version: 1,
    schema: shipmentStatusChangedV1,
    producer: 'shipping',
    summary: 'The carrier reported a new tracking status.',
  },
  'notification.sent': {
    version: 1,
    schema: notificationSentV1,
    producer: 'notification',
    summary: 'An email or SMS was handed to the provider.',
  },
  'notification.failed': {
    version: 1,
    schema: notificationFailedV1,
    producer: 'notification',
    summary: 'An email or SMS could not be sent.',
  },
  'crm.synced': {
    version: 1,
    schema: crmSyncedV1,
    producer: 'crm-sync',
    summary: 'The customer and the order are mirrored in the CRM.',
  },
} as const;

export type EventType = keyof typeof EVENT_CATALOG;

/** Data carried by an event of type `T`. */
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOG)[T]['schema']>;

/** All event types, which are also the topic names. */
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

/** Tells whether `type` is an event type of the catalog. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOG, type);
}

/** Consumer groups of the platform; each has a dead-letter topic. */
export const CONSUMER_GROUPS = [
  'gateway',
  'payment',
  'shipping',
  'tax',
  'fraud',
  'notification',
  'crm-sync',
] as const;

export type ConsumerGroup = (typeof CONSUMER_GROUPS)[number];

/** Name of the dead-letter topic that receives the poison messages of one consumer group. */
export function deadLetterTopic(group: string): string {
  return `dead-letter.${group}`;
}
