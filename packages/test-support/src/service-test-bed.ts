import { randomUUID } from 'node:crypto';
import { parseEvent, serializeEvent, type EventType, type TypedEvent } from '@orderflow/contracts';
import { createScratchDatabase, type ScratchDatabase } from './databases.js';
import { createTestKafka, kafkaBrokers } from './kafka-client.js';
import { createTopic, deleteTopics } from './topics.js';
import { waitFor } from './wait-for.js';
import type { Consumer, Producer } from 'kafkajs';
import knex, { type Knex } from 'knex';

/**
 * Kafka topics, a scratch database and an output reader for one service test file. Topics get
 * a random prefix, which the service under test receives as KAFKA_TOPIC_PREFIX.
 */
export class ServiceTestBed {
  readonly prefix = `t${randomUUID().slice(0, 8)}.`;
  readonly kafka = createTestKafka('service-test');
  private readonly received: TypedEvent[] = [];
  private producer: Producer | undefined;
  private reader: Consumer | undefined;
  private scratch: ScratchDatabase | undefined;
  private database: Knex | undefined;

  constructor(
    private readonly databasePrefix: string,
    private readonly inputTypes: EventType[],
    private readonly outputTypes: EventType[],
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
      eachMessage: async ({ message }) => void this.received.push(parseEvent(message.value)),
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

  async publish(event: TypedEvent): Promise<void> {
    if (!this.producer) throw new Error('ServiceTestBed.start() was not called');
    await this.producer.send({
      topic: this.prefix + event.type,
      messages: [{ key: event.subject, value: serializeEvent(event) }],
    });
  }

  /** Events of `type` about `orderId` read from the output topics so far. */
  eventsFor<T extends EventType>(type: T, orderId: string): TypedEvent<T>[] {
    return this.received.filter(
      (event): event is TypedEvent<T> => event.type === type && event.subject === orderId,
    );
  }

  /** Waits for the first event of `type` about `orderId` and returns it. */
  async nextEvent<T extends EventType>(type: T, orderId: string): Promise<TypedEvent<T>> {
    await waitFor(() => this.eventsFor(type, orderId).length > 0, {
      timeoutMs: 30_000,
      description: `${type} for ${orderId}`,
    });
    return this.eventsFor(type, orderId)[0]!;
  }

  /** Number of events of `type` about `orderId` that the service wrote to its outbox. */
  async outboxCount(type: EventType, orderId: string): Promise<number> {
    const rows = await this.db('outbox_events')
      .where({ topic: type, message_key: orderId })
      .count<{ count: string }[]>('* as count');
    return Number(rows[0]?.count ?? 0);
  }

  /** Waits until the service has handled the event with `eventId` (its inbox has a row). */
  async handled(eventId: string): Promise<void> {
    await waitFor(
      async () =>
        (await this.db('inbox_events').where({ event_id: eventId }).first()) !== undefined,
      { timeoutMs: 30_000, description: `event ${eventId} handled` },
    );
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
