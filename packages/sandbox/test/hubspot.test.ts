import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { HUBSPOT_SANDBOX_ACCESS_TOKEN } from '../src/providers/hubspot.js';

interface CrmObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

interface ErrorBody {
  status: string;
  message: string;
  correlationId: string;
  category: string;
  errors?: { code: string; context: { propertyName: string[] } }[];
}

interface SearchBody {
  total: number;
  results: CrmObject[];
  paging?: { next: { after: string } };
}

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

async function call<T = CrmObject>(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = HUBSPOT_SANDBOX_ACCESS_TOKEN,
): Promise<{ status: number; body: T & ErrorBody }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T & ErrorBody };
}

function createContact(properties: Record<string, unknown>) {
  return call('POST', '/crm/v3/objects/contacts', { properties });
}

function createDeal(properties: Record<string, unknown>) {
  return call('POST', '/crm/v3/objects/deals', {
    properties: { dealname: 'Order X', dealstage: 'contractsent', ...properties },
  });
}

function search(type: string, body: unknown) {
  return call<SearchBody>('POST', `/crm/v3/objects/${type}/search`, body);
}

function eq(propertyName: string, value: string) {
  return { filterGroups: [{ filters: [{ propertyName, operator: 'EQ', value }] }] };
}

describe('HubSpot contacts', () => {
  it('creates a contact with string properties', async () => {
    const { status, body } = await createContact({
      email: 'New@Example.com',
      firstname: 'Dana',
      orderflow_customer_id: 7,
    });

    expect(status).toBe(201);
    expect(body.id).toMatch(/^\d+$/);
    expect(body.properties.email).toBe('new@example.com');
    expect(body.properties.orderflow_customer_id).toBe('7');
    expect(body.properties.hs_object_id).toBe(body.id);
    expect(body.properties.lastname).toBeNull();
    expect(body.archived).toBe(false);
    expect(Date.parse(body.createdAt)).not.toBeNaN();
  });

  it('rejects a duplicate email with 409', async () => {
    const first = await createContact({ email: 'dup@example.com' });

    const { status, body } = await createContact({ email: 'DUP@example.com' });

    expect(status).toBe(409);
    expect(body.category).toBe('CONFLICT');
    expect(body.message).toBe(`Contact already exists. Existing ID: ${first.body.id}`);
  });

  it('reads a contact by ID and by email', async () => {
    const created = await createContact({ email: 'read@example.com', phone: '+12025550106' });

    const byId = await call('GET', `/crm/v3/objects/contacts/${created.body.id}?properties=phone`);
    const byEmail = await call('GET', '/crm/v3/objects/contacts/READ@example.com?idProperty=email');

    expect(byId.body.properties.phone).toBe('+12025550106');
    expect(byEmail.body.id).toBe(created.body.id);
    expect(byEmail.body.properties.phone).toBeUndefined();
  });

  it('updates properties and the modification time', async () => {
    const created = await createContact({ email: 'update@example.com', firstname: 'Old' });

    const { status, body } = await call('PATCH', `/crm/v3/objects/contacts/${created.body.id}`, {
      properties: { firstname: 'New' },
    });

    expect(status).toBe(200);
    expect(body.properties.firstname).toBe('New');
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
  });

  it('rejects an update to a taken email', async () => {
    await createContact({ email: 'taken@example.com' });
    const other = await createContact({ email: 'free@example.com' });

    const { status } = await call('PATCH', `/crm/v3/objects/contacts/${other.body.id}`, {
      properties: { email: 'taken@example.com' },
    });

    expect(status).toBe(409);
  });

  it('returns 404 for an unknown contact', async () => {
    const { status, body } = await call('GET', '/crm/v3/objects/contacts/424242');

    expect(status).toBe(404);
    expect(body.category).toBe('OBJECT_NOT_FOUND');
  });

  it.each([
    [
      'an unknown property',
      { favourite_colour: 'red' },
      'PROPERTY_DOESNT_EXIST',
      'favourite_colour',
    ],
    ['a read-only property', { hs_object_id: '1' }, 'READ_ONLY_VALUE', 'hs_object_id'],
    ['an invalid email', { email: 'nobody' }, 'INVALID_EMAIL', 'email'],
    ['an object value', { firstname: { first: 'A' } }, 'INVALID_PROPERTY_VALUE', 'firstname'],
  ])('rejects %s with 400 and its error code', async (_label, properties, code, propertyName) => {
    const { status, body } = await createContact(properties);

    expect(status).toBe(400);
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(body.errors?.[0]?.code).toBe(code);
    expect(body.errors?.[0]?.context.propertyName).toEqual([propertyName]);
  });
});

