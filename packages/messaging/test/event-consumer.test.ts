import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { createEvent, serializeEvent } from '@orderflow/contracts';
import { waitFor } from '@orderflow/test-support';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_HEADERS,
  EventConsumer,
  MESSAGING_TABLES,
  OutboxRelay,
  addToOutbox,
  createPlatformProducer,
  type EventHandlers,
} from '../src/index.js';
import {
  committedMessages,
  countEffects,
  createPrefixedTopics,
  openTestDatabase,
  order,
  orderCreated,
  removeTopics,
  silentLogger,
  testKafka,
} from './harness.js';

const GROUP = 'consumer-test';

/** Creates a flag that handlers set and wait for, giving up after a time limit. */
function signal(): { set(): void; wait(limitMs: number): Promise<void> } {
  let set: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (set = resolve));
  return {
    set: () => set(),
    wait: (limitMs) =>
      Promise.race([reached, new Promise<void>((resolve) => setTimeout(resolve, limitMs))]),
  };
}

const GROUPS = [
  GROUP,
  `${GROUP}-flaky`,
  `${GROUP}-perm`,
  `${GROUP}-restart`,
  `${GROUP}-trace`,
  `${GROUP}-defer`,
  `${GROUP}-race`,
];
const TOPICS = [
  'order.created',
  'tax.calculated',
  ...GROUPS.map((group) => `dead-letter.${group}`),
];

function taxCalculated(orderId: string) {
  return createEvent({
    type: 'tax.calculated',
    source: 'test',
    subject: orderId,
    data: {
      orderId,
      currency: 'USD',
      subtotalMinor: 100,
      taxMinor: 8,
      totalMinor: 108,
      source: 'provider',
      jurisdictions: [],
    },
  });
}

class PermanentFailure extends Error {
  readonly retryable = false;
}

