// Helpers for tests that run against the real Kafka broker and PostgreSQL server.
export * from './broker-process.js';
export * from './databases.js';
export * from './kafka-client.js';
export * from './quiet-kafka-logger.js';
export * from './topics.js';
export * from './unique-name.js';
export * from './wait-for.js';
export * from './service-test-bed.js';
