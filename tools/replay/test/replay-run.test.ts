import { randomUUID } from 'node:crypto';
import { CLOUDEVENTS_CONTENT_TYPE, parseEvent, type TypedEvent } from '@orderflow/contracts';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import {
  createTestKafka,
  createTopic,
  deleteTopics,
  kafkaBrokers,
  waitFor,
} from '@orderflow/test-support';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCardTokenizer } from '../src/card-tokenizer.js';
import type { GatewayOrderView } from '../src/gateway-client.js';
import { connectOrderPublisher, type OrderPublisher } from '../src/order-publisher.js';
import { parseReplayOrders } from '../src/read-orders.js';
import { runReplay } from '../src/replay-run.js';
import { dataSetLine, dataSetObject, SAMPLE_ORDERS } from './fixtures.js';

const RUN_ID = 'rruntest';
/** A test card that fails the Luhn check, so the provider rejects it when it is tokenized. */
const LUHN_FAILING_CARD = '4242424242424241';

let sandbox: RunningSandbox;
let publisher: OrderPublisher;
const topicPrefix = `replay-test-${randomUUID().slice(0, 8)}.`;
const topic = `${topicPrefix}order.created`;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  await createTopic(topic, 3);
  publisher = await connectOrderPublisher({ brokers: kafkaBrokers(), topicPrefix });
});

afterAll(async () => {
  await publisher?.close();
  await sandbox?.close();
  await deleteTopics([topic]);
});

function inputText(): string {
  const rejectedCard = dataSetObject(SAMPLE_ORDERS.threeLines);
  (rejectedCard.synthetic as Record<string, unknown>).card = LUHN_FAILING_CARD;
  return [
    dataSetLine(SAMPLE_ORDERS.captured),
    dataSetLine(SAMPLE_ORDERS.risky),
    JSON.stringify(rejectedCard),
    dataSetLine(SAMPLE_ORDERS.canadian),
  ].join('\n');
}

/** Returns the test card numbers of the orders in `inputText()`. */
function inputCards(): string[] {
  return inputText()
    .split('\n')
    .map((line) => (JSON.parse(line) as { synthetic: { card: string } }).synthetic.card);
}

/**
 * Imitates the gateway's order views: the first order is captured, the risky one blocked, and
 * the Canadian one stays in processing, so it never settles.
 */
function gatewayViews(ids: string[]): Promise<GatewayOrderView[]> {
  const views = ids.map((orderId): GatewayOrderView => {
    const base = { orderId, customerMessage: null, rejectionReason: null };
    if (orderId.startsWith(SAMPLE_ORDERS.captured)) {
      return {
        ...base,
        status: 'captured',
        settled: true,
        stageTimesMs: { 'payment.captured': 250 },
      };
    }
    if (orderId.startsWith(SAMPLE_ORDERS.risky)) {
      return { ...base, status: 'blocked', settled: true, stageTimesMs: { 'fraud.assessed': 40 } };
    }
    return { ...base, status: 'processing', settled: false, stageTimesMs: {} };
  });
  return Promise.resolve(views);
}

