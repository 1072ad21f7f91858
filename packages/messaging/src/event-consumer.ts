import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import {
  ContractViolationError,
  parseEvent,
  type EventType,
  type NewEventInput,
  type TypedEvent,
} from '@orderflow/contracts';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { buildDeadLetter } from './dead-letter.js';
import { createPlatformProducer } from './kafka-producer.js';
import { MESSAGING_TABLES } from './messaging-tables.js';
import { addToOutbox } from './outbox-writer.js';
import { extractTraceContext } from './trace-context.js';

/** Retry schedule for transient failures before a message goes to the dead-letter topic. */
export const CONSUMER_RETRY_DEFAULTS = {
  maxAttempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  maxUnavailableMs: 5 * 60_000,
} as const;

export interface RetrySettings {
  /** Attempts at a message whose failures are not outages of a dependency. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /**
   * Time for which a message is retried while `isUnavailable` reports its failures as outages.
   * These failures do not count toward `maxAttempts`. Every partition of the consumer waits
   * meanwhile, because kafkajs fetches again only once each batch of the last fetch is done.
   */
  maxUnavailableMs: number;
}

/** Context passed to a handler with the event: its transaction and a way to emit events in it. */
export interface HandlerContext {
  /** Transaction that also records the event id in the inbox; commit makes both durable. */
  trx: Knex.Transaction;
  log: Logger;
  /** Writes a new event to the outbox in this transaction, with this service as its source. */
  publish<T extends EventType>(input: Omit<NewEventInput<T>, 'source'>): Promise<TypedEvent<T>>;
  /**
   * Parks this event because an earlier event of the same subject (such as the order's
   * `order.created`) has not been handled yet on its own topic. The handler should return after
   * calling it. The consumer hands the event to its handler again, in the same transaction, right
   * after the next event of that subject is handled, so the partition is never blocked waiting.
   */
  defer(reason: string): Promise<void>;
  delivery: { topic: string; partition: number; offset: string; attempt: number };
}

export type EventHandler<T extends EventType> = (
  event: TypedEvent<T>,
  ctx: HandlerContext,
) => Promise<void>;

/** Handlers by event type; the consumer subscribes to the topic of each type listed. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/**
 * Outcome of one attempt at a consumed message:
 * - `handled`: the handler ran and its transaction committed.
 * - `duplicate`: the inbox already contained the event id, so the handler did not run.
 * - `deferred`: the handler parked the event until an earlier event of its subject is handled.
 * - `ignored`: the topic carried an event type that has no handler.
 * - `retried`: the attempt failed and the message will be tried again.
 * - `dead_lettered`: the message was copied to the dead-letter topic.
 */
export type ConsumerOutcome =
  'handled' | 'duplicate' | 'deferred' | 'ignored' | 'retried' | 'dead_lettered';

/**
 * Observer of an event consumer's work, such as a Prometheus exporter. It runs on every message,
 * so it should be cheap, and it must not throw.
 */
export interface ConsumerMetrics {
  /**
   * Records one attempt at a message. `type` is the topic name without the prefix, which is the
   * event type and is known even for a message that cannot be parsed. `seconds` runs from the
   * start of the attempt until its outcome is final, including the dead-letter publish and
   * excluding the delay before a retry.
   *
   * NOTE: an event parked with `defer` counts once, as `deferred`. Its later release runs in the
   * transaction of the event that releases it and is not recorded again.
   */
  handled(type: string, outcome: ConsumerOutcome, seconds: number): void;
}

export interface DeadLetterNotice {
  topic: string;
  key: string | null;
  value: Buffer | null;
  error: unknown;
}

export interface EventConsumerOptions {
  /** Consumer group id; also names the dead-letter topic. */
  group: string;
  /** CloudEvents `source` of the events that handlers publish. */
  source: string;
  kafka: Kafka;
  db: Knex;
  logger: Logger;
  handlers: EventHandlers;
  retry?: Partial<RetrySettings>;
  /** Partitions processed in parallel; order within a partition is always kept. */
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** Prepended to every topic name, including the dead-letter topic; must match the relay's. */
  topicPrefix?: string;
  /** Called after a message was dead-lettered, for example to show the rejection to users. */
  onDeadLetter?: (notice: DeadLetterNotice) => Promise<void>;
  /** Receives the outcome and duration of every attempt at a message. */
  metrics?: ConsumerMetrics;
  /**
   * Returns true for an error that means a dependency is down, not that the message is at fault,
   * so the message waits for the dependency instead of going to the dead-letter topic. Defaults to
   * `isDatabaseUnavailable`.
   */
  isUnavailable?: (error: unknown) => boolean;
  /**
   * Called when kafkajs stopped the consumer after an error that it does not restart from, such
   * as a dead letter that its topic rejects. The service no longer consumes, so it should exit.
   */
  onCrash?: (error: unknown) => void;
  /**
   * Time without a heartbeat after which the broker drops the consumer from its group (default
   * 30 s). Heartbeats continue while a handler runs, so a slow handler does not exceed it.
   */
  sessionTimeoutMs?: number;
}

