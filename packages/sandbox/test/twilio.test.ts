import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { TWILIO_SANDBOX_CREDENTIALS, type MessageResource } from '../src/providers/twilio.js';
import { countSegments, isValidPhoneNumber } from '../src/providers/twilio/message-rules.js';

const { accountSid, authToken, fromNumber } = TWILIO_SANDBOX_CREDENTIALS;
const BASIC_AUTH = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** A response body that is either a message resource or an error, as the status code tells. */
type MessageOrError = Omit<MessageResource, 'status'> &
  Omit<TwilioErrorBody, 'status'> & { status: MessageResource['status'] | number };

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

async function createMessage(
  fields: Record<string, string>,
  options: { account?: string; authorization?: string } = {},
) {
  const response = await fetch(
    `${sandbox.url}/2010-04-01/Accounts/${options.account ?? accountSid}/Messages.json`,
    {
      method: 'POST',
      headers: {
        authorization: options.authorization ?? BASIC_AUTH,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields).toString(),
    },
  );
  return {
    status: response.status,
    body: (await response.json()) as MessageOrError,
  };
}

const valid = { To: '+12025550106', From: fromNumber, Body: 'Your order has shipped.' };

describe('POST /2010-04-01/Accounts/:AccountSid/Messages.json', () => {
  it('creates a queued message resource', async () => {
    const { status, body } = await createMessage(valid);

    expect(status).toBe(201);
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(body.account_sid).toBe(accountSid);
    expect(body.status).toBe('queued');
    expect(body.direction).toBe('outbound-api');
    expect(body.to).toBe('+12025550106');
    expect(body.from).toBe(fromNumber);
    expect(body.body).toBe('Your order has shipped.');
    expect(body.num_segments).toBe('1');
    expect(body.num_media).toBe('0');
    expect(body.api_version).toBe('2010-04-01');
    expect(body.date_created).toMatch(
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(body.uri).toBe(`/2010-04-01/Accounts/${accountSid}/Messages/${body.sid}.json`);
  });

  it('returns the message from the fetch route', async () => {
    const created = await createMessage(valid);

    const response = await fetch(`${sandbox.url}${created.body.uri}`, {
      headers: { authorization: BASIC_AUTH },
    });

    expect(response.status).toBe(200);
    expect(((await response.json()) as MessageResource).sid).toBe(created.body.sid);
  });

  it('lists created messages on the inspection route', async () => {
    await createMessage({ ...valid, To: '+14165550199' });

    const response = await fetch(
      `${sandbox.url}/_sandbox/twilio/messages?to=${encodeURIComponent('+14165550199')}`,
    );
    const { messages } = (await response.json()) as { messages: MessageResource[] };

    expect(messages).toHaveLength(1);
    expect(messages[0]?.to).toBe('+14165550199');
  });

  it('accepts an alphanumeric sender ID', async () => {
    const { status } = await createMessage({ ...valid, From: 'Orderflow' });

    expect(status).toBe(201);
  });

  it.each([
    ['an invalid To', { ...valid, To: '+1202555' }, 21211],
    ['a To without plus sign', { ...valid, To: '2025550106' }, 21211],
    ['a To with area code 0XX', { ...valid, To: '+10255550106' }, 21211],
    ['a missing To', { From: fromNumber, Body: 'x' }, 21604],
    ['a missing From', { To: valid.To, Body: 'x' }, 21603],
    ['a missing Body', { To: valid.To, From: fromNumber }, 21602],
    ['a Body over 1600 characters', { ...valid, Body: 'x'.repeat(1_601) }, 21617],
    ['an invalid From', { ...valid, From: '12' }, 21212],
    ['an invalid StatusCallback', { ...valid, StatusCallback: 'ftp://example.com' }, 21609],
    ['the magic invalid To', { ...valid, To: '+15005550001' }, 21211],
    ['the magic unroutable To', { ...valid, To: '+15005550002' }, 21612],
    ['the magic unsubscribed To', { ...valid, To: '+15005550004' }, 21610],
    ['the magic landline To', { ...valid, To: '+15005550009' }, 21614],
    ['the magic unowned From', { ...valid, From: '+15005550007' }, 21606],
  ])('rejects %s with 400 and code %s', async (_label, fields, code) => {
    const { status, body } = await createMessage(fields);

    expect(status).toBe(400);
    expect(body.code).toBe(code);
    expect(body.status).toBe(400);
    expect(body.more_info).toBe(`https://www.twilio.com/docs/errors/${code}`);
  });

  it('rejects wrong credentials with 20003', async () => {
    const authorization = `Basic ${Buffer.from(`${accountSid}:wrong`).toString('base64')}`;

    const { status, body } = await createMessage(valid, { authorization });

    expect(status).toBe(401);
    expect(body.code).toBe(20003);
  });

  it('rejects another account with 404', async () => {
    const { status, body } = await createMessage(valid, {
      account: 'AC11111111111111111111111111111111',
    });

    expect(status).toBe(404);
    expect(body.code).toBe(20404);
  });

  it('returns injected 429 in Twilio shape', async () => {
    await fetch(`${sandbox.url}/_sandbox/twilio/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statusCode: 429 }),
    });

    const { status, body } = await createMessage(valid);

    expect(status).toBe(429);
    expect(body.code).toBe(20429);
  });
});

describe('SMS rules', () => {
  it.each([
    ['+12025550106', true],
    ['+15005550006', true],
    ['+447700900123', true],
    ['+4915112345678', true],
    ['+1202555010', false],
    ['+11025550106', false],
    ['+12021550106', false],
    ['+0123456789', false],
    ['12025550106', false],
  ])('treats %s as valid: %s', (number, expected) => {
    expect(isValidPhoneNumber(number)).toBe(expected);
  });

  it.each([
    ['empty body', '', 1],
    ['160 GSM characters', 'a'.repeat(160), 1],
    ['161 GSM characters', 'a'.repeat(161), 2],
    ['306 GSM characters', 'a'.repeat(306), 2],
    ['307 GSM characters', 'a'.repeat(307), 3],
    ['80 euro signs', '€'.repeat(80), 1],
    ['81 euro signs', '€'.repeat(81), 2],
    ['70 UCS-2 characters', 'ж'.repeat(70), 1],
    ['71 UCS-2 characters', 'ж'.repeat(71), 2],
    ['135 UCS-2 characters', 'ж'.repeat(135), 3],
  ])('counts segments of %s', (_label, body, segments) => {
    expect(countSegments(body)).toBe(segments);
  });
});
