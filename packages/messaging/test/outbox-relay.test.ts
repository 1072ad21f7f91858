import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseEvent, type TypedEvent } from '@orderflow/contracts';
import { waitFor } from '@orderflow/test-support';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, MESSAGING_TABLES, OutboxRelay, addToOutbox } from '../src/index.js';
import {
  committedMessages,
  createPrefixedTopics,
  openTestDatabase,
  order,
  removeTopics,
  silentLogger,
  testKafka,
} from './harness.js';

const TOPICS = ['order.created', 'dead-letter.crash-consumer'];
const run = promisify(execFile);

describe('outbox relay', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let prefix: string;

  beforeAll(async () => {
    database = await openTestDatabase('outbox');
    prefix = await createPrefixedTopics(TOPICS);
  });

  afterAll(async () => {
    await database.drop();
    await removeTopics(prefix, TOPICS);
  });

  async function enqueue(db: Knex, orderIds: string[]) {
    await db.transaction(async (trx) => {
      for (const orderId of orderIds) {
        await addToOutbox(trx, {
          type: 'order.created',
          source: 'test',
          subject: orderId,
          data: order(orderId),
        });
      }
    });
  }

  it('writes nothing when the business transaction rolls back', async () => {
    const before = await database
      .db(MESSAGING_TABLES.outbox)
      .count<{ count: string }[]>('* as count');
    await expect(
      database.db.transaction(async (trx) => {
        await addToOutbox(trx, {
          type: 'order.created',
          source: 'test',
          subject: 'R-1',
          data: order('R-1'),
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const after = await database
      .db(MESSAGING_TABLES.outbox)
      .count<{ count: string }[]>('* as count');
    expect(after[0]!.count).toBe(before[0]!.count);
  });

  it('loses nothing and applies nothing twice when killed between publish and mark', async () => {
    const orderIds = Array.from({ length: 40 }, (_, index) => `CRASH-${index}`);
    await enqueue(database.db, orderIds);

    const crashScript = fileURLToPath(new URL('./fixtures/relay-crash.ts', import.meta.url));
    const crashed = await run(process.execPath, [
      '--import',
      'tsx',
      crashScript,
      database.url,
      prefix,
    ]).then(
      () => 0,
      (error: { code?: number }) => error.code,
    );
    expect(crashed).toBe(3);
    const pendingAfterCrash = await database
      .db(MESSAGING_TABLES.outbox)
      .count<{ count: string }[]>('* as count');
    expect(Number(pendingAfterCrash[0]!.count)).toBe(40);

    const kafka = testKafka();
    const relay = new OutboxRelay({
      service: 'crash-test',
      db: database.db,
      databaseUrl: database.url,
      kafka,
      logger: silentLogger,
      topicPrefix: prefix,
    });
    await relay.start();
    await waitFor(async () => (await database.db(MESSAGING_TABLES.outbox).first()) === undefined, {
      timeoutMs: 20_000,
      description: 'relay deletes every row it sent',
    });
    await relay.stop();

    const consumer = new EventConsumer({
      group: 'crash-consumer',
      source: 'test',
      kafka,
      db: database.db,
      logger: silentLogger,
      topicPrefix: prefix,
      handlers: {
        'order.created': async (event, ctx) => {
          await ctx.trx('effects').insert({ event_id: event.id, order_id: event.data.orderId });
        },
      },
    });
    await consumer.start();
    // The crashed relay and its successor each published all 40 events: 80 messages to finish.
    await waitFor(
      async () =>
        (await committedMessages(kafka, `${prefix}crash-consumer`, `${prefix}order.created`)) >= 80,
      {
        timeoutMs: 30_000,
        description: 'consumer commits all 80 deliveries',
      },
    );
    await consumer.stop();

    const effects = await database.db('effects').select('order_id');
    expect(effects).toHaveLength(40);
    expect(new Set(effects.map((row) => row.order_id))).toEqual(new Set(orderIds));
    const inbox = await database
      .db(MESSAGING_TABLES.inbox)
      .where({ consumer_group: 'crash-consumer' });
    expect(inbox).toHaveLength(40);
  });

  it('wakes on NOTIFY before its idle poll', async () => {
    const kafka = testKafka();
    const published: string[] = [];
    const relay = new OutboxRelay({
      service: 'notify-test',
      db: database.db,
      databaseUrl: database.url,
      kafka,
      logger: silentLogger,
      topicPrefix: prefix,
      // Far longer than the wait below, so only the notification can wake the relay in time.
      idleWaitMs: 120_000,
      onPublished: (eventIds) => void published.push(...eventIds),
    });
    await relay.start();
    try {
      await waitFor(
        async () => (await database.db(MESSAGING_TABLES.outbox).first()) === undefined,
        {
          timeoutMs: 20_000,
          description: 'relay drains the rows of earlier tests',
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const event = await database.db.transaction((trx) =>
        addToOutbox(trx, {
          type: 'order.created',
          source: 'test',
          subject: 'NOTIFY-1',
          data: order('NOTIFY-1'),
        }),
      );
      await waitFor(() => published.includes(event.id), {
        timeoutMs: 10_000,
        description: 'relay publishes the new event after the notification',
      });
    } finally {
      await relay.stop();
    }
  });

  it('keeps per-key order on the topic', async () => {
    const kafka = testKafka();
    const keys = ['ORD-0', 'ORD-1', 'ORD-2', 'ORD-3'];
    // Fifteen events per key, numbered by their line quantity; each key's events must arrive
    // in the order written.
    await database.db.transaction(async (trx) => {
      for (let sequence = 1; sequence <= 15; sequence += 1) {
        for (const key of keys) {
          const data = order(key);
          data.lines[0]!.quantity = sequence;
          await addToOutbox(trx, { type: 'order.created', source: 'test', subject: key, data });
        }
      }
    });
    const relay = new OutboxRelay({
      service: 'order-test',
      db: database.db,
      databaseUrl: database.url,
      kafka,
      logger: silentLogger,
      topicPrefix: prefix,
      batchSize: 7,
    });
    await relay.start();

    const seen = new Map<string, number[]>();
    const consumer = kafka.consumer({ groupId: `order-check-${prefix}` });
    await consumer.connect();
    await consumer.subscribe({ topic: `${prefix}order.created`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = parseEvent(message.value) as TypedEvent<'order.created'>;
        if (!keys.includes(event.subject)) return;
        const list = seen.get(event.subject) ?? [];
        list.push(event.data.lines[0]!.quantity);
        seen.set(event.subject, list);
      },
    });
    await waitFor(() => [...seen.values()].reduce((total, list) => total + list.length, 0) >= 60, {
      timeoutMs: 30_000,
      description: 'all 60 ordered events consumed',
    });
    await consumer.disconnect();
    await relay.stop();

    const expected = Array.from({ length: 15 }, (_, index) => index + 1);
    for (const key of keys) expect(seen.get(key), `order of key ${key}`).toEqual(expected);
  });
});
