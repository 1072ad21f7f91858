import { randomBytes } from 'node:crypto';
import {
  addToOutbox,
  createMessagingTables,
  createPlatformProducer,
  keepOnlyPendingOutboxRows,
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
  /** Rounds of both measurements; the figures are the medians. */
  rounds: number;
}

/** Messages per second of the relay and of the bare producer in one round. */
export interface RelayRound {
  relayMessagesPerSecond: number;
  producerMessagesPerSecond: number;
  /** Relay rate divided by the bare producer's rate. */
  ratio: number;
}

/** Median rates and ratio over the rounds, and each round's figures. */
export interface RelayFigures extends RelayRound {
  messageCount: number;
  rounds: RelayRound[];
}

/** Rows written per transaction while the outbox is filled. */
const FILL_TRANSACTION_ROWS = 1_000;
const DRAIN_CHECK_INTERVAL_MS = 5;

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

/** Reads the first outbox row by primary key, so polling costs the relay little. */
async function anyPendingRow(db: Knex): Promise<boolean> {
  const row: unknown = await db(MESSAGING_TABLES.outbox).select('id').orderBy('id').first();
  return row !== undefined;
}

/**
 * Times OutboxRelay from `start()` until every row is published and none is pending, and returns
 * the elapsed ms. The published count comes from the relay's metrics hook, so the bench queries
 * the outbox only after every row is out and does not compete with the relay for PostgreSQL.
 */
async function timeRelay(
  db: Knex,
  databaseUrl: string,
  topicPrefix: string,
  settings: Pick<RelayBenchSettings, 'messageCount' | 'timeoutMs'>,
): Promise<number> {
  let published = 0;
  const relay = new OutboxRelay({
    service: `bench-${randomBytes(4).toString('hex')}`,
    db,
    databaseUrl,
    kafka: createTestKafka('orderflow-bench-relay'),
    logger: silentLogger,
    topicPrefix,
    metrics: {
      published: () => undefined,
      batchPublished: (size) => void (published += size),
      publishFailed: () => undefined,
    },
  });
  const startedAt = performance.now();
  await relay.start();
  try {
    await waitFor(() => published >= settings.messageCount, {
      timeoutMs: settings.timeoutMs,
      intervalMs: DRAIN_CHECK_INTERVAL_MS,
      description: 'the outbox relay to send every row',
    });
    await waitFor(async () => !(await anyPendingRow(db)), {
      timeoutMs: settings.timeoutMs,
      intervalMs: DRAIN_CHECK_INTERVAL_MS,
      description: 'the outbox relay to delete every row it sent',
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
 * Times OutboxRelay and a bare producer sending the same `order.created` events to two scratch
 * topics on the same broker, `rounds` times. Each round fills the scratch outbox again. The two
 * measurements swap order every round, so neither always runs on a broker that the other has just
 * loaded. Drops the database and deletes the topics afterwards.
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
    await keepOnlyPendingOutboxRows(db);
    for (const topic of topics) await createTopic(topic, settings.partitions);
    const rounds: RelayRound[] = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      console.error(`bench: round ${round}: writing ${settings.messageCount} events to the outbox`);
      await fillOutbox(db, settings.orders, settings.messageCount);
      const messages = await outboxMessages(db);
      let relayMs = 0;
      let producerMs = 0;
      const measureRelay = async () => {
        console.error(`bench: round ${round}: timing the outbox relay`);
        relayMs = await timeRelay(db, scratch.url, relayPrefix, settings);
      };
      const measureProducer = async () => {
        console.error(`bench: round ${round}: timing the bare producer`);
        producerMs = await timeBareProducer(producerTopic, messages);
      };
      const [first, second] =
        round % 2 === 1 ? [measureRelay, measureProducer] : [measureProducer, measureRelay];
      await first();
      await second();

      const relayMessagesPerSecond = (settings.messageCount * 1000) / relayMs;
      const producerMessagesPerSecond = (settings.messageCount * 1000) / producerMs;
      rounds.push({
        relayMessagesPerSecond,
        producerMessagesPerSecond,
        ratio: relayMessagesPerSecond / producerMessagesPerSecond,
      });
    }
    return {
      messageCount: settings.messageCount,
      relayMessagesPerSecond: median(rounds.map((round) => round.relayMessagesPerSecond)),
      producerMessagesPerSecond: median(rounds.map((round) => round.producerMessagesPerSecond)),
      ratio: median(rounds.map((round) => round.ratio)),
      rounds,
    };
  } finally {
    await db.destroy();
    await scratch.drop();
    await deleteTopics(topics);
  }
}

/** Middle value of `values`, or the mean of the two middle values when their number is even. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
