import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { SIFT_SANDBOX_API_KEY } from '../src/providers/sift.js';
import { lookupIp } from '../src/providers/sift/ip-ranges.js';
import {
  BASE_PAYMENT_ABUSE_SCORE,
  scorePaymentAbuse,
  type OrderRiskFacts,
} from '../src/providers/sift/payment-abuse-score.js';

interface ScoreBody {
  status: number;
  error_message: string;
  user_id?: string;
  scores?: { payment_abuse?: { score: number; reasons: { name: string; value: string }[] } };
  workflow_statuses?: {
    entity: { id: string; type: string };
    history: { config: { decision_id: string } }[];
  }[];
}

interface EventBody extends ScoreBody {
  time?: number;
  request?: string;
  score_response?: ScoreBody;
}

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

const riskyFacts: OrderRiskFacts = {
  email: 'rb-19465@mailinator.com',
  ip: '185.220.101.7',
  amountMicros: 3_420_000,
  currency: 'USD',
  billingCountry: 'NG',
  shippingCountry: 'US',
};

function createOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    $type: '$create_order',
    $api_key: SIFT_SANDBOX_API_KEY,
    $user_id: 'DP-13000',
    $order_id: 'US-2019-103800',
    $user_email: 'dp-13000@example.com',
    $amount: 16_450_000,
    $currency_code: 'USD',
    $shipping_address: { $city: 'Houston', $country: 'US' },
    ...overrides,
  };
}

