import { fileURLToPath } from 'node:url';
import {
  createEvent,
  parseEvent,
  serializeEvent,
  type CheckoutOrder,
  type EventType,
  type TypedEvent,
} from '@orderflow/contracts';
import { EventConsumer, OutboxRelay, createPlatformProducer } from '@orderflow/messaging';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { openDatabase } from '@orderflow/service-kit';
import {
  createScratchDatabase,
  createTestKafka,
  createTopic,
  deleteTopics,
  uniqueName,
  waitFor,
  type ScratchDatabase,
} from '@orderflow/test-support';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeAdapter } from '../src/adapters/providers/stripe/stripe-adapter.js';
import { paymentHandlers } from '../src/app/payment-handlers.js';
import type {
  AuthorizeRequest,
  AuthorizeResult,
  PaymentGateway,
} from '../src/domain/payment-ports.js';
import { tokenizeTestCard } from '../src/index.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const INPUTS = [
  'order.created',
  'tax.calculated',
  'fraud.assessed',
  'shipment.address_verified',
  'shipment.address_rejected',
  'shipment.freight_required',
] as const;
const OUTPUTS = [
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'payment.authentication_required',
] as const;

/** The real Stripe adapter, made to fail once right after a successful authorization. */
class CrashAfterAuthorize implements PaymentGateway {
  readonly authorizations: AuthorizeResult[] = [];
  private crashed = false;

  constructor(
    private readonly inner: StripeAdapter,
    private readonly orderId: string,
  ) {}

  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    const result = await this.inner.authorize(request);
    if (request.orderId === this.orderId) {
      this.authorizations.push(result);
      if (!this.crashed) {
        this.crashed = true;
        throw new Error('simulated crash after the charge and before the commit');
      }
    }
    return result;
  }

  capture(request: Parameters<PaymentGateway['capture']>[0]) {
    return this.inner.capture(request);
  }
}

