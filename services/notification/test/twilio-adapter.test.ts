import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { createLogger, PROVIDER_POLICY_PRESETS, ProviderError } from '@orderflow/service-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PinnedRequestClient } from '../src/adapters/providers/twilio/pinned-request-client.js';
import { maskPhone, TwilioAdapter } from '../src/adapters/providers/twilio/twilio-adapter.js';

/** Credentials in Twilio's formats, which is all the sandbox checks. */
const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'fedcba9876543210fedcba9876543210';
/** Twilio's magic From number, valid with test credentials. */
const FROM_NUMBER = '+15005550006';
/** A number in the +1 NXX 555-01XX fiction range. */
const CUSTOMER_PHONE = '+12025550106';

const FAST_POLICY = { ...PROVIDER_POLICY_PRESETS.standard, timeoutMs: 300 };

const logLines: string[] = [];
const logger = createLogger({
  service: 'notification-test',
  level: 'debug',
  destination: { write: (line: string) => void logLines.push(line) },
});

interface StoredMessage {
  sid: string;
  account_sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  num_segments: string;
}

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/twilio/faults`, { method: 'DELETE' });
});

function adapter(overrides: { authToken?: string; baseUrl?: string } = {}): TwilioAdapter {
  return new TwilioAdapter(
    {
      accountSid: ACCOUNT_SID,
      authToken: overrides.authToken ?? AUTH_TOKEN,
      baseUrl: overrides.baseUrl ?? sandbox.url,
      fromNumber: FROM_NUMBER,
      policy: FAST_POLICY,
    },
    logger,
  );
}

async function storedMessages(to: string): Promise<StoredMessage[]> {
  const response = await fetch(
    `${sandbox.url}/_sandbox/twilio/messages?to=${encodeURIComponent(to)}`,
  );
  return ((await response.json()) as { messages: StoredMessage[] }).messages;
}

async function injectFault(fault: { statusCode?: number; delayMs?: number; count?: number }) {
  const response = await fetch(`${sandbox.url}/_sandbox/twilio/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
}

async function sendError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('TwilioAdapter.sendSms', () => {
  it('returns the message SID of a queued SMS', async () => {
    const { providerMessageId } = await adapter().sendSms({
      to: CUSTOMER_PHONE,
      body: 'Your order US-2019-103800 has shipped.',
      orderId: 'US-2019-103800',
    });

    const stored = (await storedMessages(CUSTOMER_PHONE)).find(
      (message) => message.sid === providerMessageId,
    );
    expect(providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(stored?.account_sid).toBe(ACCOUNT_SID);
    expect(stored?.from).toBe(FROM_NUMBER);
    expect(stored?.body).toBe('Your order US-2019-103800 has shipped.');
    expect(stored?.status).toBe('queued');
  });

  it('rejects an invalid number as final', async () => {
    const error = await sendError(adapter().sendSms({ to: '+1202555', body: 'Hello' }));

    expect(error.code).toBe('SMS_RECIPIENT_INVALID');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('21211');
  });

  it('rejects an unsubscribed magic number as final', async () => {
    const error = await sendError(adapter().sendSms({ to: '+15005550004', body: 'Hello' }));

    expect(error.code).toBe('SMS_RECIPIENT_INVALID');
    expect(error.message).toContain('21610');
  });

  it('rejects bad credentials as final', async () => {
    const error = await sendError(
      adapter({ authToken: 'not-a-token' }).sendSms({ to: CUSTOMER_PHONE, body: 'Hello' }),
    );

    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('retries server errors and then sends once', async () => {
    const to = '+12025550107';
    await injectFault({ statusCode: 500, count: 2 });

    await adapter().sendSms({ to, body: 'Hello' });

    expect(await storedMessages(to)).toHaveLength(1);
  });

  it('reports rate limiting as retryable', async () => {
    await injectFault({ statusCode: 429, count: 3 });

    const error = await sendError(adapter().sendSms({ to: CUSTOMER_PHONE, body: 'Hello' }));

    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.retryable).toBe(true);
  });

  it('reports a slow response as a retryable timeout', async () => {
    await injectFault({ delayMs: 1_000, count: 3 });

    const error = await sendError(adapter().sendSms({ to: CUSTOMER_PHONE, body: 'Hello' }));

    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('never logs the auth token or the whole number', async () => {
    await adapter().sendSms({ to: CUSTOMER_PHONE, body: 'Hello', orderId: 'US-2019-103800' });
    await sendError(
      adapter({ authToken: 'not-a-token' }).sendSms({ to: CUSTOMER_PHONE, body: 'Hello' }),
    );

    const output = logLines.join('');
    expect(output).toContain('sms sent');
    expect(output).toContain(maskPhone(CUSTOMER_PHONE));
    expect(output).not.toContain(AUTH_TOKEN);
    expect(output).not.toContain(CUSTOMER_PHONE);
  });
});

describe('PinnedRequestClient.rebase', () => {
  it('moves any Twilio host onto the base URL', () => {
    const client = new PinnedRequestClient('http://127.0.0.1:4010');

    expect(client.rebase('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json')).toBe(
      'http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json',
    );
    expect(
      client.rebase('https://api.sydney.au1.twilio.com/2010-04-01/Accounts.json?PageSize=5'),
    ).toBe('http://127.0.0.1:4010/2010-04-01/Accounts.json?PageSize=5');
  });

  it('keeps a path prefix of the base URL', () => {
    const client = new PinnedRequestClient('http://127.0.0.1:4010/twilio/');

    expect(client.rebase('https://api.twilio.com/2010-04-01/Accounts.json')).toBe(
      'http://127.0.0.1:4010/twilio/2010-04-01/Accounts.json',
    );
  });
});
