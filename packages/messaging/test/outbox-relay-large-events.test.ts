import { randomUUID } from 'node:crypto';
import type { CheckoutOrder } from '@orderflow/contracts';
import { createTopic, deleteTopics, readTopicsToEnd, waitFor } from '@orderflow/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGING_TABLES, OutboxRelay, addToOutbox } from '../src/index.js';
import { openTestDatabase, order, silentLogger, testKafka } from './harness.js';

/** Size limit of the test topic per partition and request, far below the broker default of 1 MB. */
const MAX_MESSAGE_BYTES = 20_000;

/** Builds an order whose `order.created` event contains about `lineCount` times 100 bytes of lines. */
function orderWithLines(orderId: string, lineCount: number): CheckoutOrder {
  const base = order(orderId);
  const lines = Array.from({ length: lineCount }, (_, index) => ({
    productId: `P-${index}`,
    name: `Ballpoint pen, blue ink, box ${index}`,
    quantity: 1,
    discountRate: 0,
    lineTotalMinor: 199,
  }));
  return { ...base, lines, totals: { subtotalMinor: 199 * lineCount } };
}

// With several partitions, the broker writes the partitions of a request that fit and rejects
// the others, which must not leave the idempotent producer with sequence numbers the broker
// rejects as out of order.
describe.each([1, 6])('outbox relay near the topic size limit, %i partitions', (partitions) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let topic: string;
  let relay: OutboxRelay;
  const published: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('outbox_large');
    const prefix = `t${randomUUID().slice(0, 8)}.`;
    topic = await createTopic(`${prefix}order.created`, partitions, {
      config: { 'max.message.bytes': String(MAX_MESSAGE_BYTES) },
    });
    relay = new OutboxRelay({
      service: 'large-events-test',
      db: database.db,
      databaseUrl: database.url,
      kafka: testKafka(),
      logger: silentLogger,
      topicPrefix: prefix,
      idleWaitMs: 50,
      onPublished: (ids) => void published.push(...ids),
    });
    await relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await database.drop();
    await deleteTopics([topic]);
  });

  async function enqueue(orders: CheckoutOrder[]): Promise<string[]> {
    return database.db.transaction(async (trx) => {
      const ids: string[] = [];
      for (const checkoutOrder of orders) {
        const event = await addToOutbox(trx, {
          type: 'order.created',
          source: 'test',
          subject: checkoutOrder.orderId,
          data: checkoutOrder,
        });
        ids.push(event.id);
      }
      return ids;
    });
  }

  async function pendingRows(): Promise<Array<{ event_id: string; last_error: string | null }>> {
    return database.db(MESSAGING_TABLES.outbox).select('event_id', 'last_error').orderBy('id');
  }

  /**
   * Returns the event ids in Kafka by key, each key's ids in the order of their first copy.
   * Events of one key share a partition, which keeps their order.
   */
  async function publishedIdsByKey(): Promise<Map<string, string[]>> {
    const byKey = new Map<string, string[]>();
    for (const value of await readTopicsToEnd([topic])) {
      const event = JSON.parse(value.toString()) as { id: string; subject: string };
      const ids = byKey.get(event.subject) ?? [];
      if (!ids.includes(event.id)) ids.push(event.id);
      byKey.set(event.subject, ids);
    }
    return byKey;
  }

  it('splits a too-large batch in id order', async () => {
    // Each event is about 4 KB, so one request of 30 is six times the topic's limit. Each of the
    // 10 keys has 3 events, whose order must hold.
    const orders = Array.from({ length: 30 }, (_, index) =>
      orderWithLines(`SPLIT-${partitions}-${index % 10}`, 40),
    );
    const ids = await enqueue(orders);
    await waitFor(async () => (await pendingRows()).length === 0, {
      timeoutMs: 30_000,
      description: 'outbox drained',
    });

    expect(published).toEqual(ids);
    const expectedByKey = new Map<string, string[]>();
    orders.forEach((entry, index) => {
      expectedByKey.set(entry.orderId, [...(expectedByKey.get(entry.orderId) ?? []), ids[index]!]);
    });
    expect(await publishedIdsByKey()).toEqual(expectedByKey);
  });

  it('holds one oversized event until the limit is raised', async () => {
    published.length = 0;
    const [before, tooLarge, after] = await enqueue([
      orderWithLines(`BEFORE-${partitions}`, 5),
      orderWithLines(`TOO-LARGE-${partitions}`, 300),
      orderWithLines(`AFTER-${partitions}`, 5),
    ]);
    await waitFor(async () => (await pendingRows())[0]?.last_error != null, {
      timeoutMs: 30_000,
      description: 'the oversized event has an error',
    });

    const pending = await pendingRows();
    expect(pending.map((row) => row.event_id)).toEqual([tooLarge, after]);
    expect(pending[0]!.last_error).toMatch(/MESSAGE_TOO_LARGE|larger than the max message size/);
    expect(pending[0]!.last_error).toContain("raise the topic's max.message.bytes");
    expect(pending[1]!.last_error).toBeNull();

    // The event before it was deleted once Kafka acknowledged it, so retries do not repeat it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(published).toEqual([before]);

    const admin = testKafka().admin();
    await admin.connect();
    try {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: 2, // ConfigResourceTypes.TOPIC
            name: topic,
            configEntries: [{ name: 'max.message.bytes', value: '1048588' }],
          },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    await waitFor(async () => (await pendingRows()).length === 0, {
      timeoutMs: 30_000,
      description: 'outbox drained after the limit was raised',
    });
    expect(published).toEqual([before, tooLarge, after]);
  });
});
