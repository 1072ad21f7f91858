import { randomUUID } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { ProviderError, createLogger, type ProviderPolicyOptions } from '@orderflow/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeAdapter } from '../src/adapters/providers/stripe/stripe-adapter.js';
import { tokenizeTestCard } from '../src/adapters/providers/stripe/tokenize-card.js';

const API_KEY = 'sk_test_orderflowadapter';

/** Short limits so that retry and timeout cases finish quickly. */
const TEST_POLICY: ProviderPolicyOptions = {
  timeoutMs: 2_000,
  maxAttempts: 3,
  breakerAfterFailures: 1_000,
  halfOpenAfterMs: 1_000,
  maxConcurrent: 8,
};

let sandbox: RunningSandbox;
const logLines: string[] = [];
const log = createLogger({
  service: 'payment-test',
  level: 'debug',
  destination: { write: (line: string) => void logLines.push(line) },
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

function adapter(
  overrides: Partial<ConstructorParameters<typeof StripeAdapter>[0]> = {},
): StripeAdapter {
  return new StripeAdapter(
    { apiKey: API_KEY, baseUrl: sandbox.url, policy: TEST_POLICY, ...overrides },
    log,
  );
}

function tokenize(number: string): Promise<string> {
  return tokenizeTestCard(
    { apiKey: API_KEY, baseUrl: sandbox.url },
    {
      number,
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 3,
      cvc: number.startsWith('3') ? '1234' : '123',
    },
  );
}

async function authorize(
  number: string,
  extra: { amountMinor?: number; offSession?: boolean; returnUrl?: string } = {},
) {
  const orderId = `order-${randomUUID()}`;
  const result = await adapter().authorize({
    orderId,
    amountMinor: extra.amountMinor ?? 4_599,
    currency: 'USD',
    paymentMethodId: await tokenize(number),
    idempotencyKey: `${orderId}:authorize`,
    ...(extra.offSession ? { offSession: true } : {}),
    ...(extra.returnUrl ? { returnUrl: extra.returnUrl } : {}),
  });
  return { orderId, result };
}

async function injectFault(fault: {
  statusCode?: number;
  delayMs?: number;
  count: number;
}): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/stripe/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('StripeAdapter.authorize', () => {
  it('authorizes a Visa test card for manual capture', async () => {
    const { result } = await authorize('4242424242424242');

    expect(result.outcome).toBe('authorized');
    expect(result).toMatchObject({ amountMinor: 4_599 });
    expect(result).toHaveProperty('paymentIntentId', expect.stringMatching(/^pi_/));
  });

  const declines = [
    [
      '4000000000000002',
      'card_declined',
      'generic_decline',
      'Your card was declined. Please use another card or contact your bank.',
    ],
    [
      '4000000000009995',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds. Please use another card.',
    ],
    [
      '4000000000009987',
      'card_declined',
      'lost_card',
      'Your card was declined. Please use another card or contact your bank.',
    ],
    [
      '4000000000009979',
      'card_declined',
      'stolen_card',
      'Your card was declined. Please use another card or contact your bank.',
    ],
    [
      '4000000000000069',
      'expired_card',
      undefined,
      'Your card has expired. Please use another card.',
    ],
    [
      '4000000000000127',
      'incorrect_cvc',
      undefined,
      'The security code (CVC) of your card is incorrect. Please check it and try again.',
    ],
    [
      '4000000000000119',
      'processing_error',
      undefined,
      'Your bank could not process the card because of an error on its side. Please try again in a few minutes.',
    ],
    [
      '4000000000000341',
      'card_declined',
      'generic_decline',
      'Your card was declined. Please use another card or contact your bank.',
    ],
  ] as const;

  it.each(declines)(
    'returns a decline for %s',
    async (number, code, declineCode, customerMessage) => {
      const { result } = await authorize(number);

      expect(result.outcome).toBe('declined');
      if (result.outcome !== 'declined') return;
      expect(result.code).toBe(code);
      expect(result.declineCode).toBe(declineCode);
      expect(result.customerMessage).toBe(customerMessage);
      expect(result.paymentIntentId).toMatch(/^pi_/);
    },
  );

  it('returns requires_action with the challenge URL for 3-D Secure', async () => {
    const { result } = await authorize('4000002760003184', {
      returnUrl: 'http://127.0.0.1:9/return',
    });

    expect(result.outcome).toBe('requires_action');
    if (result.outcome !== 'requires_action') return;
    expect(result.nextActionUrl).toBe(
      `${sandbox.url}/_sandbox/stripe/3ds/${result.paymentIntentId}`,
    );
  });

  it('authorizes after the customer completes 3-D Secure', async () => {
    const { result } = await authorize('4000002500003155');
    if (result.outcome !== 'requires_action')
      throw new Error(`expected requires_action, got ${result.outcome}`);
    await fetch(`${sandbox.url}/_sandbox/stripe/3ds/${result.paymentIntentId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'complete' }),
    });

    const status = await adapter().retrievePaymentStatus(result.paymentIntentId);

    expect(status).toEqual({
      outcome: 'authorized',
      paymentIntentId: result.paymentIntentId,
      amountMinor: 4_599,
    });
  });

  it('reports a failed 3-D Secure challenge as a decline', async () => {
    const { result } = await authorize('4000002760003184');
    if (result.outcome !== 'requires_action')
      throw new Error(`expected requires_action, got ${result.outcome}`);
    await fetch(`${sandbox.url}/_sandbox/stripe/3ds/${result.paymentIntentId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'fail' }),
    });

    const status = await adapter().retrievePaymentStatus(result.paymentIntentId);

    expect(status).toMatchObject({
      outcome: 'declined',
      code: 'payment_intent_authentication_failure',
    });
  });

  it('authorizes 4000002500003155 off session without a challenge', async () => {
    const { result } = await authorize('4000002500003155', { offSession: true });

    expect(result.outcome).toBe('authorized');
  });

  it('returns the same PaymentIntent when the same key is retried', async () => {
    const paymentMethodId = await tokenize('4242424242424242');
    const request = {
      orderId: 'order-retry',
      amountMinor: 1_000,
      currency: 'usd',
      paymentMethodId,
      idempotencyKey: `order-retry:${randomUUID()}`,
    };
    const first = await adapter().authorize(request);
    const second = await adapter().authorize(request);

    expect(second).toEqual(first);
  });

  it('raises a final error for a reused key', async () => {
    const paymentMethodId = await tokenize('4242424242424242');
    const request = {
      orderId: 'order-key',
      amountMinor: 1_000,
      currency: 'usd',
      paymentMethodId,
      idempotencyKey: randomUUID(),
    };
    await adapter().authorize(request);

    const error = await rejection(adapter().authorize({ ...request, amountMinor: 1_100 }));

    expect(error.code).toBe('STRIPE_IDEMPOTENCY_KEY_REUSED');
    expect(error.retryable).toBe(false);
  });

  it('rejects an amount that is not a positive integer before calling Stripe', async () => {
    const promise = adapter().authorize({
      orderId: 'order-bad',
      amountMinor: 10.5,
      currency: 'usd',
      paymentMethodId: 'pm_unused',
      idempotencyKey: randomUUID(),
    });

    await expect(promise).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('StripeAdapter capture, cancel and refund', () => {
  async function authorized(): Promise<string> {
    const { result } = await authorize('4242424242424242');
    if (result.outcome !== 'authorized')
      throw new Error(`expected authorized, got ${result.outcome}`);
    return result.paymentIntentId;
  }

  it('captures part of an authorization', async () => {
    const paymentIntentId = await authorized();

    const result = await adapter().capture({
      paymentIntentId,
      amountMinor: 4_000,
      idempotencyKey: randomUUID(),
    });

    expect(result).toEqual({ outcome: 'captured', paymentIntentId, amountMinor: 4_000 });
  });

  it('treats a second capture as already captured', async () => {
    const paymentIntentId = await authorized();
    await adapter().capture({ paymentIntentId, amountMinor: 4_599, idempotencyKey: randomUUID() });

    const again = await adapter().capture({
      paymentIntentId,
      amountMinor: 4_599,
      idempotencyKey: randomUUID(),
    });

    expect(again).toEqual({ outcome: 'captured', paymentIntentId, amountMinor: 4_599 });
  });

  it('raises a final error for a capture above the authorization', async () => {
    const paymentIntentId = await authorized();

    const error = await rejection(
      adapter().capture({ paymentIntentId, amountMinor: 4_600, idempotencyKey: randomUUID() }),
    );

    expect(error.code).toBe('PAYMENT_CAPTURE_EXCEEDS_AUTHORIZATION');
    expect(error.retryable).toBe(false);
  });

  it('returns declined for a capture of a canceled authorization', async () => {
    const paymentIntentId = await authorized();
    await adapter().cancel({ paymentIntentId, idempotencyKey: randomUUID() });

    const result = await adapter().capture({
      paymentIntentId,
      amountMinor: 4_599,
      idempotencyKey: randomUUID(),
    });

    expect(result).toMatchObject({
      outcome: 'declined',
      code: 'payment_intent_unexpected_state',
    });
  });

  it('cancels an authorization, and a second cancel is harmless', async () => {
    const paymentIntentId = await authorized();

    const first = await adapter().cancel({ paymentIntentId, idempotencyKey: randomUUID() });
    const second = await adapter().cancel({ paymentIntentId, idempotencyKey: randomUUID() });

    expect(first).toEqual({ outcome: 'canceled', paymentIntentId });
    expect(second).toEqual({ outcome: 'canceled', paymentIntentId });
  });

  it('reports a captured payment as not cancelable', async () => {
    const paymentIntentId = await authorized();
    await adapter().capture({ paymentIntentId, amountMinor: 4_599, idempotencyKey: randomUUID() });

    const result = await adapter().cancel({ paymentIntentId, idempotencyKey: randomUUID() });

    expect(result).toEqual({ outcome: 'not_cancelable', paymentIntentId, status: 'succeeded' });
  });

  it('refunds a captured payment and rejects a second full refund', async () => {
    const paymentIntentId = await authorized();
    await adapter().capture({ paymentIntentId, amountMinor: 4_599, idempotencyKey: randomUUID() });

    const refund = await adapter().refund({
      paymentIntentId,
      amountMinor: 4_599,
      idempotencyKey: randomUUID(),
    });
    const again = await adapter().refund({
      paymentIntentId,
      amountMinor: 4_599,
      idempotencyKey: randomUUID(),
    });

    expect(refund).toMatchObject({ outcome: 'refunded', paymentIntentId, amountMinor: 4_599 });
    expect(refund).toHaveProperty('refundId', expect.stringMatching(/^re_/));
    expect(again).toMatchObject({ outcome: 'refund_rejected', code: 'charge_already_refunded' });
  });

  it('raises a final error for a refund above the captured amount', async () => {
    const paymentIntentId = await authorized();
    await adapter().capture({ paymentIntentId, amountMinor: 1_000, idempotencyKey: randomUUID() });

    const error = await rejection(
      adapter().refund({ paymentIntentId, amountMinor: 1_001, idempotencyKey: randomUUID() }),
    );

    expect(error.code).toBe('PAYMENT_REFUND_EXCEEDS_CAPTURE');
  });
});

describe('StripeAdapter faults', () => {
  it('retries a 503 and then succeeds', async () => {
    const paymentIntentId = await authorize('4242424242424242').then(({ result }) =>
      result.outcome === 'authorized' ? result.paymentIntentId : '',
    );
    await injectFault({ statusCode: 503, count: 1 });

    const status = await adapter().retrievePaymentStatus(paymentIntentId);

    expect(status.outcome).toBe('authorized');
  });

  it('raises a retryable error after every attempt fails with 500', async () => {
    await injectFault({ statusCode: 500, count: TEST_POLICY.maxAttempts });

    const error = await rejection(adapter().retrievePaymentStatus('pi_any'));

    expect(error.code).toBe('STRIPE_UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });

  it('raises a retryable error for 429', async () => {
    await injectFault({ statusCode: 429, count: TEST_POLICY.maxAttempts });

    const error = await rejection(adapter().retrievePaymentStatus('pi_any'));

    expect(error.code).toBe('STRIPE_RATE_LIMITED');
    expect(error.retryable).toBe(true);
  });

  it('raises a final error for a rejected API key', async () => {
    const error = await rejection(
      adapter({ apiKey: 'sk_live_notallowed' }).retrievePaymentStatus('pi_any'),
    );

    expect(error.code).toBe('STRIPE_AUTHENTICATION_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('raises a final error for an unknown PaymentIntent', async () => {
    const error = await rejection(adapter().retrievePaymentStatus('pi_unknown'));

    expect(error.code).toBe('STRIPE_REQUEST_REJECTED');
    expect(error.retryable).toBe(false);
  });

  it('raises a retryable timeout when Stripe is slow', async () => {
    await injectFault({ delayMs: 400, count: 1 });
    const slowPolicy = { ...TEST_POLICY, timeoutMs: 100, maxAttempts: 1 };

    const error = await rejection(adapter({ policy: slowPolicy }).retrievePaymentStatus('pi_any'));

    expect(error.code).toBe('STRIPE_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('raises a retryable error when nothing listens at the base URL', async () => {
    const closed = await startSandbox({ port: 0 });
    await closed.close();

    const error = await rejection(adapter({ baseUrl: closed.url }).retrievePaymentStatus('pi_any'));

    expect(error.code).toBe('STRIPE_UNREACHABLE');
    expect(error.retryable).toBe(true);
  });
});

describe('tokenizeTestCard', () => {
  it('returns a payment method id', async () => {
    await expect(tokenize('5555555555554444')).resolves.toMatch(/^pm_/);
  });

  it('raises a final error with a customer message for a wrong number', async () => {
    const error = await rejection(tokenize('4242424242424241'));

    expect(error.code).toBe('STRIPE_CARD_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.customerMessage).toBe(
      'Your card number is incorrect. Please check it and try again.',
    );
    expect(error.message).not.toContain('4242424242424241');
  });
});

describe('StripeAdapter logging', () => {
  it('never logs a card number or the API key', async () => {
    await authorize('4000000000009995');
    await authorize('4242424242424242');
    const output = logLines.join('\n');

    expect(logLines.length).toBeGreaterThan(0);
    expect(output).not.toMatch(/4000000000009995|4242424242424242/);
    expect(output).not.toContain(API_KEY);
  });
});
