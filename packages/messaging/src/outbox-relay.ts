import type { Kafka, Message, Producer } from 'kafkajs';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from 'pino';
import { createPlatformProducer } from './kafka-producer.js';
import { MESSAGING_TABLES } from './messaging-tables.js';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-writer.js';

/** Tuning of the relay loop. */
export const RELAY_DEFAULTS = {
  batchSize: 500,
  idleWaitMs: 250,
  leaderRetryMs: 1_000,
  maxBackoffMs: 5_000,
} as const;

/**
 * Observer of an outbox relay's publishing, such as a Prometheus exporter. It must not throw.
 * Topic names are given without the relay's topic prefix.
 */
export interface RelayMetrics {
  /** Records `count` messages of one topic that Kafka acknowledged, once per topic of a batch. */
  published(topic: string, count: number): void;
  /** Records the number of rows in a batch that Kafka acknowledged. */
  batchPublished(size: number): void;
  /** Records a batch that Kafka did not acknowledge. Its rows stay pending and are sent again. */
  publishFailed(): void;
}

export interface OutboxRelayOptions {
  /** Name of the owning service; relays of one service elect one leader by this name. */
  service: string;
  db: Knex;
  /** Connection string of the same database, for the leader lock and LISTEN connection. */
  databaseUrl: string;
  kafka: Kafka;
  logger: Logger;
  batchSize?: number;
  idleWaitMs?: number;
  /** Prepended to every topic name, so tests and tenants can share a broker. */
  topicPrefix?: string;
  /** Called after Kafka acknowledged a batch and before its rows are deleted; tests crash there. */
  onPublished?: (eventIds: string[]) => void | Promise<void>;
  /** Receives the messages and batches published and the failed publishes. */
  metrics?: RelayMetrics;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: Record<string, string>;
}

/**
 * Publishes outbox rows to Kafka in id order and marks them sent by deleting them, so the outbox
 * contains pending events only. One relay per service is the leader at a time (a PostgreSQL
 * advisory lock), which keeps per-key order. A crash after publishing and before deleting leaves
 * the rows pending, so they are published again: delivery is at least once and consumers drop the
 * duplicates by event id.
 */
export class OutboxRelay {
  private readonly options: Required<Pick<OutboxRelayOptions, 'batchSize' | 'idleWaitMs'>> &
    OutboxRelayOptions;
  private readonly log: Logger;
  private producer: Producer | undefined;
  /** Set after a failed send, so the next send first replaces the producer. */
  private producerFailed = false;
  private listener: pg.Client | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Set by a NOTIFY that arrived while no sleep was waiting, so the next sleep returns at once. */
  private notified = false;
  private failures = 0;

  constructor(options: OutboxRelayOptions) {
    this.options = {
      batchSize: RELAY_DEFAULTS.batchSize,
      idleWaitMs: RELAY_DEFAULTS.idleWaitMs,
      ...options,
    };
    this.log = options.logger.child({ component: 'outbox-relay' });
  }

  /** Connects the producer and starts relaying in the background. */
  async start(): Promise<void> {
    if (this.running) return;
    this.producer = createPlatformProducer(this.options.kafka);
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in progress, then releases the leader lock and disconnects. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.producer?.disconnect();
    this.producer = undefined;
    this.log.info('outbox relay stopped');
  }

  /** Publishes one batch of pending rows; returns how many were sent. Needs `start()` first. */
  async publishBatch(): Promise<number> {
    const rows = await this.fetchPending();
    if (rows.length === 0) return 0;
    await this.send(rows);
    await this.deleteSent(rows);
    return rows.length;
  }