describe('payment handlers', () => {
  const kafka = createTestKafka('payment-test');
  const producer = createPlatformProducer(kafka);
  const prefix = `${uniqueName('pay', '')}.`;
  const topics = [...INPUTS, ...OUTPUTS, 'dead-letter.payment'].map((topic) => prefix + topic);
  const emitted: TypedEvent[] = [];
  const reader = kafka.consumer({ groupId: `${prefix}reader` });
  let sandbox: RunningSandbox;
  let scratch: ScratchDatabase;
  let db: Knex;
  let gateway: CrashAfterAuthorize;
  let consumer: EventConsumer;
  let relay: OutboxRelay;

  beforeAll(async () => {
    for (const topic of topics) await createTopic(topic, 2);
    sandbox = await startSandbox({ port: 0 });
    scratch = await createScratchDatabase('payment');
    db = await openDatabase({
      url: scratch.url,
      migrationsDirectory: fileURLToPath(new URL('../migrations', import.meta.url)),
      logger,
    });
    gateway = new CrashAfterAuthorize(
      new StripeAdapter({ apiKey: 'sk_test_payment', baseUrl: sandbox.url }, logger),
      'PAY-CRASH',
    );
    relay = new OutboxRelay({
      service: 'payment',
      db,
      databaseUrl: scratch.url,
      kafka,
      logger,
      topicPrefix: prefix,
    });
    consumer = new EventConsumer({
      group: 'payment',
      source: '/orderflow/payment',
      kafka,
      db,
      logger,
      topicPrefix: prefix,
      handlers: paymentHandlers(gateway),
      retry: { initialDelayMs: 50 },
    });
    await producer.connect();
    await reader.connect();
    await reader.subscribe({ topics: OUTPUTS.map((topic) => prefix + topic), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => void emitted.push(parseEvent(message.value)),
    });
    await relay.start();
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await reader.disconnect();
    await producer.disconnect();
    await db?.destroy();
    await scratch?.drop();
    await sandbox?.close();
    await deleteTopics(topics);
  });

  async function publish<T extends EventType>(
    type: T,
    orderId: string,
    data: TypedEvent<T>['data'],
  ): Promise<TypedEvent<T>> {
    const event = createEvent({ type, source: 'test', subject: orderId, data });
    await producer.send({
      topic: prefix + type,
      messages: [{ key: orderId, value: serializeEvent(event) }],
    });
    return event;
  }

  async function placeOrder(
    orderId: string,
    card: string,
    address: 'verified' | 'rejected' | 'freight' = 'verified',
  ) {
    const paymentMethodId = card.startsWith('pm_')
      ? card
      : await tokenizeTestCard(
          { apiKey: 'sk_test_payment', baseUrl: sandbox.url },
          { number: card, expMonth: 12, expYear: 2034, cvc: '123' },
        );
    const order: CheckoutOrder = {
      orderId,
      placedAt: '2022-01-05T00:00:00Z',
      currency: 'USD',
      shipMode: 'Standard Class',
      customer: { id: 'C-1', email: 'c-1@example.com' },
      shipTo: {
        street: '1 Elm St',
        city: 'Austin',
        region: 'TX',
        postalCode: '78701',
        country: 'US',
      },
      lines: [
        { productId: 'P-1', name: 'Desk', quantity: 1, discountRate: 0, lineTotalMinor: 10_000 },
      ],
      totals: { subtotalMinor: 10_000 },
      payment: { paymentMethodId },
    };
    await publish('order.created', orderId, order);
    await publish('tax.calculated', orderId, {
      orderId,
      currency: 'USD',
      subtotalMinor: 10_000,
      taxMinor: 825,
      totalMinor: 10_825,
      source: 'provider',
      jurisdictions: [],
    });
    await publish('fraud.assessed', orderId, {
      orderId,
      decision: 'approve',
      score: 0.05,
      reasons: [],
    });
    if (address === 'freight') {
      return publish('shipment.freight_required', orderId, {
        orderId,
        reason: 'too_many_parcels',
        estimatedWeightOz: 640_000,
        parcels: 267,
        customerMessage: 'It travels by freight.',
      });
    }
    if (address === 'rejected') {
      return publish('shipment.address_rejected', orderId, {
        orderId,
        field: 'shipTo.postalCode',
        customerMessage: 'Fix it.',
      });
    }
    return publish('shipment.address_verified', orderId, {
      orderId,
      addressId: 'adr_1',
      country: 'US',
    });
  }

  async function orderData(orderId: string): Promise<CheckoutOrder> {
    return {
      orderId,
      placedAt: '2022-01-05T00:00:00Z',
      currency: 'USD',
      shipMode: 'Standard Class',
      customer: { id: 'C-1', email: 'c-1@example.com' },
      shipTo: {
        street: '1 Elm St',
        city: 'Austin',
        region: 'TX',
        postalCode: '78701',
        country: 'US',
      },
      lines: [
        { productId: 'P-1', name: 'Desk', quantity: 1, discountRate: 0, lineTotalMinor: 10_000 },
      ],
      totals: { subtotalMinor: 10_000 },
      payment: { paymentMethodId: 'pm_second_copy' },
    };
  }

  const eventsOf = (orderId: string, type: string) =>
    emitted.filter((event) => event.subject === orderId && event.type === type);

  it('authorizes and captures the total with tax once every check passed', async () => {
    await placeOrder('PAY-OK', '4242424242424242');
    await waitFor(() => eventsOf('PAY-OK', 'payment.captured').length === 1, {
      timeoutMs: 30_000,
      description: 'PAY-OK captured',
    });
    const captured = eventsOf('PAY-OK', 'payment.captured')[0] as TypedEvent<'payment.captured'>;
    expect(captured.data.amountMinor).toBe(10_825);
    expect(eventsOf('PAY-OK', 'payment.authorized')).toHaveLength(1);
  });

  it('does not charge twice when the last check is redelivered', async () => {
    const last = await placeOrder('PAY-REDELIVER', '5555555555554444');
    await waitFor(() => eventsOf('PAY-REDELIVER', 'payment.captured').length === 1, {
      timeoutMs: 30_000,
      description: 'captured',
    });
    await producer.send({
      topic: `${prefix}${last.type}`,
      messages: [{ key: 'PAY-REDELIVER', value: serializeEvent(last) }],
    });
    await placeOrder('PAY-MARKER', '4242424242424242');
    await waitFor(() => eventsOf('PAY-MARKER', 'payment.captured').length === 1, {
      timeoutMs: 30_000,
      description: 'marker captured',
    });
    const attempts = await db('payment_attempts').where({
      order_id: 'PAY-REDELIVER',
      operation: 'authorize',
    });
    expect(attempts).toHaveLength(1);
    expect(eventsOf('PAY-REDELIVER', 'payment.captured')).toHaveLength(1);
  });

  it('reuses the same payment intent after a crash between charge and commit', async () => {
    await placeOrder('PAY-CRASH', '4242424242424242');
    await waitFor(() => eventsOf('PAY-CRASH', 'payment.captured').length === 1, {
      timeoutMs: 30_000,
      description: 'PAY-CRASH captured',
    });
    expect(gateway.authorizations).toHaveLength(2);
    const [first, second] = gateway.authorizations as [AuthorizeResult, AuthorizeResult];
    expect(first.outcome).toBe('authorized');
    expect(second.outcome).toBe('authorized');
    const firstIntent = first.outcome === 'authorized' ? first.paymentIntentId : undefined;
    const secondIntent = second.outcome === 'authorized' ? second.paymentIntentId : undefined;
    expect(secondIntent).toBe(firstIntent);
  });

  it('emits payment.failed with a plain-words reason for a declined card', async () => {
    await placeOrder('PAY-DECLINED', '4000000000009995');
    await waitFor(() => eventsOf('PAY-DECLINED', 'payment.failed').length === 1, {
      timeoutMs: 30_000,
      description: 'declined',
    });
    const failed = eventsOf('PAY-DECLINED', 'payment.failed')[0] as TypedEvent<'payment.failed'>;
    expect(failed.data.declineCode).toBe('insufficient_funds');
    expect(failed.data.customerMessage).toMatch(/insufficient funds/i);
  });

  it('waits for the customer when the card needs 3-D Secure', async () => {
    await placeOrder('PAY-3DS', '4000002760003184');
    await waitFor(() => eventsOf('PAY-3DS', 'payment.authentication_required').length === 1, {
      timeoutMs: 30_000,
      description: '3-D Secure requested',
    });
    expect(eventsOf('PAY-3DS', 'payment.captured')).toHaveLength(0);
  });

  it('declines a payment method the provider does not know', async () => {
    await placeOrder('PAY-UNKNOWN-PM', 'pm_never_issued_123');
    await waitFor(() => eventsOf('PAY-UNKNOWN-PM', 'payment.failed').length === 1, {
      timeoutMs: 30_000,
      description: 'failed',
    });
    const failed = eventsOf('PAY-UNKNOWN-PM', 'payment.failed')[0] as TypedEvent<'payment.failed'>;
    expect(failed.data.customerMessage).toMatch(/nothing has been charged/);
  });

  it('ignores a second order.created for a paid order', async () => {
    await placeOrder('PAY-TWICE', '4242424242424242');
    await waitFor(() => eventsOf('PAY-TWICE', 'payment.captured').length === 1, {
      timeoutMs: 30_000,
      description: 'captured',
    });
    const order = (await db('payments').where({ order_id: 'PAY-TWICE' }).first()) as {
      subtotal_minor: string;
    };
    await publish('order.created', 'PAY-TWICE', {
      ...(await orderData('PAY-TWICE')),
      totals: { subtotalMinor: 999_900 },
      lines: [
        { productId: 'P-1', name: 'Desk', quantity: 1, discountRate: 0, lineTotalMinor: 999_900 },
      ],
    });
    await placeOrder('PAY-TWICE-MARKER', '4242424242424242');
    await waitFor(() => eventsOf('PAY-TWICE-MARKER', 'payment.captured').length === 1, {
      timeoutMs: 30_000,
      description: 'marker',
    });
    const after = (await db('payments').where({ order_id: 'PAY-TWICE' }).first()) as {
      subtotal_minor: string;
      state: string;
    };
    expect(after.subtotal_minor).toBe(order.subtotal_minor);
    expect(after.state).toBe('captured');
  });

  it('charges nothing when the address is rejected', async () => {
    await placeOrder('PAY-ADDRESS', '4242424242424242', 'rejected');
    await waitFor(
      async () =>
        (await db('payments').where({ order_id: 'PAY-ADDRESS' }).first())?.state ===
        'held_for_address',
      {
        timeoutMs: 30_000,
        description: 'order held for its address',
      },
    );
    expect(await db('payment_attempts').where({ order_id: 'PAY-ADDRESS' })).toEqual([]);
  });

  it('ranks a late freight hold above a block', async () => {
    const orderId = 'PAY-BLOCK-FREIGHT';
    await publish('order.created', orderId, await orderData(orderId));
    await publish('fraud.assessed', orderId, {
      orderId,
      decision: 'block',
      score: 0.97,
      reasons: [],
    });
    const stateOf = async () => (await db('payments').where({ order_id: orderId }).first())?.state;
    await waitFor(async () => (await stateOf()) === 'blocked', {
      timeoutMs: 30_000,
      description: 'payment blocked',
    });

    await publish('shipment.freight_required', orderId, {
      orderId,
      reason: 'too_many_parcels',
      estimatedWeightOz: 640_000,
      parcels: 267,
      customerMessage: 'It travels by freight.',
    });
    await waitFor(async () => (await stateOf()) === 'held_for_freight', {
      timeoutMs: 30_000,
      description: 'payment held for freight',
    });
    expect(await db('payment_attempts').where({ order_id: orderId })).toEqual([]);
  });

  it('charges nothing when the order needs freight', async () => {
    await placeOrder('PAY-FREIGHT', '4242424242424242', 'freight');
    await waitFor(
      async () =>
        (await db('payments').where({ order_id: 'PAY-FREIGHT' }).first())?.state ===
        'held_for_freight',
      { timeoutMs: 30_000, description: 'order held for freight' },
    );
    expect(await db('payment_attempts').where({ order_id: 'PAY-FREIGHT' })).toEqual([]);
  });
});
