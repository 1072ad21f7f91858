import { randomUUID } from 'node:crypto';
import {
  createEvent,
  parseEvent,
  serializeEvent,
  type CheckoutOrder,
  type EventData,
  type EventType,
  type TypedEvent,
} from '@orderflow/contracts';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import type { RunningService } from '@orderflow/service-kit';
import {
  createScratchDatabase,
  createTestKafka,
  createTopic,
  deleteTopics,
  type ScratchDatabase,
} from '@orderflow/test-support';
import type { Consumer, Producer } from 'kafkajs';
import knex, { type Knex } from 'knex';
import { startNotificationService } from '../src/index.js';

export const INPUT_TYPES = [
  'order.created',
  'payment.captured',
  'payment.failed',
  'payment.authentication_required',
  'shipment.address_rejected',
  'fraud.assessed',
  'shipment.label_created',
] as const satisfies readonly EventType[];

export const OUTPUT_TYPES = ['notification.sent', 'notification.failed'] as const;

const TOPICS = [...INPUT_TYPES, ...OUTPUT_TYPES, 'dead-letter.notification'];

/**
 * The notification service running in-process against the provider sandbox, a scratch
 * database and topics under a fresh prefix, with a producer for input events and a consumer
 * that collects every event the service emits.
 */
export class NotificationHarness {
  readonly emitted: TypedEvent[] = [];
  private readonly kafka = createTestKafka('notification-test');
  private readonly producer: Producer = this.kafka.producer();
  private collector: Consumer | undefined;
  private running: RunningService | undefined;

  private constructor(
    readonly prefix: string,
    readonly sandbox: RunningSandbox,
    readonly database: ScratchDatabase,
    readonly db: Knex,
  ) {}

  /**
   * Creates the topics, sandbox and database and starts collecting output events. Call
   * `startService` next. Events published before that call wait on their topics.
   */
  static async create(): Promise<NotificationHarness> {
    const prefix = `t${randomUUID().slice(0, 8)}.`;
    for (const topic of TOPICS) await createTopic(prefix + topic);
    const sandbox = await startSandbox({ port: 0 });
    const database = await createScratchDatabase('notification');
    const db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    const harness = new NotificationHarness(prefix, sandbox, database, db);
    await harness.connect();
    return harness;
  }

  /** Creates the harness and starts the service. */
  static async start(): Promise<NotificationHarness> {
    const harness = await NotificationHarness.create();
    await harness.startService();
    return harness;
  }

  async startService(): Promise<void> {
    this.running = await startNotificationService({
      env: {
        PORT: '0',
        DATABASE_URL: this.database.url,
        KAFKA_TOPIC_PREFIX: this.prefix,
        SANDBOX_URL: this.sandbox.url,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      },
      ownsProcess: false,
      tracing: false,
    });
  }

  get service(): RunningService {
    if (!this.running) throw new Error('call startService() first');
    return this.running;
  }

  private async connect(): Promise<void> {
    await this.producer.connect();
    this.collector = this.kafka.consumer({ groupId: `notification-test-${this.prefix}` });
    await this.collector.connect();
    await this.collector.subscribe({
      topics: OUTPUT_TYPES.map((type) => this.prefix + type),
      fromBeginning: true,
    });
    await this.collector.run({
      eachMessage: async ({ message }) => void this.emitted.push(parseEvent(message.value)),
    });
  }

  async stop(): Promise<void> {
    await this.collector?.disconnect();
    await this.producer.disconnect();
    await this.running?.stop();
    await this.sandbox.close();
    await this.db.destroy();
    await this.database.drop();
    await deleteTopics(TOPICS.map((topic) => this.prefix + topic));
  }

  /** Publishes an event keyed by its order id and returns it, so a test can publish it again. */
  async publish<T extends EventType>(type: T, data: EventData<T>): Promise<TypedEvent<T>> {
    const event = createEvent({
      type,
      source: 'notification-test',
      subject: orderIdOf(data),
      data,
    });
    await this.republish(event);
    return event;
  }