describe('HubSpot deals', () => {
  it('creates a deal in the default pipeline', async () => {
    const { status, body } = await createDeal({ amount: 16.45, orderflow_order_id: 'US-1' });

    expect(status).toBe(201);
    expect(body.properties.pipeline).toBe('default');
    expect(body.properties.amount).toBe('16.45');
    expect(body.properties.orderflow_order_id).toBe('US-1');
  });

  it.each([
    ['a missing dealname', { dealname: '' }, 'REQUIRED'],
    ['an unknown stage', { dealstage: 'shipped' }, 'INVALID_OPTION'],
    ['an unknown pipeline', { pipeline: 'ecommerce' }, 'INVALID_OPTION'],
    ['a non-numeric amount', { amount: '12,50' }, 'INVALID_DECIMAL'],
  ])('rejects %s with 400', async (_label, properties, code) => {
    const { status, body } = await createDeal(properties);

    expect(status).toBe(400);
    expect(body.errors?.map((error) => error.code)).toContain(code);
  });
});

describe('HubSpot search', () => {
  beforeAll(async () => {
    for (let index = 1; index <= 5; index += 1) {
      await createDeal({
        dealname: `Search ${index}`,
        orderflow_order_id: `SEARCH-${index}`,
        amount: index * 10,
      });
    }
  });

  it('finds a deal by a property, ignoring case', async () => {
    const { status, body } = await search('deals', {
      ...eq('orderflow_order_id', 'search-3'),
      properties: ['orderflow_order_id'],
    });

    expect(status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.results[0]?.properties.orderflow_order_id).toBe('SEARCH-3');
    expect(body.results[0]?.properties.dealname).toBe('Search 3');
  });

  it('joins filters with AND and groups with OR', async () => {
    const { body } = await search('deals', {
      filterGroups: [
        {
          filters: [
            { propertyName: 'amount', operator: 'GTE', value: '20' },
            { propertyName: 'amount', operator: 'LT', value: '40' },
          ],
        },
        { filters: [{ propertyName: 'orderflow_order_id', operator: 'IN', values: ['SEARCH-5'] }] },
      ],
      sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }],
    });

    expect(body.results.map((deal) => deal.properties.amount)).toEqual(['50', '30', '20']);
  });

  it('pages with the after cursor', async () => {
    const filter = {
      filterGroups: [
        { filters: [{ propertyName: 'dealname', operator: 'CONTAINS_TOKEN', value: 'search' }] },
      ],
    };

    const first = await search('deals', { ...filter, limit: 2 });
    const last = await search('deals', { ...filter, limit: 2, after: '4' });

    expect(first.body.total).toBe(5);
    expect(first.body.results).toHaveLength(2);
    expect(first.body.paging?.next.after).toBe('2');
    expect(last.body.results).toHaveLength(1);
    expect(last.body.paging).toBeUndefined();
  });

  it('matches records without a property', async () => {
    await createContact({ email: 'nophone@example.com' });

    const { body } = await search('contacts', {
      filterGroups: [
        {
          filters: [
            { propertyName: 'email', operator: 'EQ', value: 'nophone@example.com' },
            { propertyName: 'phone', operator: 'NOT_HAS_PROPERTY' },
          ],
        },
      ],
    });

    expect(body.total).toBe(1);
  });

  it.each([
    ['an unknown property', eq('favourite_colour', 'red')],
    [
      'an unknown operator',
      { filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'LIKE', value: '1' }] }] },
    ],
    ['a limit above 200', { limit: 201 }],
    [
      'six filter groups',
      { filterGroups: Array.from({ length: 6 }, () => eq('amount', '1').filterGroups[0]) },
    ],
  ])('rejects %s with 400', async (_label, body) => {
    const { status, body: error } = await search('deals', body);

    expect(status).toBe(400);
    expect(error.category).toBe('VALIDATION_ERROR');
  });

  it('hides records within the index delay', async () => {
    await call('PUT', '/_sandbox/hubspot/settings', { searchIndexDelayMs: 60_000 }, null);
    try {
      await createContact({ email: 'lagging@example.com' });

      const { body } = await search('contacts', eq('email', 'lagging@example.com'));

      expect(body.total).toBe(0);
    } finally {
      await call('PUT', '/_sandbox/hubspot/settings', { searchIndexDelayMs: 0 }, null);
    }
  });
});

interface UpsertBody {
  status: string;
  results: (CrmObject & { new: boolean })[];
  startedAt: string;
  completedAt: string;
}

function upsert(type: string, inputs: unknown[], token?: string | null) {
  return call<UpsertBody>('POST', `/crm/v3/objects/${type}/batch/upsert`, { inputs }, token);
}

function dealInput(orderId: string, properties: Record<string, unknown> = {}) {
  return {
    idProperty: 'orderflow_order_id',
    id: orderId,
    properties: { dealname: `Order ${orderId}`, dealstage: 'contractsent', ...properties },
  };
}