  /**
   * Publishes pending rows until none are left, overlapping the database work with Kafka: the
   * next batch is read while the current one is sent, and a sent batch is deleted while the next
   * one is sent. Batches still go out one at a time and in id order. Returns how many were sent.
   */
  async drain(): Promise<number> {
    let rows = await this.fetchPending();
    let deleting: Promise<void> = Promise.resolve();
    let total = 0;
    while (rows.length > 0) {
      const full = rows.length === this.options.batchSize;
      const [sent, next] = await Promise.allSettled([
        this.send(rows),
        full ? this.fetchPending(rows[rows.length - 1]!.id) : Promise.resolve([]),
      ]);
      if (sent.status === 'rejected') {
        await deleting;
        throw sent.reason;
      }
      await deleting;
      deleting = this.deleteSent(rows);
      // The delete is awaited only after the next send, so it gets a handler now. An unhandled
      // rejection would end the process.
      deleting.catch(() => undefined);
      total += rows.length;
      if (next.status === 'rejected') break;
      // A relay whose lock connection ended is no longer the leader. Another relay may have the
      // lock now, so publishing on would send the same rows twice.
      rows = this.running && this.listener !== undefined ? next.value : [];
    }
    await deleting;
    return total;
  }

  // The relay's statements are written out rather than built with knex: per batch of 500 rows,
  // knex's query building and result handling cost more CPU than the statements themselves.
  // Row ids go to PostgreSQL as one array parameter instead of a list of 500 placeholders.

  private async fetchPending(afterId?: string): Promise<OutboxRow[]> {
    const after = afterId === undefined ? '' : 'WHERE id > ?';
    const bindings =
      afterId === undefined ? [this.options.batchSize] : [afterId, this.options.batchSize];
    const result = (await this.options.db.raw(
      `SELECT id, event_id, topic, message_key, payload, headers FROM ${MESSAGING_TABLES.outbox}
       ${after} ORDER BY id LIMIT ?`,
      bindings,
    )) as { rows: OutboxRow[] };
    return result.rows;
  }

  /**
   * Sends `rows` in one request. The broker applies `max.message.bytes` to each partition's
   * share of a request. When it rejects the request as too large, the first half and then the
   * second half are sent the same way, so large events still go out in id order.
   * Acknowledged rows of the first half are deleted before the second half's error is thrown,
   * so the retry does not publish them again. An event too large by itself stays pending, with
   * the error on its row.
   *
   * The broker writes the partitions of a request that fit even when it rejects another one, so
   * events of a failed request may be in Kafka already. They are sent again, and consumers drop
   * the copies by event id.
   */
  private async send(rows: OutboxRow[]): Promise<void> {
    if (this.producerFailed) await this.replaceProducer();
    const producer = this.producer;
    if (!producer) throw new Error('OutboxRelay used before start()');
    const topicPrefix = this.options.topicPrefix ?? '';
    const topicMessages = groupByTopic(rows, topicPrefix);
    try {
      await producer.sendBatch({ acks: -1, topicMessages });
    } catch (error) {
      this.producerFailed = true;
      if (isTooLarge(error) && rows.length > 1) {
        await this.sendHalves(rows);
        return;
      }
      await this.recordFailure(rows, error);
      throw error;
    }
    const metrics = this.options.metrics;
    if (metrics !== undefined) {
      for (const { topic, messages } of topicMessages) {
        metrics.published(topic.slice(topicPrefix.length), messages.length);
      }
      metrics.batchPublished(rows.length);
    }
    await this.options.onPublished?.(rows.map((row) => row.event_id));
  }

  /**
   * Connects a new producer in place of one whose send failed. After a failed request, kafkajs'
   * idempotent producer rolls back the sequence numbers of every partition in it, also of those
   * the broker wrote. Its next send to such a partition is then rejected as out of order, or
   * dropped as a duplicate when the message count matches. A new producer gets a new producer id
   * and starts every partition's sequence again.
   */
  private async replaceProducer(): Promise<void> {
    const next = createPlatformProducer(this.options.kafka);
    await next.connect();
    const previous = this.producer;
    this.producer = next;
    this.producerFailed = false;
    await previous?.disconnect().catch(() => undefined);
  }

