import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { createLogger, PROVIDER_POLICY_PRESETS, ProviderError } from '@orderflow/service-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubSpotClient } from '../src/adapters/providers/hubspot/hubspot-client.js';

/** The sandbox accepts any private app token in HubSpot's `pat-<region>-<uuid>` format. */
const ACCESS_TOKEN = 'pat-na1-11111111-2222-4333-8444-555555555555';

const FAST_POLICY = { ...PROVIDER_POLICY_PRESETS.standard, timeoutMs: 300 };

const logLines: string[] = [];
const logger = createLogger({
  service: 'crm-sync-test',
  level: 'debug',
  destination: { write: (line: string) => void logLines.push(line) },
});

interface InspectedRecord {
  id: string;
  properties: Record<string, string>;
  associatedIds: string[];
}

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/hubspot/faults`, { method: 'DELETE' });
});

function client(accessToken = ACCESS_TOKEN): HubSpotClient {
  return new HubSpotClient({ accessToken, baseUrl: sandbox.url, policy: FAST_POLICY }, logger);
}

async function inspect(kind: 'deals' | 'contacts'): Promise<InspectedRecord[]> {
  const response = await fetch(`${sandbox.url}/_sandbox/hubspot/${kind}`);
  const body = (await response.json()) as Record<string, InspectedRecord[]>;
  return body[kind] ?? [];
}

async function injectFault(fault: { statusCode?: number; delayMs?: number; count?: number }) {
  const response = await fetch(`${sandbox.url}/_sandbox/hubspot/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
}

/** Makes new records appear in searches only after `delayMs`, like HubSpot's lagging index. */
async function setSearchIndexDelay(delayMs: number) {
  const response = await fetch(`${sandbox.url}/_sandbox/hubspot/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ searchIndexDelayMs: delayMs }),
  });
  expect(response.status).toBe(200);
}

/** Sends a HubSpot API request to the sandbox with the test's access token. */
async function hubSpotRequest<T>(method: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return (await response.json()) as T;
}

/**
 * Starts a loopback server that responds to every request with `status` and `body`, for
 * responses that the sandbox never sends.
 */
async function startFixedResponder(status: number, body: unknown): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function callError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('HubSpotClient.upsertContact', () => {
  it('creates a missing contact', async () => {
    const result = await client().upsertContact({
      customerId: 'DP-13000',
      email: 'DP-13000@Example.com',
      phone: '+12025550106',
      segment: 'Consumer',
    });

    const stored = (await inspect('contacts')).find((contact) => contact.id === result.contactId);
    expect(result.created).toBe(true);
    expect(stored?.properties.email).toBe('dp-13000@example.com');
    expect(stored?.properties.orderflow_customer_id).toBe('DP-13000');
    expect(stored?.properties.orderflow_segment).toBe('Consumer');
    expect(stored?.properties.phone).toBe('+12025550106');
  });

  it('updates the contact found by email', async () => {
    const first = await client().upsertContact({
      customerId: 'PO-19195',
      email: 'po-19195@example.com',
    });
    const second = await client().upsertContact({
      customerId: 'PO-19195',
      email: 'po-19195@example.com',
      segment: 'Home Office',
    });

    const stored = (await inspect('contacts')).find((contact) => contact.id === first.contactId);
    expect(second).toEqual({ contactId: first.contactId, created: false });
    expect(stored?.properties.orderflow_segment).toBe('Home Office');
  });

  it('updates the existing contact when create conflicts', async () => {
    await setSearchIndexDelay(60_000);
    try {
      const response = await fetch(`${sandbox.url}/crm/v3/objects/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { email: 'lagging@example.com' } }),
      });
      const existing = (await response.json()) as { id: string };

      const result = await client().upsertContact({
        customerId: 'LAG-1',
        email: 'lagging@example.com',
      });

      const stored = (await inspect('contacts')).find((contact) => contact.id === existing.id);
      expect(result).toEqual({ contactId: existing.id, created: false });
      expect(stored?.properties.orderflow_customer_id).toBe('LAG-1');
    } finally {
      await setSearchIndexDelay(0);
    }
  });

  it('rejects an invalid email as final', async () => {
    const error = await callError(
      client().upsertContact({ customerId: 'X-1', email: 'not-an-email' }),
    );

    expect(error.code).toBe('PROVIDER_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('INVALID_EMAIL');
  });

  it('rejects a bad access token as final', async () => {
    const error = await callError(
      client('pat-wrong').upsertContact({ customerId: 'X-2', email: 'x2@example.com' }),
    );

    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.retryable).toBe(false);
  });
});

