import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { SENDGRID_SANDBOX_API_KEY, type SentEmail } from '../src/providers/sendgrid.js';

interface ErrorsBody {
  errors: { message: string; field: string | null; help: string | null }[];
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
});

function mail(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    personalizations: [{ to: [{ email: 'dp-13000@example.com', name: 'D P' }] }],
    from: { email: 'orders@shop.example.com', name: 'Shop' },
    subject: 'Your order is confirmed',
    content: [
      { type: 'text/plain', value: 'Thanks!' },
      { type: 'text/html', value: '<p>Thanks!</p>' },
    ],
    custom_args: { orderId: 'US-2019-103800' },
    categories: ['order-confirmation'],
    ...overrides,
  };
}

async function send(body: unknown, apiKey: string | null = SENDGRID_SANDBOX_API_KEY) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
  const response = await fetch(`${sandbox.url}/v3/mail/send`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { response, text, errors: text ? ((JSON.parse(text) as ErrorsBody).errors ?? []) : [] };
}

async function stored(to?: string): Promise<SentEmail[]> {
  const query = to ? `?to=${encodeURIComponent(to)}` : '';
  const response = await fetch(`${sandbox.url}/_sandbox/sendgrid/messages${query}`);
  return ((await response.json()) as { messages: SentEmail[] }).messages;
}

describe('POST /v3/mail/send', () => {
  it('accepts a valid email with 202', async () => {
    const { response, text } = await send(mail());

    expect(response.status).toBe(202);
    expect(text).toBe('');
    expect(response.headers.get('x-message-id')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('stores the email by recipient', async () => {
    const { response } = await send(mail());

    const [email] = await stored('DP-13000@example.com');
    expect(email?.messageId).toBe(response.headers.get('x-message-id'));
    expect(email?.from).toBe('orders@shop.example.com');
    expect(email?.to).toEqual(['dp-13000@example.com']);
    expect(email?.subject).toBe('Your order is confirmed');
    expect(email?.text).toBe('Thanks!');
    expect(email?.html).toBe('<p>Thanks!</p>');
    expect(email?.customArgs).toEqual({ orderId: 'US-2019-103800' });
    expect(email?.categories).toEqual(['order-confirmation']);
    expect(await stored('someone-else@example.com')).toEqual([]);
  });

  it('stores one email per personalization', async () => {
    await send(
      mail({
        personalizations: [
          { to: [{ email: 'a@example.com' }], custom_args: { recipient: 'a' } },
          { to: [{ email: 'b@example.com' }], cc: [{ email: 'c@example.com' }], subject: 'For B' },
        ],
      }),
    );

    const emails = await stored();
    expect(emails).toHaveLength(2);
    expect(emails[0]?.messageId).toBe(emails[1]?.messageId);
    expect(emails[0]?.customArgs).toEqual({ orderId: 'US-2019-103800', recipient: 'a' });
    expect(emails[1]?.to).toEqual(['b@example.com', 'c@example.com']);
    expect(emails[1]?.subject).toBe('For B');
  });

  it('accepts a template without content', async () => {
    const body = mail({
      subject: undefined,
      content: undefined,
      template_id: 'd-0123456789abcdef0123456789abcdef',
      personalizations: [
        { to: [{ email: 'a@example.com' }], dynamic_template_data: { orderId: 'X-1' } },
      ],
    });

    const { response } = await send(body);

    const [email] = await stored('a@example.com');
    expect(response.status).toBe(202);
    expect(email?.templateId).toBe('d-0123456789abcdef0123456789abcdef');
    expect(email?.dynamicTemplateData).toEqual({ orderId: 'X-1' });
  });

  it('validates without sending in sandbox mode', async () => {
    const { response } = await send(mail({ mail_settings: { sandbox_mode: { enable: true } } }));

    expect(response.status).toBe(200);
    expect(await stored()).toEqual([]);
  });

  it.each([
    ['a missing from', mail({ from: undefined }), 'from'],
    ['an invalid from address', mail({ from: { email: 'shop' } }), 'from.email'],
    ['no personalizations', mail({ personalizations: [] }), 'personalizations'],
    ['a personalization without to', mail({ personalizations: [{}] }), 'personalizations.0.to'],
    [
      'an invalid recipient',
      mail({ personalizations: [{ to: [{ email: 'not an address' }] }] }),
      'personalizations.0.to.0.email',
    ],
    [
      'an invalid bcc',
      mail({ personalizations: [{ to: [{ email: 'a@example.com' }], bcc: [{ email: 'x@' }] }] }),
      'personalizations.0.bcc.0.email',
    ],
    ['a missing subject', mail({ subject: undefined }), 'subject'],
    ['missing content', mail({ content: undefined }), 'content'],
    [
      'an empty content value',
      mail({ content: [{ type: 'text/plain', value: '' }] }),
      'content.0.value',
    ],
    [
      'html before plain text',
      mail({
        content: [
          { type: 'text/html', value: '<p/>' },
          { type: 'text/plain', value: 'x' },
        ],
      }),
      'content',
    ],
    ['an invalid template ID', mail({ template_id: 'welcome' }), 'template_id'],
    ['a numeric custom arg', mail({ custom_args: { orderId: 42 } }), 'custom_args'],
    [
      'eleven categories',
      mail({ categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }),
      'categories',
    ],
    ['an invalid reply_to', mail({ reply_to: { email: 'nobody' } }), 'reply_to.email'],
  ])('rejects %s with 400 on its field', async (_label, body, field) => {
    const { response, errors } = await send(body);

    expect(response.status).toBe(400);
    expect(errors.map((error) => error.field)).toContain(field);
    expect(
      errors.every((error) => error.message.length > 0 && error.help?.startsWith('http')),
    ).toBe(true);
  });

  it('reports every invalid field at once', async () => {
    const { errors } = await send(
      mail({ from: undefined, subject: undefined, content: undefined }),
    );

    expect(errors.map((error) => error.field)).toEqual(['from', 'subject', 'content']);
  });

  it('rejects malformed JSON with 400', async () => {
    const { response, errors } = await send('{"personalizations": [');

    expect(response.status).toBe(400);
    expect(errors).toHaveLength(1);
  });

  it('rejects missing authorization with 401', async () => {
    const { response, errors } = await send(mail(), null);

    expect(response.status).toBe(401);
    expect(errors[0]?.field).toBeNull();
  });

  it('rejects a malformed key with 401', async () => {
    const { response, errors } = await send(mail(), 'sk_live_123');

    expect(response.status).toBe(401);
    expect(errors[0]?.message).toBe(
      'The provided authorization grant is invalid, expired, or revoked',
    );
  });

  it('returns injected 503 in SendGrid shape', async () => {
    await fetch(`${sandbox.url}/_sandbox/sendgrid/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statusCode: 503 }),
    });

    const failed = await send(mail());
    const next = await send(mail());

    expect(failed.response.status).toBe(503);
    expect(failed.errors).toHaveLength(1);
    expect(next.response.status).toBe(202);
    expect(await stored()).toHaveLength(1);
  });
});
