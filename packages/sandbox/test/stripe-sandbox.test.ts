import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerStripe } from '../src/providers/stripe.js';

const SECRET_KEY = 'sk_test_sandbox123';

let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  app = Fastify({ logger: false });
  await app.register(formbody);
  await registerStripe(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
});

afterEach(() => {
  vi.useRealTimers();
});

interface StripeResponse {
  status: number;
  headers: Headers;
  body: Record<string, any>;
}

async function stripe(
  method: 'GET' | 'POST',
  path: string,
  form: Record<string, string | number | boolean> = {},
  headers: Record<string, string> = {},
): Promise<StripeResponse> {
  const body = new URLSearchParams(
    Object.entries(form).map(([key, value]): [string, string] => [key, String(value)]),
  );
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${SECRET_KEY}`,
      ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...headers,
    },
    ...(method === 'POST' ? { body: body.toString() } : {}),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, any>,
  };
}

async function paymentMethod(
  number: string,
  cvc = number.startsWith('3') ? '1234' : '123',
): Promise<string> {
  const response = await stripe('POST', '/v1/payment_methods', {
    type: 'card',
    'card[number]': number,
    'card[exp_month]': 12,
    'card[exp_year]': new Date().getUTCFullYear() + 2,
    'card[cvc]': cvc,
  });
  expect(response.status).toBe(200);
  return response.body.id as string;
}

async function authorize(
  number: string,
  extra: Record<string, string> = {},
): Promise<StripeResponse> {
  return stripe('POST', '/v1/payment_intents', {
    amount: 2_000,
    currency: 'usd',
    payment_method: await paymentMethod(number),
    confirm: true,
    capture_method: 'manual',
    'metadata[order_id]': 'US-2019-103800',
    ...extra,
  });
}

describe('stripe sandbox authentication', () => {
  it('rejects a request without an API key', async () => {
    const response = await fetch(`${baseUrl}/v1/payment_intents/pi_missing`);
    const body = (await response.json()) as { error: { type: string; message: string } };

    expect(response.status).toBe(401);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('did not provide an API key');
  });

  it('rejects a live-mode key and masks it', async () => {
    const response = await stripe(
      'GET',
      '/v1/payment_intents/pi_missing',
      {},
      {
        authorization: 'Bearer sk_live_abcdef987654',
      },
    );

    expect(response.status).toBe(401);
    expect(response.body.error.message).toContain('sk_live_****7654');
    expect(response.body.error.message).not.toContain('abcdef');
  });
});

describe('stripe sandbox payment methods', () => {
  it('creates a card payment method with brand and last4', async () => {
    const response = await stripe('POST', '/v1/payment_methods', {
      type: 'card',
      'card[number]': '5555555555554444',
      'card[exp_month]': 4,
      'card[exp_year]': new Date().getUTCFullYear() + 1,
      'card[cvc]': '123',
    });

    expect(response.status).toBe(200);
    expect(response.body.id).toMatch(/^pm_/);
    expect(response.body.object).toBe('payment_method');
    expect(response.body.card.brand).toBe('mastercard');
    expect(response.body.card.last4).toBe('4444');
    expect(JSON.stringify(response.body)).not.toContain('5555555555554444');
  });

  it('rejects a number failing the Luhn check', async () => {
    const response = await stripe('POST', '/v1/payment_methods', {
      type: 'card',
      'card[number]': '4242424242424241',
      'card[exp_month]': 12,
      'card[exp_year]': new Date().getUTCFullYear() + 1,
    });

    expect(response.status).toBe(402);
    expect(response.body.error.type).toBe('card_error');
    expect(response.body.error.code).toBe('incorrect_number');
    expect(response.body.error.message).toBe('Your card number is incorrect.');
  });

  it('declines a valid number that is not a test card', async () => {
    const response = await stripe('POST', '/v1/payment_methods', {
      type: 'card',
      'card[number]': '4111111111111111',
      'card[exp_month]': 12,
      'card[exp_year]': new Date().getUTCFullYear() + 1,
    });

    expect(response.status).toBe(402);
    expect(response.body.error.decline_code).toBe('test_mode_live_card');
  });

  it('rejects an expiry in the past', async () => {
    const response = await stripe('POST', '/v1/payment_methods', {
      type: 'card',
      'card[number]': '4242424242424242',
      'card[exp_month]': 1,
      'card[exp_year]': 2020,
    });

    expect(response.status).toBe(402);
    expect(response.body.error.code).toBe('invalid_expiry_year');
  });

  it('rejects a three-digit CVC on an American Express card', async () => {
    const response = await stripe('POST', '/v1/payment_methods', {
      type: 'card',
      'card[number]': '378282246310005',
      'card[exp_month]': 12,
      'card[exp_year]': new Date().getUTCFullYear() + 1,
      'card[cvc]': '123',
    });

    expect(response.status).toBe(402);
    expect(response.body.error.code).toBe('invalid_cvc');
  });
});

describe('stripe sandbox test card outcomes', () => {
  const successes = [
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['4000000000000259', 'visa'],
  ] as const;

  it.each(successes)('authorizes %s (%s) for manual capture', async (number) => {
    const response = await authorize(number);

    expect(response.status).toBe(200);
    expect(response.body.object).toBe('payment_intent');
    expect(response.body.status).toBe('requires_capture');
    expect(response.body.amount_capturable).toBe(2_000);
    expect(response.body.metadata).toEqual({ order_id: 'US-2019-103800' });
    expect(response.body.latest_charge).toMatch(/^ch_/);
  });

  const declines = [
    ['4000000000000002', 'card_declined', 'generic_decline', 'Your card was declined.'],
    [
      '4000000000009995',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
    ],
    ['4000000000009987', 'card_declined', 'lost_card', 'Your card was declined.'],
    ['4000000000009979', 'card_declined', 'stolen_card', 'Your card was declined.'],
    ['4000000000000069', 'expired_card', undefined, 'Your card has expired.'],
    ['4000000000000127', 'incorrect_cvc', undefined, "Your card's security code is incorrect."],
    [
      '4000000000000119',
      'processing_error',
      undefined,
      'An error occurred while processing your card. Try again in a little bit.',
    ],
    ['4000000000000341', 'card_declined', 'generic_decline', 'Your card was declined.'],
  ] as const;

  it.each(declines)('declines %s with %s', async (number, code, declineCode, message) => {
    const response = await authorize(number);

    expect(response.status).toBe(402);
    expect(response.body.error.type).toBe('card_error');
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.decline_code).toBe(declineCode);
    expect(response.body.error.message).toBe(message);
    expect(response.body.error.payment_intent.status).toBe('requires_payment_method');
    expect(response.body.error.payment_intent.last_payment_error.code).toBe(code);
  });

  it('asks 4000002760003184 for 3-D Secure through the SDK', async () => {
    const response = await authorize('4000002760003184');

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('requires_action');
    expect(response.body.next_action.type).toBe('use_stripe_sdk');
    expect(response.body.next_action.use_stripe_sdk.stripe_js).toContain('/_sandbox/stripe/3ds/');
  });

  it('redirects 4000002760003184 to the challenge when a return_url is given', async () => {
    const response = await authorize('4000002760003184', { return_url: 'http://127.0.0.1/done' });

    expect(response.body.status).toBe('requires_action');
    expect(response.body.next_action.type).toBe('redirect_to_url');
    expect(response.body.next_action.redirect_to_url.return_url).toBe('http://127.0.0.1/done');
  });

  it('asks 4000002500003155 for 3-D Secure on session', async () => {
    const response = await authorize('4000002500003155');

    expect(response.body.status).toBe('requires_action');
  });

  it('authorizes 4000002500003155 off session', async () => {
    const response = await authorize('4000002500003155', { off_session: 'true' });

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('requires_capture');
  });

  it('declines 4000002760003184 off session as authentication_required', async () => {
    const response = await authorize('4000002760003184', { off_session: 'true' });

    expect(response.status).toBe(402);
    expect(response.body.error.code).toBe('authentication_required');
  });

  it('marks the 4000000000000259 charge disputed after capture', async () => {
    const authorized = await authorize('4000000000000259');
    await stripe('POST', `/v1/payment_intents/${authorized.body.id}/capture`);
    const charge = await stripe('GET', `/v1/charges/${authorized.body.latest_charge}`);

    expect(charge.body.captured).toBe(true);
    expect(charge.body.disputed).toBe(true);
  });
});

describe('stripe sandbox 3-D Secure page', () => {
  it('authorizes the intent when the challenge completes', async () => {
    const intent = await authorize('4000002760003184');
    const page = await fetch(`${baseUrl}/_sandbox/stripe/3ds/${intent.body.id}`);
    const completed = await fetch(`${baseUrl}/_sandbox/stripe/3ds/${intent.body.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete',
    });
    const after = (await completed.json()) as Record<string, any>;

    expect(page.headers.get('content-type')).toContain('text/html');
    expect(after.status).toBe('requires_capture');
    expect(after.next_action).toBeNull();
  });

  it('returns the intent to requires_payment_method when the challenge fails', async () => {
    const intent = await authorize('4000002760003184', { return_url: 'http://127.0.0.1/done' });
    const failed = await fetch(`${baseUrl}/_sandbox/stripe/3ds/${intent.body.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=fail',
      redirect: 'manual',
    });
    const after = await stripe('GET', `/v1/payment_intents/${intent.body.id}`);

    expect(failed.status).toBe(303);
    expect(failed.headers.get('location')).toContain('redirect_status=failed');
    expect(after.body.status).toBe('requires_payment_method');
    expect(after.body.last_payment_error.code).toBe('payment_intent_authentication_failure');
  });
});

describe('stripe sandbox capture, cancel and refund', () => {
  it('captures part of the authorization', async () => {
    const intent = await authorize('4242424242424242');
    const captured = await stripe('POST', `/v1/payment_intents/${intent.body.id}/capture`, {
      amount_to_capture: 1_500,
    });

    expect(captured.status).toBe(200);
    expect(captured.body.status).toBe('succeeded');
    expect(captured.body.amount_received).toBe(1_500);
    expect(captured.body.amount_capturable).toBe(0);
  });

  it('rejects a capture above the capturable amount', async () => {
    const intent = await authorize('4242424242424242');
    const response = await stripe('POST', `/v1/payment_intents/${intent.body.id}/capture`, {
      amount_to_capture: 2_001,
    });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('amount_too_large');
    expect(response.body.error.param).toBe('amount_to_capture');
  });

  it('rejects a second capture with payment_intent_unexpected_state', async () => {
    const intent = await authorize('4242424242424242');
    await stripe('POST', `/v1/payment_intents/${intent.body.id}/capture`);
    const again = await stripe('POST', `/v1/payment_intents/${intent.body.id}/capture`);

    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('payment_intent_unexpected_state');
    expect(again.body.error.payment_intent.status).toBe('succeeded');
  });

  it('cancels an authorized intent', async () => {
    const intent = await authorize('4242424242424242');
    const canceled = await stripe('POST', `/v1/payment_intents/${intent.body.id}/cancel`, {
      cancellation_reason: 'abandoned',
    });

    expect(canceled.body.status).toBe('canceled');
    expect(canceled.body.cancellation_reason).toBe('abandoned');
    expect(canceled.body.amount_capturable).toBe(0);
  });

  it('rejects cancelling a captured intent', async () => {
    const intent = await authorize('4242424242424242');
    await stripe('POST', `/v1/payment_intents/${intent.body.id}/capture`);
    const response = await stripe('POST', `/v1/payment_intents/${intent.body.id}/cancel`);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('payment_intent_unexpected_state');
  });

  it('refunds in parts up to the captured amount', async () => {
    const intent = await authorize('4242424242424242');
    await stripe('POST', `/v1/payment_intents/${intent.body.id}/capture`);
    const first = await stripe('POST', '/v1/refunds', {
      payment_intent: intent.body.id,
      amount: 500,
    });
    const tooMuch = await stripe('POST', '/v1/refunds', {
      payment_intent: intent.body.id,
      amount: 1_600,
    });
    const rest = await stripe('POST', '/v1/refunds', { payment_intent: intent.body.id });
    const again = await stripe('POST', '/v1/refunds', { payment_intent: intent.body.id });

    expect(first.body.object).toBe('refund');
    expect(first.body.amount).toBe(500);
    expect(first.body.status).toBe('succeeded');
    expect(tooMuch.body.error.code).toBe('amount_too_large');
    expect(rest.body.amount).toBe(1_500);
    expect(again.body.error.code).toBe('charge_already_refunded');
  });

  it('rejects a refund of an uncaptured intent', async () => {
    const intent = await authorize('4242424242424242');
    const response = await stripe('POST', '/v1/refunds', { payment_intent: intent.body.id });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('charge_not_refundable');
  });

  it('returns 404 resource_missing for an unknown intent', async () => {
    const response = await stripe('GET', '/v1/payment_intents/pi_unknown');

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('resource_missing');
  });
});

describe('stripe sandbox amount rules', () => {
  it('rejects an amount below the USD minimum', async () => {
    const response = await stripe('POST', '/v1/payment_intents', { amount: 49, currency: 'usd' });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('amount_too_small');
  });

  it('rejects a KWD amount whose last digit is not 0', async () => {
    const response = await stripe('POST', '/v1/payment_intents', {
      amount: 1_005,
      currency: 'kwd',
    });

    expect(response.status).toBe(400);
    expect(response.body.error.param).toBe('amount');
  });

  it('accepts a JPY amount in whole yen', async () => {
    const response = await stripe('POST', '/v1/payment_intents', { amount: 500, currency: 'JPY' });

    expect(response.status).toBe(200);
    expect(response.body.currency).toBe('jpy');
    expect(response.body.status).toBe('requires_payment_method');
  });
});

describe('stripe sandbox idempotency keys', () => {
  it('replays the saved response for the same key and parameters', async () => {
    const pm = await paymentMethod('4242424242424242');
    const form = {
      amount: 1_000,
      currency: 'usd',
      payment_method: pm,
      confirm: true,
      capture_method: 'manual',
    };
    const first = await stripe('POST', '/v1/payment_intents', form, {
      'idempotency-key': 'order-1-auth',
    });
    const second = await stripe('POST', '/v1/payment_intents', form, {
      'idempotency-key': 'order-1-auth',
    });

    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
  });

  it('replays a decline with its 402 status', async () => {
    const pm = await paymentMethod('4000000000009995');
    const form = { amount: 1_000, currency: 'usd', payment_method: pm, confirm: true };
    const first = await stripe('POST', '/v1/payment_intents', form, {
      'idempotency-key': 'order-2-auth',
    });
    const second = await stripe('POST', '/v1/payment_intents', form, {
      'idempotency-key': 'order-2-auth',
    });

    expect(second.status).toBe(402);
    expect(second.body.error.payment_intent.id).toBe(first.body.error.payment_intent.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('rejects the same key with different parameters', async () => {
    const headers = { 'idempotency-key': 'order-3-auth' };
    await stripe('POST', '/v1/payment_intents', { amount: 1_000, currency: 'usd' }, headers);
    const response = await stripe(
      'POST',
      '/v1/payment_intents',
      { amount: 1_001, currency: 'usd' },
      headers,
    );

    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('idempotency_error');
    expect(response.body.error.message).toContain('same parameters');
  });

  it('rejects the same key on another endpoint', async () => {
    const headers = { 'idempotency-key': 'order-4-op' };
    const intent = await authorize('4242424242424242');
    await stripe('POST', `/v1/payment_intents/${intent.body.id}/capture`, {}, headers);
    const response = await stripe(
      'POST',
      `/v1/payment_intents/${intent.body.id}/cancel`,
      {},
      headers,
    );

    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('idempotency_error');
    expect(response.body.error.message).toContain('same endpoint');
  });

  it('does not save a parameter error, so a corrected retry runs', async () => {
    const headers = { 'idempotency-key': 'order-5-auth' };
    const invalid = await stripe('POST', '/v1/payment_intents', { currency: 'usd' }, headers);
    const corrected = await stripe(
      'POST',
      '/v1/payment_intents',
      { amount: 1_000, currency: 'usd' },
      headers,
    );

    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('parameter_missing');
    expect(corrected.status).toBe(200);
  });

  it('scopes keys to the API key', async () => {
    const form = { amount: 1_000, currency: 'usd' };
    const first = await stripe('POST', '/v1/payment_intents', form, {
      'idempotency-key': 'shared-key',
    });
    const other = await stripe('POST', '/v1/payment_intents', form, {
      'idempotency-key': 'shared-key',
      authorization: 'Bearer sk_test_otheraccount',
    });

    expect(other.body.id).not.toBe(first.body.id);
  });

  it('forgets a key after 24 hours', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2024-05-01T10:00:00Z') });
    const form = { amount: 1_000, currency: 'usd' };
    const headers = { 'idempotency-key': 'order-6-auth' };
    const first = await stripe('POST', '/v1/payment_intents', form, headers);
    vi.setSystemTime(new Date('2024-05-02T09:59:59Z'));
    const withinDay = await stripe('POST', '/v1/payment_intents', form, headers);
    vi.setSystemTime(new Date('2024-05-02T10:00:00Z'));
    const afterDay = await stripe('POST', '/v1/payment_intents', form, { ...headers });

    expect(withinDay.body.id).toBe(first.body.id);
    expect(afterDay.body.id).not.toBe(first.body.id);
    expect(afterDay.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('stripe sandbox injected faults', () => {
  it('answers queued faults in Stripe shape and then recovers', async () => {
    await fetch(`${baseUrl}/_sandbox/stripe/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statusCode: 429, count: 1 }),
    });
    const limited = await stripe('GET', '/v1/payment_intents/pi_unknown');
    const after = await stripe('GET', '/v1/payment_intents/pi_unknown');

    expect(limited.status).toBe(429);
    expect(limited.body.error.type).toBe('rate_limit_error');
    expect(after.status).toBe(404);
  });
});
