import { createServer } from 'node:net';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { createLogger, PROVIDER_POLICY_PRESETS, ProviderError } from '@orderflow/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiftClient, type ScoreOrderInput } from '../src/adapters/providers/sift/sift-client.js';

const logLines: string[] = [];
const logger = createLogger({
  service: 'fraud-test',
  level: 'debug',
  destination: { write: (line: string) => void logLines.push(line) },
});

/** Any key of 16 or more letters and digits passes the sandbox's Sift key check. */
const SIFT_API_KEY = 'test0sift0api0key0001';

/** Short limits so that retry and timeout cases finish quickly. */
const FAST_POLICY = { ...PROVIDER_POLICY_PRESETS.standard, timeoutMs: 300 };

/** An ordinary order from the replay data: example.com email, no IP, one country. */
const ordinaryOrder: ScoreOrderInput = {
  orderId: 'US-2019-103800',
  userId: 'DP-13000',
  email: 'dp-13000@example.com',
  amountMinor: 1645,
  currency: 'USD',
  shippingAddress: { city: 'Houston', region: 'TX', postalCode: '77095', country: 'US' },
  paymentMethodBrand: 'visa',
};

/** A risky order from the replay data: disposable email, Tor exit IP, billed in Nigeria. */
const riskyOrder: ScoreOrderInput = {
  orderId: 'US-2019-152618',
  userId: 'RB-19465',
  email: 'rb-19465@mailinator.com',
  ip: '185.220.101.7',
  amountMinor: 58336,
  currency: 'USD',
  billingCountry: 'NG',
  shippingAddress: { city: 'Chicago', region: 'IL', postalCode: '60653', country: 'US' },
};

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

function client(overrides: { apiKey?: string; baseUrl?: string } = {}): SiftClient {
  return new SiftClient(
    {
      apiKey: overrides.apiKey ?? SIFT_API_KEY,
      baseUrl: overrides.baseUrl ?? sandbox.url,
      policy: FAST_POLICY,
    },
    logger,
  );
}

async function injectFault(fault: { statusCode?: number; delayMs?: number; count?: number }) {
  const response = await fetch(`${sandbox.url}/_sandbox/sift/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
}

async function sentEvents(orderId: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${sandbox.url}/_sandbox/sift/events?orderId=${orderId}`);
  const body = (await response.json()) as { events: { event: Record<string, unknown> }[] };
  return body.events.map((stored) => stored.event);
}

async function scoreError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port assigned');
  return address.port;
}

describe('SiftClient.scoreOrder', () => {
  it('scores an ordinary order low', async () => {
    const result = await client().scoreOrder(ordinaryOrder);

    expect(result.score).toBeLessThan(0.3);
    expect(result.reasons).toEqual([]);
  });

  it('scores a risky order high with reasons', async () => {
    const result = await client().scoreOrder(riskyOrder);

    expect(result.score).toBeGreaterThanOrEqual(0.9);
    expect(result.reasons).toContain('Disposable email domain: mailinator.com');
    expect(result.reasons).toContain('Anonymizing proxy IP address: Tor exit relay (DE)');
    expect(result.reasons).toContain('Billing country differs from shipping country: NG, US');
  });

  it('sends the amount in micros', async () => {
    await client().scoreOrder(ordinaryOrder);

    const [event] = await sentEvents(ordinaryOrder.orderId);
    expect(event?.$type).toBe('$create_order');
    expect(event?.$amount).toBe(16_450_000);
    expect(event?.$currency_code).toBe('USD');
    expect(event?.$user_id).toBe('DP-13000');
    expect(event?.$shipping_address).toEqual({
      $city: 'Houston',
      $region: 'TX',
      $zipcode: '77095',
      $country: 'US',
    });
    expect(event?.card_brand).toBe('visa');
  });

  it('converts zero-decimal currencies to micros', async () => {
    await client().scoreOrder({
      ...ordinaryOrder,
      orderId: 'JP-1',
      amountMinor: 1500,
      currency: 'JPY',
    });

    const [event] = await sentEvents('JP-1');
    expect(event?.$amount).toBe(1_500_000_000);
  });

  it('rejects a bad API key as final', async () => {
    const error = await scoreError(client({ apiKey: 'short' }).scoreOrder(ordinaryOrder));

    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('retries server errors and then succeeds', async () => {
    await injectFault({ statusCode: 503, count: 2 });

    const result = await client().scoreOrder({ ...ordinaryOrder, orderId: 'RETRY-1' });

    expect(result.score).toBeLessThan(0.3);
    expect(await sentEvents('RETRY-1')).toHaveLength(1);
  });

  it('reports persistent server errors as retryable', async () => {
    await injectFault({ statusCode: 500, count: 3 });

    const error = await scoreError(client().scoreOrder(ordinaryOrder));

    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });

  it('reports rate limiting as retryable', async () => {
    await injectFault({ statusCode: 429, count: 3 });

    const error = await scoreError(client().scoreOrder(ordinaryOrder));

    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.retryable).toBe(true);
  });

  it('reports a slow response as a retryable timeout', async () => {
    await injectFault({ delayMs: 1_000, count: 3 });

    const error = await scoreError(client().scoreOrder(ordinaryOrder));

    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('reports an unreachable host as retryable', async () => {
    const port = await closedPort();

    const error = await scoreError(
      client({ baseUrl: `http://127.0.0.1:${port}` }).scoreOrder(ordinaryOrder),
    );

    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });

  it('never logs the API key, email or IP', async () => {
    await client().scoreOrder(riskyOrder);
    await scoreError(client({ apiKey: 'short' }).scoreOrder(riskyOrder));

    const output = logLines.join('');
    expect(output).toContain('order scored');
    expect(output).not.toContain(SIFT_API_KEY);
    expect(output).not.toContain(riskyOrder.email);
    expect(output).not.toContain('185.220.101.7');
  });
});
