import { gzipSync } from 'node:zlib';
import {
  EVENT_TYPES,
  createEvent,
  deadLetterTopic,
  parseEvent,
  serializeEvent,
  type CheckoutOrder,
} from '@orderflow/contracts';
import { createPlatformProducer } from '@orderflow/messaging';
import type { RunningService } from '@orderflow/service-kit';
import {
  createScratchDatabase,
  createTestKafka,
  createTopic,
  deleteTopics,
  uniqueName,
  waitFor,
  type ScratchDatabase,
} from '@orderflow/test-support';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayService } from '../src/index.js';

function checkoutOrder(orderId: string): CheckoutOrder {
  return {
    orderId,
    placedAt: '2021-06-01T09:30:00Z',
    currency: 'USD',
    shipMode: 'First Class',
    customer: { id: 'DP-13000', email: 'dp-13000@example.com', phone: '+12025550106' },
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
    payment: { paymentMethodId: 'pm_test_visa_4242' },
  };
}

describe('gateway service', () => {
  const kafka = createTestKafka('gateway-test');
  const producer = createPlatformProducer(kafka);
  const prefix = `${uniqueName('gw', '')}.`;
  const topics = [...EVENT_TYPES, deadLetterTopic('gateway')].map((topic) => prefix + topic);
  const published: KafkaMessage[] = [];
  const reader = kafka.consumer({ groupId: `${prefix}reader` });
  let database: ScratchDatabase;
  let gateway: RunningService;

  beforeAll(async () => {
    for (const topic of topics) await createTopic(topic, 2);
    database = await createScratchDatabase('gateway');
    await producer.connect();
    await reader.connect();
    await reader.subscribe({
      topics: [`${prefix}order.created`, `${prefix}dead-letter.gateway`],
      fromBeginning: true,
    });
    await reader.run({ eachMessage: async ({ message }) => void published.push(message) });
    gateway = await startGatewayService({
      env: {
        PORT: '0',
        DATABASE_URL: database.url,
        KAFKA_TOPIC_PREFIX: prefix,
        LOG_LEVEL: 'silent',
      },
      ownsProcess: false,
      tracing: false,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await reader.disconnect();
    await producer.disconnect();
    await database?.drop();
    await deleteTopics(topics);
  });

  async function post(body: unknown) {
    const response = await fetch(`${gateway.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  async function orderStatus(orderId: string) {
    const response = await fetch(`${gateway.url}/v1/orders/${orderId}`);
    return response.status === 200 ? ((await response.json()) as Record<string, any>) : undefined;
  }

  it('rejects a negative quantity with the field path', async () => {
    const order = checkoutOrder('BAD-QTY-1');
    order.lines[0]!.quantity = -3;
    const { status, body } = await post(order);
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.issues).toEqual([
      { path: 'lines.0.quantity', message: 'must be at least 1' },
    ]);
  });

  it('rejects a card number without echoing it', async () => {
    const order = checkoutOrder('BAD-CARD-1') as unknown as {
      payment: { paymentMethodId: string };
    };
    order.payment.paymentMethodId = '4242424242424242';
    const { status, body } = await post(order);
    expect(status).toBe(400);
    expect(body.error.details.issues[0].path).toBe('payment.paymentMethodId');
    expect(JSON.stringify(body)).not.toContain('4242424242424242');
  });

  it('documents the error responses of the order routes', async () => {
    const document = (await (await fetch(`${gateway.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };

    const submit = document.paths['/v1/orders']?.post?.responses ?? {};
    expect(Object.keys(submit)).toEqual(
      expect.arrayContaining(['400', '409', '413', '415', '417']),
    );
    const lookup = document.paths['/v1/orders/{orderId}']?.get?.responses ?? {};
    expect(Object.keys(lookup)).toEqual(expect.arrayContaining(['400', '404']));
  });

  it('accepts an order and publishes order.created once', async () => {
    const order = checkoutOrder('API-1');
    const first = await post(order);
    expect(first.status).toBe(202);
    expect(first.body.href).toBe('/v1/orders/API-1');
    const again = await post(order);
    expect(again.status).toBe(200);

    await waitFor(async () => (await orderStatus('API-1'))?.timeline.length === 1, {
      timeoutMs: 20_000,
      description: 'API-1 projected from its own event',
    });
    const view = await orderStatus('API-1');
    expect(view?.status).toBe('processing');
    expect(view?.intake).toBe('api');
    const created = published.filter((message) => message.key?.toString() === 'API-1');
    expect(created).toHaveLength(1);
    expect(parseEvent(created[0]!.value).type).toBe('order.created');
  });

  it('accepts a resubmission whose placedAt is written differently', async () => {
    const order = checkoutOrder('API-3');
    order.placedAt = '2021-06-01T09:30:00Z';
    expect((await post(order)).status).toBe(202);

    const sameInstants = ['2021-06-01T09:30:00.000Z', '2021-06-01T11:30:00+02:00'];
    for (const placedAt of sameInstants) {
      const { status } = await post({ ...order, placedAt });
      expect(status, placedAt).toBe(200);
    }
    const later = await post({ ...order, placedAt: '2021-06-01T09:30:01Z' });
    expect(later.status).toBe(409);
  });

  it('rejects a reused order id with other content', async () => {
    await post(checkoutOrder('API-2'));
    const changed = checkoutOrder('API-2');
    changed.customer.email = 'someone-else@example.com';
    const { status, body } = await post(changed);
    expect(status).toBe(409);
    expect(body.error.code).toBe('ORDER_ALREADY_EXISTS');
  });

  it('tracks an order that checkout published straight to Kafka', async () => {
    const event = createEvent({
      type: 'order.created',
      source: '/checkout',
      subject: 'KAFKA-1',
      data: checkoutOrder('KAFKA-1'),
    });
    await producer.send({
      topic: `${prefix}order.created`,
      messages: [{ key: 'KAFKA-1', value: serializeEvent(event) }],
    });
    await waitFor(async () => (await orderStatus('KAFKA-1')) !== undefined, {
      timeoutMs: 20_000,
      description: 'KAFKA-1 projected',
    });
    const view = await orderStatus('KAFKA-1');
    expect(view?.intake).toBe('kafka');
    expect(view?.timeline[0].summary).toBe('Order received: 1 line(s), 16.45 USD before tax');
  });

  it('shows an order.created that is not JSON as rejected by its key', async () => {
    await producer.send({
      topic: `${prefix}order.created`,
      messages: [{ key: 'KAFKA-BINARY', value: Buffer.from([0x00, 0xff, 0x10, 0x7b]) }],
    });

    await waitFor(async () => (await orderStatus('KAFKA-BINARY'))?.status === 'rejected', {
      timeoutMs: 20_000,
      description: 'KAFKA-BINARY rejected',
    });
    const view = await orderStatus('KAFKA-BINARY');
    expect(view?.rejectionReason).toBeTruthy();
    expect(view?.timeline).toHaveLength(1);
  });

  it('shows an invalid Kafka order as rejected and dead-letters it', async () => {
    const event = createEvent({
      type: 'order.created',
      source: '/checkout',
      subject: 'KAFKA-BAD',
      data: checkoutOrder('KAFKA-BAD'),
    });
    const invalid = { ...event, data: { ...event.data, currency: 'XYZ' } };
    await producer.send({
      topic: `${prefix}order.created`,
      messages: [{ key: 'KAFKA-BAD', value: JSON.stringify(invalid) }],
    });
    const next = createEvent({
      type: 'order.created',
      source: '/checkout',
      subject: 'KAFKA-2',
      data: checkoutOrder('KAFKA-2'),
    });
    await producer.send({
      topic: `${prefix}order.created`,
      messages: [{ key: 'KAFKA-2', value: serializeEvent(next) }],
    });

    await waitFor(async () => (await orderStatus('KAFKA-BAD'))?.status === 'rejected', {
      timeoutMs: 20_000,
      description: 'KAFKA-BAD rejected',
    });
    const view = await orderStatus('KAFKA-BAD');
    expect(view?.rejectionReason).toContain(
      'data.currency: must be a supported ISO 4217 currency code',
    );
    expect(view?.settled).toBe(true);
    await waitFor(async () => (await orderStatus('KAFKA-2')) !== undefined, {
      timeoutMs: 20_000,
      description: 'next order projected',
    });
    await waitFor(
      () =>
        published.some(
          (message) =>
            message.key?.toString() === 'KAFKA-BAD' && message.headers?.['dlq-error'] !== undefined,
        ),
      {
        timeoutMs: 20_000,
        description: 'dead letter of KAFKA-BAD',
      },
    );
  });

  it('returns several orders at once and skips unknown ids', async () => {
    const response = await fetch(`${gateway.url}/v1/orders?ids=API-1,KAFKA-1,NO-SUCH-ORDER`);
    const body = (await response.json()) as {
      orders: Array<{ orderId: string; timeline: unknown[] }>;
    };
    expect(body.orders.map((order) => order.orderId).sort()).toEqual(['API-1', 'KAFKA-1']);
    expect(body.orders.every((order) => order.timeline.length > 0)).toBe(true);
  });

  it('rejects an order id that cannot exist', async () => {
    expect((await fetch(`${gateway.url}/v1/orders/%00`)).status).toBe(400);
    expect((await fetch(`${gateway.url}/v1/orders?ids=A-1,%00`)).status).toBe(400);
  });

  it('rejects a blank region with the field path', async () => {
    const order = checkoutOrder('BAD-REGION-1');
    order.shipTo.region = '   ';
    const { status, body } = await post(order);

    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toBe('shipTo.region: is required');
    expect(body.error.details.issues).toEqual([{ path: 'shipTo.region', message: 'is required' }]);
  });

  it('rejects an empty postal code with the field path', async () => {
    const order = checkoutOrder('BAD-POSTAL-1');
    order.shipTo.postalCode = '';
    const { status, body } = await post(order);

    expect(status).toBe(400);
    expect(body.error.details.issues).toEqual([
      { path: 'shipTo.postalCode', message: 'is required' },
    ]);
  });

  it('rejects a placedAt two days ahead with the allowed range', async () => {
    const order = checkoutOrder('BAD-PLACED-1');
    order.placedAt = new Date(Date.now() + 48 * 60 * 60 * 1000).toISOString();
    const { status, body } = await post(order);

    expect(status).toBe(400);
    expect(body.error.details.issues).toHaveLength(1);
    expect(body.error.details.issues[0].path).toBe('placedAt');
    expect(body.error.message).toMatch(
      /^placedAt: must be between 2000-01-01T00:00:00Z and 24 hours after the current time \(/,
    );
  });

  it('rejects a placedAt before 2000 with the allowed range', async () => {
    const order = checkoutOrder('BAD-PLACED-2');
    order.placedAt = '1999-06-01T09:30:00Z';
    const { status, body } = await post(order);

    expect(status).toBe(400);
    expect(body.error.details.issues[0]).toEqual({
      path: 'placedAt',
      message: expect.stringMatching(/^must be between 2000-01-01T00:00:00Z and 24 hours/),
    });
  });

  it('explains that a leap-second placedAt is not accepted', async () => {
    const order = checkoutOrder('BAD-PLACED-3');
    order.placedAt = '2016-12-31T23:59:60Z';
    const { status, body } = await post(order);

    expect(status).toBe(400);
    expect(body.error.details.issues).toEqual([
      {
        path: 'placedAt',
        message:
          'is a leap second (seconds 60), which is not accepted; send seconds 59 instead, such as 23:59:59',
      },
    ]);
    expect(body.error.message).toMatch(/^placedAt: is a leap second/);
  });

  it('rejects an order that repeats a key', async () => {
    const text = JSON.stringify(checkoutOrder('DUP-KEY-1')).replace(
      '"quantity":2',
      '"quantity":2,"quantity":200',
    );
    const response = await fetch(`${gateway.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    const body = (await response.json()) as Record<string, any>;

    expect(response.status).toBe(400);
    expect(body.error.code).toBe('DUPLICATE_JSON_KEY');
    expect(body.error.details).toEqual({ path: 'lines.0.quantity' });
    expect(body.error.message).toBe(
      'Request body contains the key "lines.0.quantity" more than once in the same object; send each field once',
    );
    expect(await orderStatus('DUP-KEY-1')).toBeUndefined();
  });

  it('returns 404 for a misspelled path', async () => {
    const response = await fetch(`${gateway.url}/v1/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"orderId":',
    });
    const body = (await response.json()) as Record<string, any>;

    expect(response.status).toBe(404);
    expect(body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('returns 405 for POST to an order', async () => {
    const response = await fetch(`${gateway.url}/v1/orders/ORDER-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"orderId":',
    });
    const body = (await response.json()) as Record<string, any>;

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(body.error).toEqual({
      code: 'METHOD_NOT_ALLOWED',
      message: 'Method POST is not allowed on /v1/orders/ORDER-1; use GET or HEAD',
      requestId: response.headers.get('x-request-id'),
    });
  });

  it('rejects a JSON order sent as text/plain with 415', async () => {
    const response = await fetch(`${gateway.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(checkoutOrder('TEXT-PLAIN-1')),
    });
    const body = (await response.json()) as Record<string, any>;

    expect(response.status).toBe(415);
    expect(body.error).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Content-Type text/plain is not supported; send the body as application/json',
      requestId: response.headers.get('x-request-id'),
    });
    expect(await orderStatus('TEXT-PLAIN-1')).toBeUndefined();
  });

  it('rejects a gzip-compressed order with 415', async () => {
    const response = await fetch(`${gateway.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: new Uint8Array(gzipSync(JSON.stringify(checkoutOrder('GZIP-1')))),
    });
    const body = (await response.json()) as Record<string, any>;

    expect(response.status).toBe(415);
    expect(response.headers.get('accept-encoding')).toBe('identity');
    expect(body.error.code).toBe('UNSUPPORTED_CONTENT_ENCODING');
    expect(body.error.message).toBe(
      'Content-Encoding gzip is not supported; send the body uncompressed and without a Content-Encoding header',
    );
    expect(await orderStatus('GZIP-1')).toBeUndefined();
  });

  it('rejects invalid percent-encoding in an order URL', async () => {
    const response = await fetch(`${gateway.url}/v1/orders/%E0%A4%A`);
    const body = (await response.json()) as Record<string, any>;

    expect(response.status).toBe(400);
    expect(body.error.code).toBe('INVALID_URL');
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('rejects an over-long order id in the URL with 414', async () => {
    const response = await fetch(`${gateway.url}/v1/orders/${'A'.repeat(101)}`);
    const body = (await response.json()) as Record<string, any>;

    expect(response.status).toBe(414);
    expect(body.error.code).toBe('PATH_PARAMETER_TOO_LONG');
  });

  it('rejects a card number hidden in a text field', async () => {
    const order = checkoutOrder('BAD-CARD-2');
    order.shipTo.street = 'pay with 4242 4242 4242 4242 thanks';
    const { status, body } = await post(order);
    expect(status).toBe(400);
    expect(body.error.details.issues[0].path).toBe('shipTo.street');
  });

  it('serves its OpenAPI document and readiness', async () => {
    const docs = (await (await fetch(`${gateway.url}/docs/json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(docs.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining(['/v1/orders', '/v1/orders/{orderId}']),
    );
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
  });
});