/** Heartbeat and liveness of the batch that a message came in. */
interface BatchControl {
  heartbeat(): Promise<void>;
  /** False once the consumer stops or the partition was assigned elsewhere. */
  isActive(): boolean;
}

interface DeferredRow {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  payload: unknown;
}

/** The consumer is stopping; the current message stays uncommitted and is redelivered later. */
class StopRequested extends Error {}

const tracer = trace.getTracer('@orderflow/messaging');

/**
 * Consumes platform events with exactly-once effects on the service's database: each handler runs
 * in a transaction that first records the event id in the inbox, so a redelivered event is
 * skipped. Transient failures are retried with exponential backoff. A message that cannot be
 * parsed, fails its contract, fails with a non-retryable error or runs out of attempts is copied
 * to the group's dead-letter topic, and the partition moves on.
 */
export class EventConsumer {
  private readonly options: EventConsumerOptions;
  private readonly retry: RetrySettings;
  private readonly log: Logger;
  private consumer: Consumer | undefined;
  private deadLetterProducer: Producer | undefined;
  private stopping = false;
  private readonly prefix: string;
  private readonly isUnavailable: (error: unknown) => boolean;
  private readonly sessionTimeoutMs: number;
  private readonly heartbeatIntervalMs: number;

  constructor(options: EventConsumerOptions) {
    this.options = options;
    this.isUnavailable = options.isUnavailable ?? isDatabaseUnavailable;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 30_000;
    this.heartbeatIntervalMs = Math.min(3_000, Math.floor(this.sessionTimeoutMs / 3));
    this.retry = { ...CONSUMER_RETRY_DEFAULTS, ...options.retry };
    this.prefix = options.topicPrefix ?? '';
    this.log = options.logger.child({ component: 'event-consumer', group: options.group });
  }

