export * from './reference-data.js';
export * from './order/checkout-order.js';
export * from './event-catalog.js';
export * from './envelope.js';
export * from './json-schema.js';
export * from './asyncapi.js';
export * from './compatibility.js';
export { FRAUD_DECISIONS } from './events/fraud-assessed.js';
export { NOTIFICATION_CHANNELS } from './events/notification-sent.js';
