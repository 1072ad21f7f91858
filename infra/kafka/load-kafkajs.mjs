// Loads kafkajs for the scripts in this folder. infra/ is not a workspace package, so the
// client is resolved from @orderflow/test-support, which depends on it (run `pnpm install`).
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../packages/test-support/package.json', import.meta.url));

/** The kafkajs module (CommonJS), as installed for @orderflow/test-support. */
export const kafkajs = require('kafkajs');

/**
 * Creates a kafkajs admin client for one broker address ("host:port") that logs nothing,
 * because the calling script reports failures itself.
 */
export function createAdmin(broker, { retries = 0, requestTimeoutMs = 5000 } = {}) {
  const kafka = new kafkajs.Kafka({
    clientId: 'orderflow-infra',
    brokers: [broker],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: requestTimeoutMs,
    retry: { retries, initialRetryTime: 200, maxRetryTime: 1000 },
  });
  return kafka.admin();
}