  /** Joins the consumer group and starts handling messages in the background. */
  async start(): Promise<void> {
    const topics = Object.keys(this.options.handlers).map((type) => this.prefix + type);
    this.deadLetterProducer = createPlatformProducer(this.options.kafka);
    await this.deadLetterProducer.connect();
    this.consumer = this.options.kafka.consumer({
      // The prefix keeps a test's in-process service out of a running platform's group.
      groupId: this.prefix + this.options.group,
      allowAutoTopicCreation: false,
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: this.heartbeatIntervalMs,
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopping) return;
      this.log.error({ err: payload.error }, 'consumer stopped after an error, not restarting');
      this.options.onCrash?.(payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: 5_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.log.info({ topics }, 'consumer started');
  }

  /**
   * Lets the message in progress on each partition finish, commits the offsets of the handled
   * messages, and leaves the group.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    await this.deadLetterProducer?.disconnect();
    this.consumer = undefined;
    this.deadLetterProducer = undefined;
    this.log.info('consumer stopped');
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const control: BatchControl = {
      heartbeat: () => payload.heartbeat(),
      isActive: () => !this.stopping && payload.isRunning() && !payload.isStale(),
    };
    let lastHandled: string | undefined;
    try {
      for (const message of batch.messages) {
        if (!control.isActive()) break;
        await this.handleMessage(batch.topic, batch.partition, message, control);
        payload.resolveOffset(message.offset);
        lastHandled = message.offset;
        await payload.heartbeat();
      }
    } catch (error) {
      if (!(error instanceof StopRequested)) throw error;
    } finally {
      if (lastHandled !== undefined) {
        const next = (BigInt(lastHandled) + 1n).toString();
        await payload.commitOffsetsIfNecessary({
          topics: [
            { topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] },
          ],
        });
      }
    }
  }

  private async handleMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    control: BatchControl,
  ): Promise<void> {
    const parent = extractTraceContext(message.headers);
    const span = tracer.startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.consumer.group.name': this.options.group,
          'messaging.kafka.offset': Number(message.offset),
          ...(message.key ? { 'messaging.kafka.message.key': message.key.toString() } : {}),
        },
      },
      parent,
    );
    // The broker drops a member that sends no heartbeat for the session timeout, and its partitions
    // go to another member, which handles this message again. A failed heartbeat, such as one
    // rejected with REBALANCE_IN_PROGRESS, is sent again after the message by handleBatch.
    const heartbeats = setInterval(
      () => void control.heartbeat().catch(() => undefined),
      this.heartbeatIntervalMs,
    );
    try {
      await context.with(trace.setSpan(parent, span), () =>
        this.handleWithRetries(topic, partition, message, control),
      );
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      clearInterval(heartbeats);
      span.end();
    }
  }

  private async handleWithRetries(
    topic: string,
    partition: number,
    message: KafkaMessage,
    control: BatchControl,
  ): Promise<void> {
    let failures = 0;
    let outageStartedAt: number | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const startedAt = performance.now();
      let outcome: ConsumerOutcome;
      try {
        outcome = await this.handleOnce(topic, partition, message, attempt);
      } catch (error) {
        const unavailable = isRetryable(error) && this.isUnavailable(error);
        if (unavailable) {
          outageStartedAt ??= Date.now();
        } else {
          failures += 1;
          outageStartedAt = undefined;
        }
        const outageMs = outageStartedAt === undefined ? 0 : Date.now() - outageStartedAt;
        const final = unavailable
          ? outageMs >= this.retry.maxUnavailableMs
          : !isRetryable(error) || failures >= this.retry.maxAttempts;
        const fields = { err: error, topic, partition, offset: message.offset, attempt };
        if (final) {
          this.log.warn(fields, 'message dead-lettered');
          await this.deadLetter(topic, partition, message, error, attempt);
          this.recordAttempt(topic, 'dead_lettered', startedAt);
          return;
        }
        this.recordAttempt(topic, 'retried', startedAt);
        const delayMs = Math.min(
          this.retry.maxDelayMs,
          this.retry.initialDelayMs * 2 ** Math.min(attempt - 1, 30),
        );
        if (unavailable) {
          this.log.warn({ ...fields, delayMs, outageMs }, 'dependency unavailable, message waits');
        } else {
          this.log.warn({ ...fields, delayMs }, 'message handling failed, retrying');
        }
        await this.pause(delayMs, control);
        continue;
      }
      this.recordAttempt(topic, outcome, startedAt);
      return;
    }
  }

  private recordAttempt(topic: string, outcome: ConsumerOutcome, startedAt: number): void {
    const metrics = this.options.metrics;
    if (metrics === undefined) return;
    const seconds = (performance.now() - startedAt) / 1000;
    metrics.handled(topic.slice(this.prefix.length), outcome, seconds);
  }

  private async handleOnce(
    topic: string,
    partition: number,
    message: KafkaMessage,
    attempt: number,
  ): Promise<'handled' | 'duplicate' | 'deferred' | 'ignored'> {
    const event = parseEvent(message.value);
    if (!this.options.handlers[event.type]) return 'ignored';
    const delivery = { topic, partition, offset: message.offset, attempt };
    return this.options.db.transaction(async (trx) => {
      // One statement takes a transaction-scoped advisory lock on (group, subject) and claims
      // the event id. Without the lock, an event that defers because its order is unknown and
      // the order's own event, handled at once on another partition, miss each other's
      // uncommitted rows, so the parked event is never released. The SQL is written out
      // because this runs for every event and knex's query building costs more CPU.
      const claimed = (await trx.raw(
        `INSERT INTO ${MESSAGING_TABLES.inbox}
           (consumer_group, event_id, event_type, topic, partition, "offset")
         SELECT ?::text, ?::text, ?::text, ?::text, ?::integer, ?::text
         FROM (SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))) AS subject_lock
         ON CONFLICT (consumer_group, event_id) DO NOTHING
         RETURNING event_id`,
        [
          this.options.group,
          event.id,
          event.type,
          topic,
          partition,
          message.offset,
          this.options.group,
          event.subject,
        ],
      )) as { rows: unknown[] };
      if (claimed.rows.length === 0) {
        this.log.debug({ eventId: event.id, eventType: event.type }, 'duplicate event skipped');
        return 'duplicate';
      }
      const deferred = await this.dispatch(trx, event, delivery);
      if (deferred) return 'deferred';
      await this.releaseDeferred(trx, event.subject);
      return 'handled';
    });
  }

  /** Runs the handler of `event`; returns true when the handler deferred the event. */
  private async dispatch(
    trx: Knex.Transaction,
    event: TypedEvent,
    delivery: HandlerContext['delivery'],
  ): Promise<boolean> {
    const handler = this.options.handlers[event.type] as EventHandler<EventType>;
    const log = this.log.child({
      eventId: event.id,
      eventType: event.type,
      orderId: event.subject,
    });
    let deferred = false;
    await handler(event, {
      trx,
      log,
      publish: (input) => addToOutbox(trx, { ...input, source: this.options.source }),
      defer: async (reason) => {
        deferred = true;
        await trx(MESSAGING_TABLES.deferred).insert({
          consumer_group: this.options.group,
          subject: event.subject,
          event_id: event.id,
          topic: delivery.topic,
          partition: delivery.partition,
          offset: delivery.offset,
          payload: JSON.stringify(event),
          reason,
        });
        log.info({ reason }, 'event deferred');
      },
      delivery,
    });
    return deferred;
  }

  /** Hands the events parked for `subject` to their handlers again, oldest first. */
  private async releaseDeferred(trx: Knex.Transaction, subject: string): Promise<void> {
    const parked = (
      (await trx.raw(
        `DELETE FROM ${MESSAGING_TABLES.deferred} WHERE consumer_group = ? AND subject = ?
         RETURNING id, topic, partition, "offset", payload`,
        [this.options.group, subject],
      )) as { rows: DeferredRow[] }
    ).rows;
    parked.sort((left, right) => Number(left.id) - Number(right.id));
    for (const row of parked) {
      const event = parseEvent(JSON.stringify(row.payload));
      this.log.info(
        { eventId: event.id, eventType: event.type, orderId: subject },
        'deferred event released',
      );
      await this.dispatch(trx, event, {
        topic: row.topic,
        partition: row.partition,
        offset: row.offset,
        attempt: 1,
      });
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const producer = this.deadLetterProducer;
    if (!producer) throw new StopRequested();
    const deadLetter = buildDeadLetter({
      group: this.options.group,
      topic,
      partition,
      message,
      error,
      attempts,
    });
    const deadLetterTopic = this.prefix + deadLetter.topic;
    try {
      await producer.send({ topic: deadLetterTopic, acks: -1, messages: [deadLetter.message] });
    } catch (sendError) {
      // The message stays uncommitted and is retried with the batch; a missing topic shows here.
      this.log.error({ err: sendError, deadLetterTopic }, 'dead-letter publish failed');
      throw sendError;
    }
    try {
      await this.options.onDeadLetter?.({
        topic,
        key: message.key?.toString() ?? null,
        value: message.value,
        error,
      });
    } catch (hookError) {
      this.log.error({ err: hookError, topic, offset: message.offset }, 'dead-letter hook failed');
    }
  }

  /**
   * Waits `ms` before the next attempt. It sends the group heartbeats meanwhile, so a long wait
   * does not cost the partition, and it gives up when the consumer stops or the partition moves.
   */
  private async pause(ms: number, control: BatchControl): Promise<void> {
    const step = 50;
    for (let waited = 0; waited < ms; waited += step) {
      if (!control.isActive()) throw new StopRequested();
      // kafkajs sends a heartbeat only when its interval has passed, so this is cheap.
      await control.heartbeat();
      await new Promise((resolve) => setTimeout(resolve, Math.min(step, ms - waited)));
    }
  }
}

/**
 * Decides whether a failed message is worth another attempt. Contract violations never are, and
 * neither is an error with `retryable: false` (such as the service kit's AppError). Any other
 * error, such as a lost database connection, counts as transient.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ContractViolationError) return false;
  if (error && typeof error === 'object' && 'retryable' in error) return Boolean(error.retryable);
  return true;
}

/** Node's codes for a connection that could not be made or was lost. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * SQLSTATE codes of a server that is unreachable or not serving. They are the connection
 * exceptions of class 08 and the insufficient resources of class 53, and 57P01 to 57P03 for a
 * server that is shutting down, crashed or still starting. 08P01 (protocol violation) and 53400
 * (configured limit) are left out, because the same statement fails the same way again.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '53000',
  '53100',
  '53200',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);

/** Messages of node-postgres errors that have no code. */
const LOST_CONNECTION_MESSAGE =
  /^Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed/;

/**
 * Returns true when an error, or an error it wraps, shows that PostgreSQL could not be reached.
 * That is a refused or lost connection, a server that is shutting down or starting, or a knex
 * pool that found no free connection in time.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const pending: unknown[] = [error];
  for (let checked = 0; pending.length > 0 && checked < 10; checked += 1) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    const { code, name, message, cause, errors } = item as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (
      typeof code === 'string' &&
      (CONNECTION_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))
    ) {
      return true;
    }
    if (name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && LOST_CONNECTION_MESSAGE.test(message)) return true;
    if (cause !== undefined) pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}
