import { randomBytes } from 'node:crypto';
import {
  addToOutbox,
  createMessagingTables,
  createPlatformProducer,
  MESSAGING_TABLES,
  OutboxRelay,
  RELAY_DEFAULTS,
} from '@orderflow/messaging';
import { toCheckoutOrder, type NumberedReplayOrder } from '@orderflow/replay';
import {
  createScratchDatabase,
  createTestKafka,
  createTopic,
  deleteTopics,
  waitFor,
} from '@orderflow/test-support';
import type { Message } from 'kafkajs';
import knex, { type Knex } from 'knex';
import { pino } from 'pino';

/** Settings of the relay benchmark. */
export interface RelayBenchSettings {
  messageCount: number;
  /** Orders whose `order.created` events fill the outbox, repeated as needed. */
  orders: readonly NumberedReplayOrder[];
  /** Partitions of each scratch topic, as the platform topics have by default. */
  partitions: number;
  /** Maximum time for one side to send every message, in ms. */
  timeoutMs: number;
}

/** Messages per second of the relay and of the bare producer. */
export interface RelayFigures {
  messageCount: number;
  relayMessagesPerSecond: number;
  producerMessagesPerSecond: number;
  /** Relay rate divided by the bare producer's rate. */
  ratio: number;
}

/** Rows written per transaction while the outbox is filled. */
const FILL_TRANSACTION_ROWS = 1_000;
const DRAIN_CHECK_INTERVAL_MS = 20;

const silentLogger = pino({ level: 'silent' });

/** Writes `count` order.created events to the outbox, FILL_TRANSACTION_ROWS per transaction. */
async function fillOutbox(
  db: Knex,
  orders: readonly NumberedReplayOrder[],
  count: number,
): Promise<void> {
  for (let start = 0; start < count; start += FILL_TRANSACTION_ROWS) {
    const end = Math.min(count, start + FILL_TRANSACTION_ROWS);
    await db.transaction(async (trx) => {
      for (let index = start; index < end; index += 1) {
        const source = orders[index % orders.length] as NumberedReplayOrder;
        const orderId = `${source.order.orderId}.m${index}`;
        const data = toCheckoutOrder(source.order, { orderId, paymentMethodId: 'pm_bench' });
        await addToOutbox(trx, { type: 'order.created', source: '/bench', subject: orderId, data });
      }
    });
  }
}

/**
 * Reads the outbox rows as Kafka messages with the keys, values and headers that the relay sends,
 * so the bare producer sends the same bytes.
 */
async function outboxMessages(db: Knex): Promise<Message[]> {
  const rows = (await db(MESSAGING_TABLES.outbox)
    .select('message_key', db.raw('payload::text as payload'), 'headers')
    .orderBy('id')) as Array<{
    message_key: string;
    payload: string;
    headers: Record<string, string>;
  }>;
  return rows.map((row) => ({
    key: row.message_key,
    value: row.payload,
    headers: row.headers,
  }));
}

/** Reads one pending row through the relay's partial index, so polling costs the relay little. */
async function anyPendingRow(db: Knex): Promise<boolean> {
  const row: unknown = await db(MESSAGING_TABLES.outbox)
    .select('id')
    .where({ status: 'pending' })
    .first();
  return row !== undefined;
}

/** Times OutboxRelay from `start()` until no row is pending; returns the elapsed ms. */
async function timeRelay(
  db: Knex,
  databaseUrl: string,
  topicPrefix: string,
  timeoutMs: number,
): Promise<number> {
  const relay = new OutboxRelay({
    service: `bench-${randomBytes(4).toString('hex')}`,
    db,
    databaseUrl,
    kafka: createTestKafka('orderflow-bench-relay'),
    logger: silentLogger,
    topicPrefix,
  });
  const startedAt = performance.now();
  await relay.start();
  try {
    await waitFor(async () => !(await anyPendingRow(db)), {
      timeoutMs,
      intervalMs: DRAIN_CHECK_INTERVAL_MS,
      description: 'the outbox relay to send every row',
    });
    return performance.now() - startedAt;
  } finally {
    await relay.stop();
  }
}

/**
 * Times a bare producer sending `messages` to `topic`: the platform's idempotent producer,
 * `sendBatch` with the relay's batch size, acks from all in-sync replicas. Returns elapsed ms,
 * including the connection, as the relay's time does.
 */
async function timeBareProducer(topic: string, messages: readonly Message[]): Promise<number> {
  const producer = createPlatformProducer(createTestKafka('orderflow-bench-producer'));
  const startedAt = performance.now();
  await producer.connect();
  try {
    for (let start = 0; start < messages.length; start += RELAY_DEFAULTS.batchSize) {
      const batch = messages.slice(start, start + RELAY_DEFAULTS.batchSize);
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: batch }] });
    }
    return performance.now() - startedAt;
  } finally {
    await producer.disconnect();
  }
}

/**
 * Fills a scratch database's outbox with order.created events, times OutboxRelay draining them
 * to a scratch topic, then times a bare producer sending the same messages to another scratch
 * topic on the same broker. Drops the database and deletes the topics afterwards.
 */
export async function runRelayBench(settings: RelayBenchSettings): Promise<RelayFigures> {
  const scratch = await createScratchDatabase('bench_outbox');
  const db = knex({ client: 'pg', connection: scratch.url, pool: { min: 0, max: 5 } });
  const runTag = randomBytes(4).toString('hex');
  const relayPrefix = `bench-${runTag}-relay.`;
  const producerTopic = `bench-${runTag}-bare.order.created`;
  const topics = [`${relayPrefix}order.created`, producerTopic];
  try {
    await createMessagingTables(db);
    for (const topic of topics) await createTopic(topic, settings.partitions);
    console.error(`bench: writing ${settings.messageCount} events to the outbox`);
    await fillOutbox(db, settings.orders, settings.messageCount);
    const messages = await outboxMessages(db);

    console.error('bench: timing the outbox relay');
    const relayMs = await timeRelay(db, scratch.url, relayPrefix, settings.timeoutMs);
    console.error('bench: timing the bare producer');
    const producerMs = await timeBareProducer(producerTopic, messages);

    const relayMessagesPerSecond = (settings.messageCount * 1000) / relayMs;
    const producerMessagesPerSecond = (settings.messageCount * 1000) / producerMs;
    return {
      messageCount: settings.messageCount,
      relayMessagesPerSecond,
      producerMessagesPerSecond,
      ratio: relayMessagesPerSecond / producerMessagesPerSecond,
    };
  } finally {
    await db.destroy();
    await scratch.drop();
    await deleteTopics(topics);
  }
}
