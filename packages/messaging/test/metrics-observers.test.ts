import { createEvent, serializeEvent } from '@orderflow/contracts';
import { createTestKafka, waitFor } from '@orderflow/test-support';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  OutboxRelay,
  addToOutbox,
  createPlatformProducer,
  type ConsumerMetrics,
  type ConsumerOutcome,
  type RelayMetrics,
} from '../src/index.js';
import {
  createPrefixedTopics,
  openTestDatabase,
  order,
  orderCreated,
  removeTopics,
  silentLogger,
  testKafka,
} from './harness.js';

const GROUP = 'metrics-test';
const TOPICS = ['order.created', 'tax.calculated', `dead-letter.${GROUP}`];

interface RecordedAttempt {
  type: string;
  outcome: ConsumerOutcome;
  seconds: number;
}

/** Creates a consumer observer that keeps every call. */
function recordingConsumerMetrics(): ConsumerMetrics & { attempts: RecordedAttempt[] } {
  const attempts: RecordedAttempt[] = [];
  return {
    attempts,
    handled: (type, outcome, seconds) => void attempts.push({ type, outcome, seconds }),
  };
}

/** Creates a relay observer that sums its calls. */
function recordingRelayMetrics() {
  const totals = { published: new Map<string, number>(), batchRows: 0, batches: 0, failures: 0 };
  const metrics: RelayMetrics = {
    published(topic, count) {
      totals.published.set(topic, (totals.published.get(topic) ?? 0) + count);
    },
    batchPublished(size) {
      totals.batches += 1;
      totals.batchRows += size;
    },
    publishFailed() {
      totals.failures += 1;
    },
  };
  return { metrics, totals };
}

function outcomeCounts(attempts: readonly RecordedAttempt[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { type, outcome } of attempts) {
    const key = `${type} ${outcome}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('messaging metrics observers', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let prefix: string;
  const kafka = testKafka('metrics-test');
  const producer = createPlatformProducer(kafka);

  beforeAll(async () => {
    database = await openTestDatabase('metrics');
    prefix = await createPrefixedTopics(TOPICS);
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await database.drop();
    await removeTopics(prefix, TOPICS);
  });

  async function send(topic: string, value: Buffer | string, key: string) {
    await producer.send({ topic: prefix + topic, messages: [{ key, value }] });
  }

  it('consumer reports each attempt outcome', async () => {
    const observer = recordingConsumerMetrics();
    let flakyCalls = 0;
    const consumer = new EventConsumer({
      group: GROUP,
      source: 'metrics-test',
      kafka,
      db: database.db,
      logger: silentLogger,
      topicPrefix: prefix,
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
      metrics: observer,
      handlers: {
        'order.created': async (event) => {
          if (event.data.orderId !== 'MET-FLAKY') return;
          flakyCalls += 1;
          if (flakyCalls < 3) throw new Error('connection reset');
        },
        'tax.calculated': async (_event, ctx) => ctx.defer('order not known yet'),
      },
    });

    const handledTwice = orderCreated('MET-OK');
    await send('order.created', serializeEvent(handledTwice), 'MET-OK');
    await send('order.created', serializeEvent(handledTwice), 'MET-OK');
    await send('order.created', serializeEvent(orderCreated('MET-FLAKY')), 'MET-FLAKY');
    await send('order.created', 'not json at all', 'MET-BAD');
    const taxCalculated = createEvent({
      type: 'tax.calculated',
      source: 'test',
      subject: 'MET-DEFER',
      data: {
        orderId: 'MET-DEFER',
        currency: 'USD',
        subtotalMinor: 100,
        taxMinor: 8,
        totalMinor: 108,
        source: 'provider',
        jurisdictions: [],
      },
    });
    await send('tax.calculated', serializeEvent(taxCalculated), 'MET-DEFER');

    await consumer.start();
    try {
      await waitFor(() => observer.attempts.length >= 7, {
        timeoutMs: 30_000,
        description: 'seven recorded attempts',
      });
    } finally {
      await consumer.stop();
    }

    expect(outcomeCounts(observer.attempts)).toEqual({
      'order.created handled': 2,
      'order.created duplicate': 1,
      'order.created retried': 2,
      'order.created dead_lettered': 1,
      'tax.calculated deferred': 1,
    });
    for (const attempt of observer.attempts) {
      expect(attempt.seconds).toBeGreaterThanOrEqual(0);
      expect(attempt.seconds).toBeLessThan(60);
    }
  });

  it('relay reports published messages and batches', async () => {
    const { metrics, totals } = recordingRelayMetrics();
    const relay = new OutboxRelay({
      service: 'metrics-test',
      db: database.db,
      databaseUrl: database.url,
      kafka,
      logger: silentLogger,
      topicPrefix: prefix,
      metrics,
    });
    await database.db.transaction(async (trx) => {
      for (const orderId of ['MET-R1', 'MET-R2', 'MET-R3']) {
        await addToOutbox(trx, {
          type: 'order.created',
          source: 'test',
          subject: orderId,
          data: order(orderId),
        });
      }
    });

    await relay.start();
    try {
      await waitFor(() => totals.batchRows >= 3, {
        timeoutMs: 30_000,
        description: 'three rows published',
      });
    } finally {
      await relay.stop();
    }

    expect([...totals.published]).toEqual([['order.created', 3]]);
    expect(totals.batchRows).toBe(3);
    expect(totals.batches).toBeGreaterThanOrEqual(1);
    expect(totals.failures).toBe(0);
  });

  it('relay reports a publish to a missing topic as failed', async () => {
    const { metrics, totals } = recordingRelayMetrics();
    const relay = new OutboxRelay({
      service: 'metrics-test-missing',
      db: database.db,
      databaseUrl: database.url,
      // Without logs, because kafkajs logs an error for each retry of the unknown topic.
      kafka: createTestKafka('metrics-test-missing', { logLevel: logLevel.NOTHING }),
      logger: silentLogger,
      // No topic of this prefix exists, and the platform producer does not create topics.
      topicPrefix: `${prefix}missing.`,
      metrics,
    });
    await database.db.transaction((trx) =>
      addToOutbox(trx, {
        type: 'order.created',
        source: 'test',
        subject: 'MET-MISSING',
        data: order('MET-MISSING'),
      }),
    );

    await relay.start();
    try {
      // kafkajs retries the unknown topic before the send fails.
      await waitFor(() => totals.failures >= 1, {
        timeoutMs: 45_000,
        description: 'a failed publish',
      });
    } finally {
      await relay.stop();
    }

    expect(totals.published.size).toBe(0);
    expect(totals.batches).toBe(0);
  });
});