describe('event consumer', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let prefix: string;
  const kafka = testKafka('consumer-test');
  const producer = createPlatformProducer(kafka);
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
    );
    database = await openTestDatabase('consumer');
    prefix = await createPrefixedTopics(TOPICS);
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await database.drop();
    await removeTopics(prefix, TOPICS);
    trace.disable();
    propagation.disable();
    context.disable();
  });

  async function send(topic: string, value: Buffer | string, key = 'K') {
    await producer.send({ topic: prefix + topic, messages: [{ key, value }] });
  }

  async function withConsumer(
    handlers: EventHandlers,
    body: (consumer: EventConsumer) => Promise<void>,
    group = GROUP,
  ) {
    const consumer = new EventConsumer({
      group,
      source: 'consumer-test',
      kafka,
      db: database.db,
      logger: silentLogger,
      topicPrefix: prefix,
      handlers,
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
    });
    await consumer.start();
    try {
      await body(consumer);
    } finally {
      await consumer.stop();
    }
  }

  function effectCount(orderId: string): Promise<number> {
    return countEffects(database.db, orderId);
  }

  const recordEffect: EventHandlers = {
    'order.created': async (event, ctx) => {
      await ctx.trx('effects').insert({ event_id: event.id, order_id: event.data.orderId });
    },
  };

  it('applies a redelivered event once', async () => {
    const event = orderCreated('DUP-1');
    await send('order.created', serializeEvent(event));
    await send('order.created', serializeEvent(event));
    await send('order.created', serializeEvent(orderCreated('DUP-MARK')));
    await withConsumer(recordEffect, async () => {
      await waitFor(async () => (await effectCount('DUP-MARK')) === 1, {
        timeoutMs: 20_000,
        description: 'marker handled',
      });
    });
    expect(await effectCount('DUP-1')).toBe(1);
  });

  it('retries a transient failure and then succeeds', async () => {
    let calls = 0;
    await send('order.created', serializeEvent(orderCreated('FLAKY-1')));
    await withConsumer(
      {
        'order.created': async (event, ctx) => {
          if (event.data.orderId !== 'FLAKY-1') return;
          calls += 1;
          if (calls < 3) throw new Error('connection reset');
          await ctx.trx('effects').insert({ event_id: event.id, order_id: event.data.orderId });
        },
      },
      async () => {
        await waitFor(async () => (await effectCount('FLAKY-1')) === 1, {
          timeoutMs: 20_000,
          description: 'flaky order handled',
        });
      },
      `${GROUP}-flaky`,
    );
    expect(calls).toBe(3);
  });

  it('dead-letters an invalid order with its reason and moves on', async () => {
    const invalid = orderCreated('BAD-1');
    (invalid.data.lines[0] as { quantity: number }).quantity = -1;
    await producer.send({
      topic: `${prefix}order.created`,
      messages: [
        { key: 'BAD-1', value: serializeEvent(invalid), headers: { 'x-origin': 'checkout' } },
      ],
    });
    await send('order.created', 'not json at all', 'BAD-2');
    await send('order.created', serializeEvent(orderCreated('GOOD-AFTER-BAD')), 'GOOD-AFTER-BAD');

    const deadLetters: KafkaMessage[] = [];
    const reader = kafka.consumer({ groupId: `dlq-reader-${prefix}` });
    await reader.connect();
    await reader.subscribe({ topic: `${prefix}dead-letter.${GROUP}`, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });

    await withConsumer(recordEffect, async () => {
      await waitFor(async () => (await effectCount('GOOD-AFTER-BAD')) === 1, {
        timeoutMs: 20_000,
        description: 'valid order after the bad ones',
      });
      await waitFor(() => deadLetters.length >= 2, {
        timeoutMs: 20_000,
        description: 'two dead letters',
      });
    });
    await reader.disconnect();

    const bad = deadLetters.find((message) => message.key?.toString() === 'BAD-1');
    expect(bad?.headers?.[DEAD_LETTER_HEADERS.error]?.toString()).toBe(
      'data.lines.0.quantity: must be at least 1',
    );
    expect(bad?.headers?.[DEAD_LETTER_HEADERS.originalTopic]?.toString()).toBe(
      `${prefix}order.created`,
    );
    expect(bad?.headers?.['x-origin']?.toString()).toBe('checkout');
    expect(bad?.value?.toString()).toBe(serializeEvent(invalid).toString());
    const notJson = deadLetters.find((message) => message.key?.toString() === 'BAD-2');
    expect(notJson?.headers?.[DEAD_LETTER_HEADERS.error]?.toString()).toBe(
      '(root): message value is not valid JSON',
    );
    expect(await effectCount('BAD-1')).toBe(0);
  });

  it('dead-letters a permanent failure without retrying', async () => {
    let calls = 0;
    await send('order.created', serializeEvent(orderCreated('PERM-1')), 'PERM-1');
    await withConsumer(
      {
        'order.created': async (event) => {
          if (event.data.orderId !== 'PERM-1') return;
          calls += 1;
          throw new PermanentFailure('card number in payload');
        },
      },
      async () => {
        await waitFor(
          async () =>
            (await committedMessages(kafka, `${prefix}${GROUP}-perm`, `${prefix}order.created`)) >
            0,
          {
            timeoutMs: 20_000,
            description: 'offset committed past the permanent failure',
          },
        );
      },
      `${GROUP}-perm`,
    );
    expect(calls).toBe(1);
  });

  it('commits handled offsets on stop so a restart does not redeliver', async () => {
    const group = `${GROUP}-restart`;
    const handled: string[] = [];
    const countTax: EventHandlers = {
      'tax.calculated': async (event) => void handled.push(event.data.orderId),
    };
    for (let index = 0; index < 5; index += 1)
      await send(
        'tax.calculated',
        serializeEvent(taxCalculated(`RESTART-${index}`)),
        `RESTART-${index}`,
      );
    await withConsumer(
      countTax,
      async () => {
        await waitFor(() => handled.length === 5, {
          timeoutMs: 20_000,
          description: 'first run handles 5 events',
        });
      },
      group,
    );
    expect(await committedMessages(kafka, prefix + group, `${prefix}tax.calculated`)).toBe(5);

    handled.length = 0;
    await send('tax.calculated', serializeEvent(taxCalculated('RESTART-5')), 'RESTART-5');
    await withConsumer(
      countTax,
      async () => {
        await waitFor(() => handled.length >= 1, {
          timeoutMs: 20_000,
          description: 'second run handles the new event',
        });
      },
      group,
    );
    expect(handled).toEqual(['RESTART-5']);
  });

  it('defers an event until the event it depends on was handled', async () => {
    const handled: string[] = [];
    await send('tax.calculated', serializeEvent(taxCalculated('DEFER-1')), 'DEFER-1');
    await withConsumer(
      {
        'order.created': async (event, ctx) => {
          if (event.data.orderId !== 'DEFER-1') return;
          await ctx.trx('effects').insert({ event_id: event.id, order_id: event.data.orderId });
          handled.push('order.created');
        },
        'tax.calculated': async (event, ctx) => {
          if (event.data.orderId !== 'DEFER-1') return;
          const order = await ctx.trx('effects').where({ order_id: 'DEFER-1' }).first();
          if (!order) return ctx.defer('order not known yet');
          handled.push('tax.calculated');
        },
      },
      async () => {
        await waitFor(
          async () =>
            (await database.db(MESSAGING_TABLES.deferred).where({ subject: 'DEFER-1' })).length ===
            1,
          {
            timeoutMs: 20_000,
            description: 'tax event parked',
          },
        );
        await send('order.created', serializeEvent(orderCreated('DEFER-1')), 'DEFER-1');
        await waitFor(() => handled.length === 2, {
          timeoutMs: 20_000,
          description: 'both events handled',
        });
      },
      `${GROUP}-defer`,
    );
    expect(handled).toEqual(['order.created', 'tax.calculated']);
    expect(await database.db(MESSAGING_TABLES.deferred).where({ subject: 'DEFER-1' })).toEqual([]);
  });

  it('releases a deferral racing its order', async () => {
    const handled: string[] = [];
    // Each handler waits up to 3 s for the other, which holds both transactions open at once
    // unless the consumer locks the order. Without the lock, the tax handler finds no order
    // and the order's handler releases nothing, so the tax event stays parked. With the lock,
    // one of the two waits times out and the handlers run in turn.
    const taxChecked = signal();
    const orderHandled = signal();
    await send('tax.calculated', serializeEvent(taxCalculated('RACE-1')), 'RACE-1');
    await send('order.created', serializeEvent(orderCreated('RACE-1')), 'RACE-1');
    await withConsumer(
      {
        'order.created': async (event, ctx) => {
          if (event.data.orderId !== 'RACE-1') return;
          await taxChecked.wait(3_000);
          await ctx.trx('effects').insert({ event_id: event.id, order_id: 'RACE-1' });
          handled.push('order.created');
          orderHandled.set();
        },
        'tax.calculated': async (event, ctx) => {
          if (event.data.orderId !== 'RACE-1') return;
          const order = await ctx.trx('effects').where({ order_id: 'RACE-1' }).first();
          if (order) {
            handled.push('tax.calculated');
            return;
          }
          taxChecked.set();
          await orderHandled.wait(3_000);
          return ctx.defer('order not known yet');
        },
      },
      async () => {
        await waitFor(() => handled.length === 2, {
          timeoutMs: 30_000,
          description: 'the parked tax event released after its order',
        });
      },
      `${GROUP}-race`,
    );
    expect(handled).toEqual(['order.created', 'tax.calculated']);
    expect(await database.db(MESSAGING_TABLES.deferred).where({ subject: 'RACE-1' })).toEqual([]);
  });

  it('continues the producer trace in the consumer span', async () => {
    const relay = new OutboxRelay({
      service: 'trace-test',
      db: database.db,
      databaseUrl: database.url,
      kafka,
      logger: silentLogger,
      topicPrefix: prefix,
    });
    await relay.start();
    const tracer = trace.getTracer('test');
    const producerSpan = tracer.startSpan('checkout');
    const traceId = producerSpan.spanContext().traceId;
    await context.with(trace.setSpan(context.active(), producerSpan), () =>
      database.db.transaction((trx) =>
        addToOutbox(trx, {
          type: 'order.created',
          source: 'test',
          subject: 'TRACE-1',
          data: order('TRACE-1'),
        }),
      ),
    );
    producerSpan.end();
    await withConsumer(
      recordEffect,
      async () => {
        await waitFor(async () => (await effectCount('TRACE-1')) === 1, {
          timeoutMs: 20_000,
          description: 'traced order handled',
        });
      },
      `${GROUP}-trace`,
    );
    await relay.stop();
    const consumerSpan = exporter
      .getFinishedSpans()
      .find(
        (span) =>
          span.name === `process ${prefix}order.created` && span.spanContext().traceId === traceId,
      );
    expect(consumerSpan?.parentSpanContext?.spanId).toBe(producerSpan.spanContext().spanId);
  });
});
