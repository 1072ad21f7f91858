import { serializeEvent } from '@orderflow/contracts';
import { waitFor } from '@orderflow/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, createPlatformProducer, type ConsumerOutcome } from '../src/index.js';
import {
  createPrefixedTopics,
  openTestDatabase,
  orderCreated,
  removeTopics,
  silentLogger,
  testKafka,
} from './harness.js';

const GROUP = 'slow-handler-test';
const TOPICS = ['order.created', `dead-letter.${GROUP}`];
/** The broker's lowest session timeout by default (group.min.session.timeout.ms). */
const SESSION_TIMEOUT_MS = 6_000;

describe('event consumer with a handler slower than the session timeout', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let prefix: string;

  beforeAll(async () => {
    database = await openTestDatabase('slow_handler');
    prefix = await createPrefixedTopics(TOPICS, 1);
  });

  afterAll(async () => {
    await database.drop();
    await removeTopics(prefix, TOPICS);
  });

  // Without heartbeats during the handler, the broker drops the member after 6 s. Its offset
  // commit then fails, it joins again and receives the message a second time, as a duplicate.
  it('keeps its group membership', async () => {
    const outcomes: ConsumerOutcome[] = [];
    const kafka = testKafka('slow-handler-test');
    const consumer = new EventConsumer({
      group: GROUP,
      source: 'slow-handler-test',
      kafka,
      db: database.db,
      logger: silentLogger,
      topicPrefix: prefix,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      handlers: {
        'order.created': async (event, ctx) => {
          if (event.data.orderId === 'SLOW-1') {
            await new Promise((resolve) => setTimeout(resolve, SESSION_TIMEOUT_MS + 4_000));
          }
          await ctx.trx('effects').insert({ event_id: event.id, order_id: event.data.orderId });
        },
      },
      metrics: { handled: (_type, outcome) => void outcomes.push(outcome) },
    });
    const producer = createPlatformProducer(kafka);
    await producer.connect();
    await consumer.start();
    try {
      for (const orderId of ['SLOW-1', 'AFTER-SLOW-1']) {
        await producer.send({
          topic: `${prefix}order.created`,
          messages: [{ key: 'SLOW', value: serializeEvent(orderCreated(orderId)) }],
        });
      }
      await waitFor(async () => outcomes.length >= 2, {
        timeoutMs: 60_000,
        description: 'both messages handled',
      });
      // A redelivery after a lost membership would show up within a few seconds.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      await consumer.stop();
      await producer.disconnect();
    }

    expect(outcomes).toEqual(['handled', 'handled']);
  });
});