async function consumeAll(count: number): Promise<KafkaMessage[]> {
  const kafka = createTestKafka('replay-test');
  const consumer = kafka.consumer({ groupId: `replay-test-${randomUUID()}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    await waitFor(() => messages.length >= count, {
      timeoutMs: 30_000,
      description: `${count} messages on ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

describe('runReplay', () => {
  it('publishes tokenized orders and reports final states', async () => {
    const parsed = parseReplayOrders(inputText(), { runId: RUN_ID });
    expect(parsed.issues).toEqual([]);

    const results = await runReplay({
      orders: parsed.orders,
      runId: RUN_ID,
      tokenizeCard: createCardTokenizer({ apiKey: 'sk_test_replay', baseUrl: sandbox.url }),
      publisher,
      fetchOrderViews: gatewayViews,
      timeoutSeconds: 1,
      pollIntervalMs: 100,
    });

    expect(
      results.map((result) => [result.orderId, result.status, result.outcome, result.matched]),
    ).toEqual([
      [`${SAMPLE_ORDERS.captured}.${RUN_ID}`, 'captured', 'captured', true],
      [`${SAMPLE_ORDERS.risky}.${RUN_ID}`, 'blocked', 'blocked', true],
      [`${SAMPLE_ORDERS.threeLines}.${RUN_ID}`, 'card_rejected', 'declined', false],
      [`${SAMPLE_ORDERS.canadian}.${RUN_ID}`, 'processing', 'failed', false],
    ]);
    expect(results[0]?.stageTimesMs).toEqual({ 'payment.captured': 250 });
    expect(results[2]?.customerMessage).toBe('Your card number is incorrect.');
    expect(results[2]?.createdAt).toBeNull();
    expect(results[3]?.settled).toBe(false);
  });

  it('sends order.created events without card numbers', async () => {
    const messages = await consumeAll(3);
    const events = messages.map(
      (message) => parseEvent(message.value) as TypedEvent<'order.created'>,
    );

    expect(messages).toHaveLength(3);
    expect(events.map((event) => event.subject).sort()).toEqual(
      [SAMPLE_ORDERS.canadian, SAMPLE_ORDERS.captured, SAMPLE_ORDERS.risky].map(
        (orderId) => `${orderId}.${RUN_ID}`,
      ),
    );
    for (const [index, message] of messages.entries()) {
      const event = events[index]!;
      expect(message.key?.toString()).toBe(event.subject);
      expect(message.headers?.['content-type']?.toString()).toBe(CLOUDEVENTS_CONTENT_TYPE);
      expect(event.type).toBe('order.created');
      expect(event.source).toBe('/checkout/replay');
      expect(event.data.payment.paymentMethodId).toMatch(/^pm_/);
      // The exact card numbers of the input, not any long digit run: a random payment method id
      // such as pm_7942a9641bd7740390656088 may hold 13 digits in a row.
      const text = message.value?.toString() ?? '';
      for (const card of inputCards()) {
        expect(card).toMatch(/^\d{13,19}$/);
        expect(text).not.toContain(card);
      }
    }
  });

  it('stops polling when the signal aborts', async () => {
    const parsed = parseReplayOrders(dataSetLine(SAMPLE_ORDERS.captured), { runId: 'rabort' });
    const interrupt = new AbortController();
    let polls = 0;
    const startedAt = Date.now();

    const results = await runReplay({
      orders: parsed.orders,
      runId: 'rabort',
      tokenizeCard: createCardTokenizer({ apiKey: 'sk_test_replay', baseUrl: sandbox.url }),
      publisher,
      fetchOrderViews: async (ids) => {
        polls += 1;
        if (polls === 2) interrupt.abort();
        return ids.map((orderId) => ({
          orderId,
          status: 'processing',
          settled: false,
          customerMessage: null,
          rejectionReason: null,
          stageTimesMs: {},
        }));
      },
      timeoutSeconds: 600,
      pollIntervalMs: 100,
      signal: interrupt.signal,
    });

    expect(Date.now() - startedAt).toBeLessThan(30_000);
    expect(results.map((result) => [result.status, result.outcome])).toEqual([
      ['processing', 'failed'],
    ]);
  });

  it('sends nothing when aborted before the start', async () => {
    const parsed = parseReplayOrders(dataSetLine(SAMPLE_ORDERS.captured), { runId: 'rnone' });
    const publish = async () => {
      throw new Error('publish must not be called');
    };

    const results = await runReplay({
      orders: parsed.orders,
      runId: 'rnone',
      tokenizeCard: createCardTokenizer({ apiKey: 'sk_test_replay', baseUrl: sandbox.url }),
      publisher: { publish },
      fetchOrderViews: gatewayViews,
      signal: AbortSignal.abort(),
    });

    expect(results.map((result) => [result.status, result.createdAt])).toEqual([['unknown', null]]);
  });
});