async function postEvent(body: unknown, query = '') {
  const response = await fetch(`${sandbox.url}/v205/events${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as EventBody };
}

describe('payment abuse score', () => {
  it('scores a clean order at base', () => {
    const result = scorePaymentAbuse({
      email: 'a@example.com',
      currency: 'USD',
      amountMicros: 10_000_000,
    });

    expect(result.score).toBe(BASE_PAYMENT_ABUSE_SCORE);
    expect(result.reasons).toEqual([]);
  });

  it('keeps large ordinary orders below 0.3', () => {
    const result = scorePaymentAbuse({
      email: 'a@example.com',
      amountMicros: 23_661_240_000,
      currency: 'USD',
      shippingCountry: 'US',
    });

    expect(result.score).toBeLessThan(0.3);
    expect(result.reasons).toEqual([{ name: 'Very high order amount', value: '23661.24 USD' }]);
  });

  it('scores the risky combination at 0.9', () => {
    const result = scorePaymentAbuse(riskyFacts);

    expect(result.score).toBeGreaterThanOrEqual(0.9);
    expect(result.reasons.map((reason) => reason.name)).toEqual([
      'Disposable email domain',
      'Anonymizing proxy IP address',
      'Billing country differs from shipping country',
      'IP country matches neither billing nor shipping',
    ]);
  });

  it.each([
    ['disposable email', { email: 'x@yopmail.com' }, 'Disposable email domain', 'yopmail.com'],
    ['Tor exit IP', { ip: '185.220.100.1' }, 'Anonymizing proxy IP address', 'Tor exit relay (DE)'],
    [
      'billing abroad',
      { billingCountry: 'NG', shippingCountry: 'US' },
      'Billing country differs from shipping country',
      'NG, US',
    ],
    [
      'IP abroad',
      { ip: '203.0.113.9', shippingCountry: 'US' },
      'IP country matches neither billing nor shipping',
      'GB',
    ],
    [
      'high amount',
      { amountMicros: 1_000_000_000, currency: 'USD' },
      'High order amount',
      '1000.00 USD',
    ],
    [
      'very high amount',
      { amountMicros: 9_000_000_000, currency: 'GBP' },
      'Very high order amount',
      '9000.00 GBP',
    ],
  ] as const)('fires the %s signal alone', (_label, facts, name, value) => {
    const result = scorePaymentAbuse(facts);

    expect(result.reasons).toEqual([{ name, value }]);
    expect(result.score).toBeGreaterThan(BASE_PAYMENT_ABUSE_SCORE);
  });

  it('ignores amounts in currencies without thresholds', () => {
    const result = scorePaymentAbuse({ amountMicros: 9_000_000_000_000, currency: 'JPY' });

    expect(result.reasons).toEqual([]);
  });

  it('does not flag an IP in the shipping country', () => {
    const result = scorePaymentAbuse({ ip: '192.0.2.10', shippingCountry: 'US' });

    expect(result.reasons).toEqual([]);
  });
});

describe('IP table lookup', () => {
  it.each([
    ['185.220.103.255', 'DE', true],
    ['8.8.8.8', 'US', false],
    ['198.51.100.4', 'CA', false],
    ['193.0.7.1', 'NL', false],
  ] as const)('places %s in %s', (ip, country, anonymizer) => {
    const range = lookupIp(ip);

    expect(range?.country).toBe(country);
    expect(Boolean(range?.anonymizer)).toBe(anonymizer);
  });

  it.each(['185.220.104.1', '10.1.2.3', '127.0.0.1', '2001:db8::1', 'not-an-ip'])(
    'finds no entry for %s',
    (ip) => {
      expect(lookupIp(ip)).toBeUndefined();
    },
  );
});

describe('POST /v205/events', () => {
  it('returns the score on request', async () => {
    const { status, body } = await postEvent(createOrder(), '?return_score=true');

    expect(status).toBe(200);
    expect(body.status).toBe(0);
    expect(body.error_message).toBe('OK');
    expect(typeof body.time).toBe('number');
    expect(body.score_response?.user_id).toBe('DP-13000');
    expect(body.score_response?.scores?.payment_abuse?.score).toBeLessThan(0.3);
  });

  it('returns no score without the query flags', async () => {
    const { body } = await postEvent(createOrder());

    expect(body.status).toBe(0);
    expect(body.score_response).toBeUndefined();
  });

  it('echoes the request without the API key', async () => {
    const { body } = await postEvent(createOrder());

    const echoed = JSON.parse(body.request as string) as Record<string, unknown>;
    expect(echoed.$order_id).toBe('US-2019-103800');
    expect(echoed.$api_key).toBeUndefined();
  });

  it('applies the abuse_types filter', async () => {
    const { body } = await postEvent(createOrder(), '?return_score=true&abuse_types=content_abuse');

    expect(body.score_response?.scores).toEqual({});
  });

  it('blocks a risky order in the workflow status', async () => {
    const risky = createOrder({
      $user_email: riskyFacts.email,
      $ip: riskyFacts.ip,
      $billing_address: { $country: 'NG' },
    });

    const { body } = await postEvent(risky, '?return_workflow_status=true');

    const [workflow] = body.score_response?.workflow_statuses ?? [];
    expect(body.score_response?.scores?.payment_abuse?.score).toBeGreaterThanOrEqual(0.9);
    expect(workflow?.entity).toEqual({ id: 'US-2019-103800', type: 'order' });
    expect(workflow?.history[0]?.config.decision_id).toBe('order_looks_bad_payment_abuse');
  });

  it.each([
    ['an invalid API key', createOrder({ $api_key: 'short' }), 51],
    ['a missing $type', createOrder({ $type: undefined }), 55],
    ['a missing $user_id', createOrder({ $user_id: undefined }), 55],
    ['an unknown reserved field', createOrder({ $favourite_colour: 'red' }), 105],
    ['a fractional $amount', createOrder({ $amount: 16.45 }), 53],
    ['a malformed $ip', createOrder({ $ip: '999.1.1.1' }), 53],
    ['a lower-case currency', createOrder({ $currency_code: 'usd' }), 53],
    ['a user ID with spaces', createOrder({ $user_id: 'two words' }), 53],
    ['a JSON array', [createOrder()], 57],
  ])('rejects %s with HTTP 400 and its Sift status', async (_label, event, siftStatus) => {
    const { status, body } = await postEvent(event);

    expect(status).toBe(400);
    expect(body.status).toBe(siftStatus);
    expect(typeof body.error_message).toBe('string');
  });

  it('rejects malformed JSON with status 56', async () => {
    const { status, body } = await postEvent('{"$type": ');

    expect(status).toBe(400);
    expect(body.status).toBe(56);
  });

  it('returns injected 429 in Sift shape', async () => {
    await fetch(`${sandbox.url}/_sandbox/sift/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statusCode: 429 }),
    });

    const limited = await postEvent(createOrder());
    const next = await postEvent(createOrder());

    expect(limited.status).toBe(429);
    expect(limited.body.status).toBe(60);
    expect(next.status).toBe(200);
  });
});

describe('GET /v205/score/:userId', () => {
  it('returns the latest score of the user', async () => {
    await postEvent(createOrder({ $user_id: 'SCORE-1', $user_email: 'x@trashmail.com' }));

    const response = await fetch(
      `${sandbox.url}/v205/score/SCORE-1?api_key=${SIFT_SANDBOX_API_KEY}`,
    );
    const body = (await response.json()) as ScoreBody;

    expect(response.status).toBe(200);
    expect(body.user_id).toBe('SCORE-1');
    expect(body.scores?.payment_abuse?.reasons[0]?.value).toBe('trashmail.com');
  });

  it('accepts the key as HTTP Basic user', async () => {
    const authorization = `Basic ${Buffer.from(`${SIFT_SANDBOX_API_KEY}:`).toString('base64')}`;

    const response = await fetch(`${sandbox.url}/v205/users/NEW-USER/score`, {
      headers: { authorization },
    });
    const body = (await response.json()) as ScoreBody;

    expect(response.status).toBe(200);
    expect(body.scores?.payment_abuse?.score).toBe(BASE_PAYMENT_ABUSE_SCORE);
  });

  it('rejects a missing key', async () => {
    const response = await fetch(`${sandbox.url}/v205/score/SCORE-1`);
    const body = (await response.json()) as ScoreBody;

    expect(response.status).toBe(400);
    expect(body.status).toBe(51);
  });
});