async function storedDeals(orderId: string) {
  const response = await fetch(`${sandbox.url}/_sandbox/hubspot/deals`);
  const { deals } = (await response.json()) as {
    deals: { id: string; properties: Record<string, string> }[];
  };
  return deals.filter((deal) => deal.properties.orderflow_order_id === orderId);
}

describe('HubSpot batch upsert', () => {
  it('creates a deal with its unique property', async () => {
    const { status, body } = await upsert('deals', [dealInput('UP-1', { amount: 12.5 })]);

    expect(status).toBe(200);
    expect(body.status).toBe('COMPLETE');
    expect(Date.parse(body.startedAt)).not.toBeNaN();
    expect(Date.parse(body.completedAt)).not.toBeNaN();
    expect(body.results).toHaveLength(1);
    const [deal] = body.results;
    expect(deal?.new).toBe(true);
    expect(deal?.id).toMatch(/^\d+$/);
    expect(deal?.properties.orderflow_order_id).toBe('UP-1');
    expect(deal?.properties.amount).toBe('12.5');
    expect(deal?.properties.pipeline).toBe('default');
    expect(deal?.archived).toBe(false);
  });

  it('updates the deal that has the value', async () => {
    const first = await upsert('deals', [dealInput('UP-2')]);

    const second = await upsert('deals', [dealInput('UP-2', { dealstage: 'closedwon' })]);

    expect(second.status).toBe(200);
    expect(second.body.results[0]?.new).toBe(false);
    expect(second.body.results[0]?.id).toBe(first.body.results[0]?.id);
    const deals = await storedDeals('UP-2');
    expect(deals).toHaveLength(1);
    expect(deals[0]?.properties.dealstage).toBe('closedwon');
  });

  it('finds a deal the search index lacks', async () => {
    await call('PUT', '/_sandbox/hubspot/settings', { searchIndexDelayMs: 60_000 }, null);
    try {
      const first = await upsert('deals', [dealInput('UP-LAG')]);
      const found = await search('deals', eq('orderflow_order_id', 'UP-LAG'));

      const second = await upsert('deals', [dealInput('UP-LAG', { amount: 9 })]);

      expect(first.body.results[0]?.new).toBe(true);
      expect(found.body.total).toBe(0);
      expect(second.body.results[0]?.new).toBe(false);
      expect(second.body.results[0]?.id).toBe(first.body.results[0]?.id);
      expect(await storedDeals('UP-LAG')).toHaveLength(1);
    } finally {
      await call('PUT', '/_sandbox/hubspot/settings', { searchIndexDelayMs: 0 }, null);
    }
  });

  it('needs create-only properties only for new records', async () => {
    await upsert('deals', [dealInput('UP-3')]);

    const update = await upsert('deals', [
      { idProperty: 'orderflow_order_id', id: 'UP-3', properties: { amount: 30 } },
    ]);
    const create = await upsert('deals', [
      { idProperty: 'orderflow_order_id', id: 'UP-4', properties: { amount: 40 } },
    ]);

    expect(update.status).toBe(200);
    expect(update.body.results[0]?.properties.amount).toBe('30');
    expect(create.status).toBe(400);
    expect(create.body.errors?.map((error) => error.code)).toEqual(['REQUIRED', 'REQUIRED']);
    expect(await storedDeals('UP-4')).toHaveLength(0);
  });

  it('matches a contact email ignoring case', async () => {
    const existing = await createContact({ email: 'upsert@example.com' });

    const { status, body } = await upsert('contacts', [
      { idProperty: 'email', id: 'UPSERT@Example.com', properties: { firstname: 'Uma' } },
    ]);

    expect(status).toBe(200);
    expect(body.results[0]?.new).toBe(false);
    expect(body.results[0]?.id).toBe(existing.body.id);
    expect(body.results[0]?.properties.firstname).toBe('Uma');
  });

  it('creates several records in input order', async () => {
    const { status, body } = await upsert('deals', [dealInput('UP-5'), dealInput('UP-6')]);

    expect(status).toBe(200);
    expect(body.results.map((deal) => deal.properties.orderflow_order_id)).toEqual([
      'UP-5',
      'UP-6',
    ]);
    expect(body.results.map((deal) => deal.new)).toEqual([true, true]);
  });

  it('rejects a non-unique idProperty', async () => {
    const { status, body } = await upsert('deals', [
      { idProperty: 'dealname', id: 'Order UP-7', properties: { dealstage: 'contractsent' } },
    ]);

    expect(status).toBe(400);
    expect(body.status).toBe('error');
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(body.message).toMatch(
      /^Unable to perform update\/upsert by non-unique 0-3 property dealname in portal ID \d+$/,
    );
    expect(body.correlationId).toBeTruthy();
  });

  it.each([
    ['no inputs', []],
    ['101 inputs', Array.from({ length: 101 }, (_, index) => dealInput(`UP-MANY-${index}`))],
    ['a missing idProperty', [{ id: 'UP-8', properties: { dealname: 'Order UP-8' } }]],
    ['an empty id', [dealInput('')]],
    ['missing properties', [{ idProperty: 'orderflow_order_id', id: 'UP-9' }]],
    ['a different id in properties', [dealInput('UP-10', { orderflow_order_id: 'UP-11' })]],
    ['a repeated id', [dealInput('UP-12'), dealInput('UP-12')]],
    [
      'an invalid input after a valid one',
      [dealInput('UP-13'), dealInput('UP-14', { dealstage: 'shipped' })],
    ],
  ])('rejects %s without writing', async (_label, inputs) => {
    const before = (await fetch(`${sandbox.url}/_sandbox/hubspot/deals`).then((response) =>
      response.json(),
    )) as { deals: unknown[] };

    const { status, body } = await upsert('deals', inputs);

    const after = (await fetch(`${sandbox.url}/_sandbox/hubspot/deals`).then((response) =>
      response.json(),
    )) as { deals: unknown[] };
    expect(status).toBe(400);
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(after.deals).toHaveLength(before.deals.length);
  });

  it('rejects a request without a token', async () => {
    const { status, body } = await upsert('deals', [dealInput('UP-15')], null);

    expect(status).toBe(401);
    expect(body.category).toBe('INVALID_AUTHENTICATION');
    expect(await storedDeals('UP-15')).toHaveLength(0);
  });

  it('applies injected faults', async () => {
    await call('POST', '/_sandbox/hubspot/faults', { statusCode: 503, count: 1 }, null);

    const failed = await upsert('deals', [dealInput('UP-16')]);
    const retried = await upsert('deals', [dealInput('UP-16')]);

    expect(failed.status).toBe(503);
    expect(failed.body.category).toBe('INTERNAL_ERROR');
    expect(retried.status).toBe(200);
    expect(retried.body.results[0]?.new).toBe(true);
  });
});

