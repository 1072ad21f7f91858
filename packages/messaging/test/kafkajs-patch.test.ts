import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

interface RequestQueueInternals {
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (options: {
  maxInFlightRequests: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  clientId: string;
  broker: string;
  logger: unknown;
}) => RequestQueueInternals;

const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

// The workspace patches kafkajs 2.2.4 (patches/kafkajs@2.2.4.patch). Without the patch every
// connection re-arms a timer of at most 1 ms while nothing is pending, which costs an idle
// service about 30 ms of CPU per second.
describe('patched kafkajs request queue', () => {
  function newQueue(): RequestQueueInternals {
    return new RequestQueue({
      maxInFlightRequests: 1,
      requestTimeout: 30_000,
      enforceRequestTimeout: false,
      clientId: 'patch-check',
      broker: '127.0.0.1:19092',
      logger: quietLogger,
    });
  }

  it('arms no timer while nothing is pending', () => {
    const queue = newQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still schedules a check while a request waits', () => {
    const queue = newQueue();
    queue.pending.push({});
    (queue as unknown as { inflight: Map<number, unknown> }).inflight.set(1, {});
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(queue.throttleCheckTimeoutId!);
  });
});
