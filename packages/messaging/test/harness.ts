import { randomUUID } from 'node:crypto';
import { createEvent, type CheckoutOrder, type TypedEvent } from '@orderflow/contracts';
import {
  createScratchDatabase,
  createTestKafka,
  createTopic,
  deleteTopics,
} from '@orderflow/test-support';
import knex, { type Knex } from 'knex';
import { pino } from 'pino';
import {
  createDeferredEventsTable,
  createMessagingTables,
  keepOnlyPendingOutboxRows,
} from '../src/index.js';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Creates a scratch database with the messaging tables and an `effects` table for handlers. */
export async function openTestDatabase(
  prefix: string,
): Promise<{ db: Knex; url: string; drop(): Promise<void> }> {
  const scratch = await createScratchDatabase(prefix);
  const db = knex({ client: 'pg', connection: scratch.url, pool: { min: 0, max: 5 } });
  await createMessagingTables(db);
  await createDeferredEventsTable(db);
  await keepOnlyPendingOutboxRows(db);
  await db.schema.createTable('effects', (table) => {
    table.increments('id');
    table.text('event_id').notNullable();
    table.text('order_id').notNullable();
  });
  return {
    db,
    url: scratch.url,
    async drop() {
      await db.destroy();
      await scratch.drop();
    },
  };
}

/** Counts the rows that handlers wrote to the `effects` table for `orderId`. */
export async function countEffects(db: Knex, orderId: string): Promise<number> {
  const rows = await db('effects')
    .where({ order_id: orderId })
    .count<{ count: string }[]>('* as count');
  return Number(rows[0]!.count);
}

/** Creates `<prefix><name>` for each name and returns the prefix; remove with `removeTopics`. */
export async function createPrefixedTopics(names: string[], partitions = 3): Promise<string> {
  const prefix = `t${randomUUID().slice(0, 8)}.`;
  for (const name of names) await createTopic(prefix + name, partitions);
  return prefix;
}

export async function removeTopics(prefix: string, names: string[]): Promise<void> {
  await deleteTopics(names.map((name) => prefix + name));
}

export function testKafka(clientId = 'messaging-test') {
  return createTestKafka(clientId);
}

/** Builds a valid checkout order with the given id, small enough for many per test. */
export function order(orderId: string): CheckoutOrder {
  return {
    orderId,
    placedAt: '2020-05-01T10:00:00Z',
    currency: 'USD',
    shipMode: 'Standard Class',
    customer: { id: 'C-1', email: 'c-1@example.com' },
    shipTo: {
      street: '1 Main St',
      city: 'Austin',
      region: 'TX',
      postalCode: '78701',
      country: 'US',
    },
    lines: [{ productId: 'P-1', name: 'Pen', quantity: 1, discountRate: 0, lineTotalMinor: 199 }],
    totals: { subtotalMinor: 199 },
    payment: { paymentMethodId: 'pm_test_visa' },
  };
}

export function orderCreated(orderId: string): TypedEvent<'order.created'> {
  return createEvent({
    type: 'order.created',
    source: 'test',
    subject: orderId,
    data: order(orderId),
  });
}

/** Sum of the offsets that `group` committed on `topic`, which counts the messages it finished. */
export async function committedMessages(
  kafka: ReturnType<typeof testKafka>,
  group: string,
  topic: string,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [result] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return (result?.partitions ?? []).reduce(
      (total, partition) => total + Math.max(0, Number(partition.offset)),
      0,
    );
  } finally {
    await admin.disconnect();
  }
}