  /** Publishes an existing event again, as a broker redelivery would. */
  async republish(event: TypedEvent): Promise<void> {
    await this.producer.send({
      topic: this.prefix + event.type,
      messages: [{ key: event.subject, value: serializeEvent(event) }],
    });
  }

  /** Events the service emitted for one order, of one type. */
  emittedFor<T extends EventType>(type: T, orderId: string): TypedEvent<T>[] {
    return this.emitted.filter(
      (event): event is TypedEvent<T> => event.type === type && event.subject === orderId,
    );
  }

  /** Emails the SendGrid sandbox stored for one address. */
  async emailsTo(address: string): Promise<{ subject?: string; text?: string }[]> {
    const url = `${this.sandbox.url}/_sandbox/sendgrid/messages?to=${encodeURIComponent(address)}`;
    const body = (await (await fetch(url)).json()) as { messages: { subject?: string }[] };
    return body.messages;
  }

  /** SMS the Twilio sandbox stored for one number. */
  async smsTo(phone: string): Promise<{ body: string }[]> {
    const url = `${this.sandbox.url}/_sandbox/twilio/messages?to=${encodeURIComponent(phone)}`;
    const body = (await (await fetch(url)).json()) as { messages: { body: string }[] };
    return body.messages;
  }

  /** Queues failures for the next requests to one provider of the sandbox. */
  async injectFault(
    provider: 'sendgrid' | 'twilio',
    fault: { statusCode: number; count: number },
  ): Promise<void> {
    const response = await fetch(`${this.sandbox.url}/_sandbox/${provider}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    if (response.status !== 201) throw new Error(`fault injection returned ${response.status}`);
  }

  /**
   * Number of messages on an input topic that the service's consumer group has finished,
   * handled or skipped, from its committed offsets.
   */
  async finishedMessages(type: EventType): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [result] = await admin.fetchOffsets({
        groupId: `${this.prefix}notification`,
        topics: [this.prefix + type],
      });
      return (result?.partitions ?? []).reduce(
        (total, partition) => total + Math.max(0, Number(partition.offset)),
        0,
      );
    } finally {
      await admin.disconnect();
    }
  }
}

function orderIdOf(data: unknown): string {
  return (data as { orderId: string }).orderId;
}

/** Returns a valid checkout order with a fresh order id, a unique email and an optional phone. */
export function checkoutOrder(options: { phone?: string } = {}): CheckoutOrder {
  const orderId = `N-${randomUUID().slice(0, 8)}`;
  return {
    orderId,
    placedAt: '2019-01-03T00:00:00Z',
    currency: 'USD',
    shipMode: 'Standard Class',
    customer: {
      id: `C-${orderId}`,
      email: `${orderId.toLowerCase()}@example.com`,
      ...(options.phone ? { phone: options.phone } : {}),
      segment: 'Consumer',
    },
    shipTo: {
      street: '798 Hillcrest Road',
      city: 'Houston',
      region: 'TX',
      postalCode: '77095',
      country: 'US',
    },
    lines: [
      {
        productId: 'OFF-PA-10000174',
        name: 'Message Book',
        quantity: 2,
        discountRate: 0.2,
        lineTotalMinor: 1645,
      },
    ],
    totals: { subtotalMinor: 1645 },
    payment: { paymentMethodId: 'pm_sandbox_4242abcd' },
  };
}

let phonesIssued = 0;

/**
 * Returns the next number of the fiction range +1 202 555-0100 to 0199, which Twilio's sandbox
 * accepts. Each sandbox lives for one test file, so 100 numbers per file are enough.
 */
export function fictionPhone(): string {
  const suffix = String(phonesIssued++ % 100).padStart(2, '0');
  return `+120255501${suffix}`;
}

export function captured(orderId: string, amountMinor = 1777): EventData<'payment.captured'> {
  return {
    orderId,
    paymentIntentId: `pi_${orderId}`,
    amountMinor,
    currency: 'USD',
    capturedAt: '2019-01-03T00:05:00Z',
  };
}
