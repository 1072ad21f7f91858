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
import { startCrmSyncService } from '../src/index.js';

const TOPICS = ['order.created', 'payment.captured', 'crm.synced', 'dead-letter.crm-sync'];

/** A HubSpot record as the sandbox's inspection routes return it. */
export interface InspectedRecord {
  id: string;
  properties: Record<string, string>;
  associatedIds: string[];
}

/**
 * The crm-sync service running in-process against the provider sandbox, a scratch database
 * and topics under a fresh prefix, with a producer for input events and a consumer that
 * collects the `crm.synced` events the service emits.
 */
export class CrmSyncHarness {
  readonly emitted: TypedEvent<'crm.synced'>[] = [];
  private readonly kafka = createTestKafka('crm-sync-test');
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
  static async create(): Promise<CrmSyncHarness> {
    const prefix = `t${randomUUID().slice(0, 8)}.`;
    for (const topic of TOPICS) await createTopic(prefix + topic);
    const sandbox = await startSandbox({ port: 0 });
    const database = await createScratchDatabase('crm_sync');
    const db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    const harness = new CrmSyncHarness(prefix, sandbox, database, db);
    await harness.connect();
    return harness;
  }

  /** Creates the harness and starts the service. */
  static async start(): Promise<CrmSyncHarness> {
    const harness = await CrmSyncHarness.create();
    await harness.startService();
    return harness;
  }

  async startService(): Promise<void> {
    this.running = await startCrmSyncService({
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
    this.collector = this.kafka.consumer({ groupId: `crm-sync-test-${this.prefix}` });
    await this.collector.connect();
    await this.collector.subscribe({ topics: [`${this.prefix}crm.synced`], fromBeginning: true });
    await this.collector.run({
      eachMessage: async ({ message }) =>
        void this.emitted.push(parseEvent(message.value) as TypedEvent<'crm.synced'>),
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
    const orderId = (data as { orderId: string }).orderId;
    const event = createEvent({ type, source: 'crm-sync-test', subject: orderId, data });
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

  syncedFor(orderId: string): TypedEvent<'crm.synced'>[] {
    return this.emitted.filter((event) => event.subject === orderId);
  }

  /** Records of one HubSpot object type in the sandbox. */
  async hubSpotRecords(kind: 'deals' | 'contacts'): Promise<InspectedRecord[]> {
    const response = await fetch(`${this.sandbox.url}/_sandbox/hubspot/${kind}`);
    const body = (await response.json()) as Record<string, InspectedRecord[]>;
    return body[kind] ?? [];
  }

  async dealsOf(orderId: string): Promise<InspectedRecord[]> {
    const deals = await this.hubSpotRecords('deals');
    return deals.filter((deal) => deal.properties.orderflow_order_id === orderId);
  }

  /** Sends a request to the sandbox's HubSpot API with a valid token. */
  async hubSpotRequest(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.sandbox.url}${path}`, {
      method,
      headers: {
        authorization: 'Bearer pat-na1-00000000-0000-4000-8000-000000000000',
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Sends a request to a sandbox-only route and fails on an unexpected status. */
  async sandboxControl(method: string, path: string, body: unknown, status: number): Promise<void> {
    const response = await fetch(`${this.sandbox.url}/_sandbox/hubspot/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== status) {
      throw new Error(`${method} /_sandbox/hubspot/${path} returned ${response.status}`);
    }
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
        groupId: `${this.prefix}crm-sync`,
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

/** Returns a valid checkout order with a fresh order id and customer. */
export function checkoutOrder(): CheckoutOrder {
  const orderId = `H-${randomUUID().slice(0, 8)}`;
  return {
    orderId,
    placedAt: '2019-01-03T00:00:00Z',
    currency: 'USD',
    shipMode: 'Standard Class',
    customer: {
      id: `C-${orderId}`,
      email: `${orderId.toLowerCase()}@example.com`,
      phone: '+12025550106',
      segment: 'Corporate',
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

export function captured(orderId: string, amountMinor = 2193): EventData<'payment.captured'> {
  return {
    orderId,
    paymentIntentId: `pi_${orderId}`,
    amountMinor,
    currency: 'USD',
    capturedAt: '2019-01-03T00:05:00Z',
  };
}
