export * from './messaging-tables.js';
export * from './outbox-writer.js';
export * from './outbox-relay.js';
export * from './event-consumer.js';
export * from './dead-letter.js';
export * from './kafka-producer.js';
export * from './trace-context.js';
