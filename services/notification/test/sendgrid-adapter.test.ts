import { createServer } from 'node:net';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { createLogger, PROVIDER_POLICY_PRESETS, ProviderError } from '@orderflow/service-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  maskEmail,
  SendGridAdapter,
  type SendEmailInput,
} from '../src/adapters/providers/sendgrid/sendgrid-adapter.js';

/** The sandbox accepts any key in SendGrid's `SG.<id>.<secret>` format. */
const API_KEY = 'SG.test-key-id.test-key-secret';

const FAST_POLICY = { ...PROVIDER_POLICY_PRESETS.standard, timeoutMs: 300 };

const logLines: string[] = [];
const logger = createLogger({
  service: 'notification-test',
  level: 'debug',
  destination: { write: (line: string) => void logLines.push(line) },
});

const confirmation: SendEmailInput = {
  to: 'dp-13000@example.com',
  subject: 'Your order US-2019-103800 is confirmed',
  text: 'Thank you for your order.',
  html: '<p>Thank you for your order.</p>',
  category: 'order-confirmation',
  customArgs: { orderId: 'US-2019-103800' },
};

interface StoredEmail {
  messageId: string;
  from: string;
  to: string[];
  subject?: string;
  text?: string;
  html?: string;
  customArgs: Record<string, string>;
  categories: string[];
}

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/sendgrid/messages`, { method: 'DELETE' });
  await fetch(`${sandbox.url}/_sandbox/sendgrid/faults`, { method: 'DELETE' });
});

function adapter(overrides: { apiKey?: string; baseUrl?: string } = {}): SendGridAdapter {
  return new SendGridAdapter(
    {
      apiKey: overrides.apiKey ?? API_KEY,
      baseUrl: overrides.baseUrl ?? sandbox.url,
      fromEmail: 'orders@shop.example.com',
      fromName: 'Orderflow Shop',
      policy: FAST_POLICY,
    },
    logger,
  );
}

async function storedEmails(to: string): Promise<StoredEmail[]> {
  const response = await fetch(
    `${sandbox.url}/_sandbox/sendgrid/messages?to=${encodeURIComponent(to)}`,
  );
  return ((await response.json()) as { messages: StoredEmail[] }).messages;
}

async function injectFault(fault: { statusCode?: number; delayMs?: number; count?: number }) {
  const response = await fetch(`${sandbox.url}/_sandbox/sendgrid/faults`, {
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

describe('SendGridAdapter.sendEmail', () => {
  it('returns the X-Message-Id of a sent email', async () => {
    const { providerMessageId } = await adapter().sendEmail(confirmation);

    const [stored] = await storedEmails(confirmation.to);
    expect(providerMessageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(stored?.messageId).toBe(providerMessageId);
  });

  it('sends sender, content, category and custom args', async () => {
    await adapter().sendEmail(confirmation);

    const [stored] = await storedEmails(confirmation.to);
    expect(stored?.from).toBe('orders@shop.example.com');
    expect(stored?.subject).toBe(confirmation.subject);
    expect(stored?.text).toBe(confirmation.text);
    expect(stored?.html).toBe(confirmation.html);
    expect(stored?.categories).toEqual(['order-confirmation']);
    expect(stored?.customArgs).toEqual({ orderId: 'US-2019-103800' });
  });

  it('rejects an invalid recipient as final', async () => {
    const error = await sendError(adapter().sendEmail({ ...confirmation, to: 'not-an-address' }));

    expect(error.code).toBe('EMAIL_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('personalizations.0.to.0.email');
  });

  it('rejects a bad API key as final', async () => {
    const error = await sendError(adapter({ apiKey: 'SG.revoked' }).sendEmail(confirmation));

    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('retries server errors and then sends once', async () => {
    await injectFault({ statusCode: 503, count: 2 });

    await adapter().sendEmail(confirmation);

    expect(await storedEmails(confirmation.to)).toHaveLength(1);
  });

  it('reports rate limiting as retryable', async () => {
    await injectFault({ statusCode: 429, count: 3 });

    const error = await sendError(adapter().sendEmail(confirmation));

    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.retryable).toBe(true);
  });

  it('reports a slow response as a retryable timeout', async () => {
    await injectFault({ delayMs: 1_000, count: 3 });

    const error = await sendError(adapter().sendEmail(confirmation));

    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('reports an unreachable host as retryable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const port = typeof address === 'object' && address ? address.port : 0;

    const error = await sendError(
      adapter({ baseUrl: `http://127.0.0.1:${port}` }).sendEmail(confirmation),
    );

    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });

  it('keeps two adapters apart', async () => {
    const other = await startSandbox({ port: 0 });
    try {
      const first = adapter();
      const second = adapter({ baseUrl: other.url });

      await first.sendEmail(confirmation);
      await second.sendEmail({ ...confirmation, to: 'second@example.com' });

      expect(await storedEmails(confirmation.to)).toHaveLength(1);
      expect(await storedEmails('second@example.com')).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('never logs the API key or the whole address', async () => {
    await adapter().sendEmail(confirmation);
    await sendError(adapter({ apiKey: 'SG.revoked' }).sendEmail(confirmation));

    const output = logLines.join('');
    expect(output).toContain('email sent');
    expect(output).toContain(maskEmail(confirmation.to));
    expect(output).not.toContain(API_KEY);
    expect(output).not.toContain(confirmation.to);
  });
});