  private async sendHalves(rows: OutboxRow[]): Promise<void> {
    const firstHalf = rows.slice(0, Math.ceil(rows.length / 2));
    await this.send(firstHalf);
    try {
      await this.send(rows.slice(firstHalf.length));
    } catch (error) {
      await this.deleteSent(firstHalf);
      throw error;
    }
  }

  private async recordFailure(rows: OutboxRow[], error: unknown): Promise<void> {
    this.options.metrics?.publishFailed();
    let lastError = errorText(error);
    const [row] = rows;
    if (isTooLarge(error) && rows.length === 1 && row !== undefined) {
      const bytes = Buffer.byteLength(row.payload);
      lastError += `; event of ${bytes} bytes exceeds the limit of topic ${row.topic}: raise the topic's max.message.bytes, and that of the dead-letter topics above it`;
      this.log.error(
        { eventId: row.event_id, topic: row.topic, bytes },
        'event exceeds the topic size limit, outbox paused; raise max.message.bytes of the topic',
      );
    }
    await this.options.db.raw(
      `UPDATE ${MESSAGING_TABLES.outbox} SET attempts = attempts + 1, last_error = ?
       WHERE id = ANY(?::bigint[])`,
      [lastError, rowIds(rows)],
    );
  }

  // Deleting is how a row is marked sent: PostgreSQL removes a row for about a quarter of the cost
  // of updating its status, which rewrites the whole row and its index entries.
  private async deleteSent(rows: OutboxRow[]): Promise<void> {
    await this.options.db.raw(
      `DELETE FROM ${MESSAGING_TABLES.outbox} WHERE id = ANY(?::bigint[])`,
      [rowIds(rows)],
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.ensureLeader())) {
          await this.sleep(RELAY_DEFAULTS.leaderRetryMs);
          continue;
        }
        const sent = await this.drain();
        this.failures = 0;
        if (sent < this.options.batchSize) await this.sleep(this.options.idleWaitMs);
      } catch (error) {
        this.failures += 1;
        const backoffMs = Math.min(RELAY_DEFAULTS.maxBackoffMs, 100 * 2 ** this.failures);
        this.log.error({ err: error, attempt: this.failures, backoffMs }, 'outbox publish failed');
        await this.dropListenerIfBroken();
        await this.sleep(backoffMs);
      }
    }
  }

  /** Takes the service's advisory lock on the listener connection; true while this relay leads. */
  private async ensureLeader(): Promise<boolean> {
    if (this.listener) return true;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('error', (error) =>
      this.log.warn({ err: error }, 'outbox listener connection failed'),
    );
    // The advisory lock lives on this connection, so leadership ends with it.
    client.on('end', () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.log.warn({ service: this.options.service }, 'outbox relay lost its leader lock');
    });
    await client.connect();
    const lockName = `orderflow-outbox-relay:${this.options.service}`;
    const result = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [lockName],
    );
    if (!result.rows[0]?.locked) {
      await client.end();
      return false;
    }
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    await client.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
    this.listener = client;
    this.log.info({ service: this.options.service }, 'outbox relay is leader');
    return true;
  }

  private async dropListenerIfBroken(): Promise<void> {
    if (!this.listener) return;
    try {
      await this.listener.query('SELECT 1');
    } catch {
      await this.listener.end().catch(() => undefined);
      this.listener = undefined;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running || this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

function groupByTopic(
  rows: OutboxRow[],
  topicPrefix: string,
): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({
      key: row.message_key,
      value: row.payload,
      headers: row.headers,
    });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic: topicPrefix + topic, messages }));
}

/** Kafka error types of a produce request that the broker rejected for its size. */
const TOO_LARGE_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** Returns true when kafkajs failed a send because a partition's share of it was too large. */
function isTooLarge(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ('type' in error && TOO_LARGE_ERRORS.has(String(error.type))) return true;
  // A request that spans several brokers fails with an aggregate of their errors.
  return 'errors' in error && Array.isArray(error.errors) && error.errors.some(isTooLarge);
}

function rowIds(rows: OutboxRow[]): string[] {
  return rows.map((row) => row.id);
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