describe('HubSpotClient.upsertDeal', () => {
  it('creates a deal associated with the contact', async () => {
    const { contactId } = await client().upsertContact({
      customerId: 'RB-19465',
      email: 'rb-19465@example.com',
    });

    const result = await client().upsertDeal({
      orderId: 'US-2019-152618',
      amountMinor: 58336,
      currency: 'USD',
      stage: 'placed',
      contactId,
    });

    const deal = (await inspect('deals')).find((candidate) => candidate.id === result.dealId);
    expect(result.created).toBe(true);
    expect(deal?.properties.amount).toBe('583.36');
    expect(deal?.properties.deal_currency_code).toBe('USD');
    expect(deal?.properties.dealstage).toBe('contractsent');
    expect(deal?.properties.pipeline).toBe('default');
    expect(deal?.properties.orderflow_order_id).toBe('US-2019-152618');
    expect(deal?.associatedIds).toEqual([contactId]);
  });

  it('updates the deal on a resync', async () => {
    const { contactId } = await client().upsertContact({
      customerId: 'AB-1',
      email: 'ab-1@example.com',
    });
    const input = { orderId: 'CA-2020-1', amountMinor: 1999, currency: 'CAD' as const, contactId };

    const first = await client().upsertDeal({ ...input, stage: 'placed' });
    const second = await client().upsertDeal({ ...input, stage: 'paid' });

    const deals = (await inspect('deals')).filter(
      (deal) => deal.properties.orderflow_order_id === 'CA-2020-1',
    );
    expect(second).toEqual({ dealId: first.dealId, created: false });
    expect(deals).toHaveLength(1);
    expect(deals[0]?.properties.dealstage).toBe('closedwon');
    expect(deals[0]?.associatedIds).toEqual([contactId]);
  });

  it('keeps one deal when a retry misses the search index', async () => {
    const { contactId } = await client().upsertContact({
      customerId: 'LAG-2',
      email: 'lag-2@example.com',
    });
    const input = { orderId: 'LAG-2020-1', amountMinor: 2500, currency: 'USD' as const, contactId };
    await setSearchIndexDelay(60_000);
    try {
      // The upsert goes through, then all three attempts of the association fail, so the first
      // attempt fails after it created the deal.
      await injectFault({ count: 1 });
      await injectFault({ statusCode: 503, count: 3 });
      const failure = await callError(client().upsertDeal({ ...input, stage: 'placed' }));
      const search = await hubSpotRequest<{ total: number }>(
        'POST',
        '/crm/v3/objects/deals/search',
        {
          filterGroups: [
            {
              filters: [
                { propertyName: 'orderflow_order_id', operator: 'EQ', value: input.orderId },
              ],
            },
          ],
        },
      );

      const retry = await client().upsertDeal({ ...input, stage: 'paid' });

      const deals = (await inspect('deals')).filter(
        (deal) => deal.properties.orderflow_order_id === input.orderId,
      );
      expect(failure.retryable).toBe(true);
      expect(search.total).toBe(0);
      expect(retry.created).toBe(false);
      expect(deals).toHaveLength(1);
      expect(deals[0]?.id).toBe(retry.dealId);
      expect(deals[0]?.properties.dealstage).toBe('closedwon');
      expect(deals[0]?.associatedIds).toEqual([contactId]);
    } finally {
      await setSearchIndexDelay(0);
    }
  });

  it('updates a deal that another writer created', async () => {
    const { contactId } = await client().upsertContact({
      customerId: 'EX-1',
      email: 'ex-1@example.com',
    });
    const existing = await hubSpotRequest<{ id: string }>('POST', '/crm/v3/objects/deals', {
      properties: {
        dealname: 'Imported order',
        dealstage: 'appointmentscheduled',
        orderflow_order_id: 'EX-2020-1',
      },
    });

    const result = await client().upsertDeal({
      orderId: 'EX-2020-1',
      amountMinor: 700,
      currency: 'USD',
      stage: 'placed',
      contactId,
    });

    const deal = (await inspect('deals')).find((candidate) => candidate.id === existing.id);
    expect(result).toEqual({ dealId: existing.id, created: false });
    expect(deal?.properties.dealname).toBe('Order EX-2020-1');
    expect(deal?.properties.dealstage).toBe('contractsent');
    expect(deal?.properties.amount).toBe('7.00');
  });

  it('rejects an invalid deal stage as final', async () => {
    const { contactId } = await client().upsertContact({
      customerId: 'ST-1',
      email: 'st-1@example.com',
    });
    const misconfigured = new HubSpotClient(
      {
        accessToken: ACCESS_TOKEN,
        baseUrl: sandbox.url,
        policy: FAST_POLICY,
        dealStageIds: { placed: 'shipped' },
      },
      logger,
    );

    const error = await callError(
      misconfigured.upsertDeal({
        orderId: 'ST-2020-1',
        amountMinor: 100,
        currency: 'USD',
        stage: 'placed',
        contactId,
      }),
    );

    const deals = (await inspect('deals')).filter(
      (deal) => deal.properties.orderflow_order_id === 'ST-2020-1',
    );
    expect(error.code).toBe('PROVIDER_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('INVALID_OPTION on dealstage');
    expect(deals).toHaveLength(0);
  });

  it('rejects a 207 upsert result as final', async () => {
    const responder = await startFixedResponder(207, {
      status: 'COMPLETE',
      results: [],
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'VALIDATION_ERROR',
          message: 'Property values were not valid',
          errors: [{ code: 'INVALID_OPTION', context: { propertyName: ['dealstage'] } }],
          context: {},
        },
      ],
      startedAt: '2024-01-01T00:00:00.000Z',
      completedAt: '2024-01-01T00:00:00.100Z',
    });
    try {
      const remote = new HubSpotClient(
        { accessToken: ACCESS_TOKEN, baseUrl: urlOf(responder), policy: FAST_POLICY },
        logger,
      );

      const error = await callError(
        remote.upsertDeal({
          orderId: 'MS-1',
          amountMinor: 100,
          currency: 'USD',
          stage: 'placed',
          contactId: '101',
        }),
      );

      expect(error.code).toBe('PROVIDER_REJECTED');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('HTTP 207 VALIDATION_ERROR');
      expect(error.message).toContain('INVALID_OPTION on dealstage');
    } finally {
      await new Promise((resolve) => responder.close(resolve));
    }
  });

  it('rejects an upsert result without the new flag', async () => {
    const responder = await startFixedResponder(200, {
      status: 'COMPLETE',
      results: [{ id: '5001', properties: {} }],
      startedAt: '2024-01-01T00:00:00.000Z',
      completedAt: '2024-01-01T00:00:00.100Z',
    });
    try {
      const remote = new HubSpotClient(
        { accessToken: ACCESS_TOKEN, baseUrl: urlOf(responder), policy: FAST_POLICY },
        logger,
      );

      const error = await callError(
        remote.upsertDeal({
          orderId: 'MS-2',
          amountMinor: 100,
          currency: 'USD',
          stage: 'placed',
          contactId: '101',
        }),
      );

      expect(error.code).toBe('PROVIDER_RESPONSE_INVALID');
      expect(error.retryable).toBe(false);
    } finally {
      await new Promise((resolve) => responder.close(resolve));
    }
  });

  it('formats zero-decimal amounts without decimals', async () => {
    const { contactId } = await client().upsertContact({
      customerId: 'JP-1',
      email: 'jp-1@example.com',
    });

    const result = await client().upsertDeal({
      orderId: 'JP-2020-1',
      amountMinor: 1500,
      currency: 'JPY',
      stage: 'placed',
      contactId,
    });

    const deal = (await inspect('deals')).find((candidate) => candidate.id === result.dealId);
    expect(deal?.properties.amount).toBe('1500');
  });

  it('rejects an unknown contact as final', async () => {
    const error = await callError(
      client().upsertDeal({
        orderId: 'US-2020-404',
        amountMinor: 100,
        currency: 'USD',
        stage: 'placed',
        contactId: '999999',
      }),
    );

    expect(error.code).toBe('PROVIDER_REJECTED');
    expect(error.retryable).toBe(false);
  });

  it('retries server errors and then creates one deal', async () => {
    const { contactId } = await client().upsertContact({
      customerId: 'RT-1',
      email: 'rt-1@example.com',
    });
    await injectFault({ statusCode: 502, count: 2 });

    await client().upsertDeal({
      orderId: 'RETRY-1',
      amountMinor: 500,
      currency: 'USD',
      stage: 'placed',
      contactId,
    });

    const deals = (await inspect('deals')).filter(
      (deal) => deal.properties.orderflow_order_id === 'RETRY-1',
    );
    expect(deals).toHaveLength(1);
  });

  it('reports rate limiting as retryable', async () => {
    await injectFault({ statusCode: 429, count: 3 });

    const error = await callError(
      client().upsertContact({ customerId: 'RL-1', email: 'rl-1@example.com' }),
    );

    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.retryable).toBe(true);
  });

  it('reports a slow response as a retryable timeout', async () => {
    await injectFault({ delayMs: 1_000, count: 3 });

    const error = await callError(
      client().upsertContact({ customerId: 'TO-1', email: 'to-1@example.com' }),
    );

    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('never logs the access token or email addresses', async () => {
    await client().upsertContact({ customerId: 'LG-1', email: 'lg-1@example.com' });
    await callError(
      client('pat-wrong').upsertContact({ customerId: 'LG-1', email: 'lg-1@example.com' }),
    );

    const output = logLines.join('');
    expect(output).toContain('contact upserted');
    expect(output).not.toContain(ACCESS_TOKEN);
    expect(output).not.toContain('lg-1@example.com');
  });
});