describe('HubSpot associations', () => {
  it('associates deal and contact both ways', async () => {
    const contact = await createContact({ email: 'assoc@example.com' });
    const deal = await createDeal({ orderflow_order_id: 'ASSOC-1' });

    const { status, body } = await call<{ status: string; results: Record<string, unknown>[] }>(
      'PUT',
      `/crm/v4/objects/deals/${deal.body.id}/associations/default/contacts/${contact.body.id}`,
    );
    const fromContact = await call<{ results: { toObjectId: number }[] }>(
      'GET',
      `/crm/v4/objects/contacts/${contact.body.id}/associations/deals`,
    );

    expect(status).toBe(200);
    expect(body.status).toBe('COMPLETE');
    expect(body.results[0]).toEqual({
      from: { id: deal.body.id },
      to: { id: contact.body.id },
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 },
    });
    expect(fromContact.body.results.map((result) => result.toObjectId)).toEqual([
      Number(deal.body.id),
    ]);
  });

  it('returns 404 for an unknown contact', async () => {
    const deal = await createDeal({ orderflow_order_id: 'ASSOC-2' });

    const { status, body } = await call(
      'PUT',
      `/crm/v4/objects/deals/${deal.body.id}/associations/default/contacts/999999`,
    );

    expect(status).toBe(404);
    expect(body.category).toBe('OBJECT_NOT_FOUND');
  });

  it('lists deals with their contacts', async () => {
    const contact = await createContact({ email: 'inspect@example.com' });
    const deal = await createDeal({ orderflow_order_id: 'INSPECT-1' });
    await call(
      'PUT',
      `/crm/v4/objects/deals/${deal.body.id}/associations/default/contacts/${contact.body.id}`,
    );

    const response = await fetch(`${sandbox.url}/_sandbox/hubspot/deals`);
    const { deals } = (await response.json()) as {
      deals: { id: string; associatedIds: string[] }[];
    };

    expect(deals.find((candidate) => candidate.id === deal.body.id)?.associatedIds).toEqual([
      contact.body.id,
    ]);
  });
});

describe('HubSpot authentication', () => {
  it.each([
    ['no token', null],
    ['a malformed token', 'pat-na1-123'],
    [
      'an OAuth-looking token',
      'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4',
    ],
  ])('rejects %s with 401', async (_label, token) => {
    const { status, body } = await call('GET', '/crm/v3/objects/contacts/1', undefined, token);

    expect(status).toBe(401);
    expect(body.category).toBe('INVALID_AUTHENTICATION');
  });
});
