import { randomUUID } from 'node:crypto';
import {
  createEvent,
  parseEvent,
  serializeEvent,
  type EventData,
  type EventType,
  type TypedEvent,
} from '@orderflow/contracts';
import { createScratchDatabase, type ScratchDatabase } from './databases.js';
import { createTestKafka, kafkaBrokers } from './kafka-client.js';
import { createTopic, deleteTopics, topicEndOffsets } from './topics.js';
import { waitFor } from './wait-for.js';
import type { Consumer, Producer } from 'kafkajs';
import knex, { type Knex } from 'knex';

/**
 * Maximum wait in ms for an effect of the service under test, such as an output event or an
 * inbox row. It is generous because one event can take seconds on a loaded machine. The test
 * timeout of a service package must be longer, so that the wait's error names what was missing.
 */
export const SERVICE_TEST_WAIT_MS = 30_000;

/**
 * Kafka topics, a scratch database and an output reader for the tests of one service. Topics
 * get a random prefix, which the service under test receives as KAFKA_TOPIC_PREFIX.
 *
 * The waits check effects that the service commits (output events and inbox rows), never the
 * consumer group's committed offsets. The consumer commits offsets after its database
 * transaction, so they can lag behind every effect of the event.
 */
export class ServiceTestBed {
  readonly prefix = `t${randomUUID().slice(0, 8)}.`;
  readonly kafka = createTestKafka('service-test');
  private readonly received: TypedEvent[] = [];
  /** Next offset to read on each output topic partition, by `topic:partition`. */
  private readonly readUpTo = new Map<string, bigint>();
  private producer: Producer | undefined;
  private reader: Consumer | undefined;
  private scratch: ScratchDatabase | undefined;
  private database: Knex | undefined;

  /**
   * @param databasePrefix prefix of the scratch database's name
   * @param inputTypes event types that the service consumes
   * @param outputTypes event types that the service emits, which the bed reads from the start
   * @param deadLetterGroup consumer group of the service, which names its dead-letter topic
   */
  constructor(
    private readonly databasePrefix: string,
    private readonly inputTypes: readonly EventType[],
    private readonly outputTypes: readonly EventType[],
    private readonly deadLetterGroup: string,
  ) {}

  /** Creates the topics and the database and starts reading the output topics. */
  async start(): Promise<void> {
    for (const name of this.topicNames()) await createTopic(this.prefix + name);
    this.scratch = await createScratchDatabase(this.databasePrefix);
    this.database = knex({ client: 'pg', connection: this.scratch.url, pool: { min: 0, max: 2 } });
    this.producer = this.kafka.producer();
    await this.producer.connect();
    this.reader = this.kafka.consumer({ groupId: `${this.prefix}reader` });
    await this.reader.connect();
    await this.reader.subscribe({
      topics: this.outputTypes.map((type) => this.prefix + type),
      fromBeginning: true,
    });
    await this.reader.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.received.push(parseEvent(message.value));
        this.readUpTo.set(`${topic}:${partition}`, BigInt(message.offset) + 1n);
      },
    });
  }

  /** Environment for the service under test. */
  serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PORT: '0',
      DATABASE_URL: this.databaseUrl,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: this.prefix,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...extra,
    };
  }

  get databaseUrl(): string {
    if (!this.scratch) throw new Error('ServiceTestBed.start() was not called');
    return this.scratch.url;
  }

  /** Connection to the service's database, for assertions. */
  get db(): Knex {
    if (!this.database) throw new Error('ServiceTestBed.start() was not called');
    return this.database;
  }

  /** Publishes `event` keyed by its subject. Publishing an event again imitates a redelivery. */
  async publish(event: TypedEvent): Promise<void> {
    if (!this.producer) throw new Error('ServiceTestBed.start() was not called');
    await this.producer.send({
      topic: this.prefix + event.type,
      messages: [{ key: event.subject, value: serializeEvent(event) }],
    });
  }

  /**
   * Creates a new event of `type` about the order in `data`, publishes it and returns it, so that
   * a test can wait for its handling or publish it again.
   */
  async publishNewEvent<T extends EventType>(type: T, data: EventData<T>): Promise<TypedEvent<T>> {
    const event = createEvent({ type, source: 'service-test', subject: data.orderId, data });
    await this.publish(event);
    return event;
  }

  /** Events of `type` about `orderId` read from the output topics so far. */
  eventsFor<T extends EventType>(type: T, orderId: string): TypedEvent<T>[] {
    return this.received.filter(
      (event): event is TypedEvent<T> => event.type === type && event.subject === orderId,
    );
  }

  /** Waits for the first event of `type` about `orderId` and returns it. */
  async nextEvent<T extends EventType>(type: T, orderId: string): Promise<TypedEvent<T>> {
    const [first] = await this.waitForEvents(type, orderId, 1);
    return first!;
  }

  /**
   * Waits until at least `count` events of `type` about `orderId` have been read and returns
   * all of them read so far.
   */
  async waitForEvents<T extends EventType>(
    type: T,
    orderId: string,
    count: number,
  ): Promise<TypedEvent<T>[]> {
    await waitFor(() => this.eventsFor(type, orderId).length >= count, {
      timeoutMs: SERVICE_TEST_WAIT_MS,
      description: `${count} ${type} event(s) for ${orderId}`,
    });
    return this.eventsFor(type, orderId);
  }

  /**
   * Number of events of `type` about `orderId` that the service published. Waits until the
   * service's outbox is empty (its relay deletes each row once Kafka has it) and the bed has read
   * the output topic to its end, so an event written by a redelivery is counted too.
   */
  async emittedCount(type: EventType, orderId: string): Promise<number> {
    await waitFor(async () => (await this.db('outbox_events').first()) === undefined, {
      timeoutMs: SERVICE_TEST_WAIT_MS,
      description: 'the outbox relay to publish every event',
    });
    const topic = this.prefix + type;
    const ends = [...(await topicEndOffsets(topic))];
    await waitFor(
      () =>
        ends.every(([partition, end]) => (this.readUpTo.get(`${topic}:${partition}`) ?? 0n) >= end),
      { timeoutMs: SERVICE_TEST_WAIT_MS, description: `${topic} read to its end` },
    );
    return this.eventsFor(type, orderId).length;
  }

  /**
   * Waits until the service has handled the event with `eventId`, which its inbox row shows.
   * The row commits with the handler's effects, and a deferred event counts as handled. A
   * redelivered event adds no row, so wait for a later event of the same subject instead. Events
   * with one key share a partition, so the service handles them in the order published.
   */
  async handled(eventId: string): Promise<void> {
    await waitFor(
      async () =>
        (await this.db('inbox_events').where({ event_id: eventId }).first()) !== undefined,
      { timeoutMs: SERVICE_TEST_WAIT_MS, description: `event ${eventId} handled` },
    );
  }

  /**
   * Returns whether the event with `eventId` is in the service's deferred events, where it waits
   * for an earlier event of its subject. The row is deleted when the handler gets the event again.
   */
  async isDeferred(eventId: string): Promise<boolean> {
    const row = await this.db('deferred_events').where({ event_id: eventId }).first();
    return row !== undefined;
  }

  async stop(): Promise<void> {
    await this.reader?.disconnect();
    await this.producer?.disconnect();
    await this.database?.destroy();
    await this.scratch?.drop();
    await deleteTopics(this.topicNames().map((name) => this.prefix + name));
  }

  private topicNames(): string[] {
    return [
      ...new Set([...this.inputTypes, ...this.outputTypes]),
      `dead-letter.${this.deadLetterGroup}`,
    ];
  }
}
