import { randomUUID } from 'node:crypto';
import type { CheckoutOrder } from '@orderflow/contracts';
import { createTopic, deleteTopics, readTopicsToEnd, waitFor } from '@orderflow/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGING_TABLES, OutboxRelay, addToOutbox } from '../src/index.js';
import { openTestDatabase, order, silentLogger, testKafka } from './harness.js';

/** Size limit of the test topic per partition and request, far below the broker default of 1 MB. */
const MAX_MESSAGE_BYTES = 20_000;

/** An order whose `order.created` event contains about `lineCount` times 100 bytes of lines. */
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

describe('outbox relay with events near the topic size limit', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let topic: string;
  let relay: OutboxRelay;
  const published: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('outbox_large');
    const prefix = `t${randomUUID().slice(0, 8)}.`;
    topic = await createTopic(`${prefix}order.created`, 1, {
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

  async function publishedSubjects(): Promise<string[]> {
    const values = await readTopicsToEnd([topic]);
    return values.map((value) => (JSON.parse(value.toString()) as { subject: string }).subject);
  }

  it('splits a too-large batch in id order', async () => {
    // Each event is about 4 KB, so one request of 30 is six times the topic's limit.
    const orders = Array.from({ length: 30 }, (_, index) => orderWithLines(`SPLIT-${index}`, 40));
    const ids = await enqueue(orders);
    await waitFor(async () => (await pendingRows()).length === 0, {
      timeoutMs: 30_000,
      description: 'outbox drained',
    });

    expect(published).toEqual(ids);
    expect(await publishedSubjects()).toEqual(orders.map((entry) => entry.orderId));
  });

  it('holds one oversized event until the limit is raised', async () => {
    published.length = 0;
    const [before, tooLarge, after] = await enqueue([
      orderWithLines('BEFORE', 5),
      orderWithLines('TOO-LARGE', 300),
      orderWithLines('AFTER', 5),
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
