import { randomUUID } from 'node:crypto';
import type { CheckoutOrder, EventData } from '@orderflow/contracts';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import type { RunningService } from '@orderflow/service-kit';
import { SERVICE_TEST_WAIT_MS, ServiceTestBed, waitFor } from '@orderflow/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrmSyncService } from '../src/index.js';

/** A HubSpot record as the sandbox's inspection routes return it. */
interface InspectedRecord {
  id: string;
  properties: Record<string, string>;
  associatedIds: string[];
}

/** Creates the test bed of one describe block, with the service's topics and group. */
function crmSyncTestBed(): ServiceTestBed {
  return new ServiceTestBed(
    'crm_sync',
    ['order.created', 'payment.captured'],
    ['crm.synced'],
    'crm-sync',
  );
}

/** Starts the service in-process against the bed's topics and database and the sandbox. */
function startService(bed: ServiceTestBed, sandbox: RunningSandbox): Promise<RunningService> {
  return startCrmSyncService({
    env: bed.serviceEnv({ SANDBOX_URL: sandbox.url }),
    ownsProcess: false,
    tracing: false,
  });
}

/** Returns a valid checkout order with a fresh order id and customer. */
function checkoutOrder(): CheckoutOrder {
  const orderId = `H-${randomUUID().slice(0, 8)}`;
  return {
    orderId,
    placedAt: '2019-01-03T00:00:00Z',
    currency: 'USD',
    shipMode: 'Standard Class',
    customer: {
      id: `C-${orderId}`,
      email: `${orderId.toLowerCase()}@example.com`,
      phone: '+12025550106',
      segment: 'Corporate',
    },
    shipTo: {
      street: '798 Hillcrest Road',
      city: 'Houston',
      region: 'TX',
      postalCode: '77095',
      country: 'US',
    },
    lines: [
      {
        productId: 'OFF-PA-10000174',
        name: 'Message Book',
        quantity: 2,
        discountRate: 0.2,
        lineTotalMinor: 1645,
      },
    ],
    totals: { subtotalMinor: 1645 },
    payment: { paymentMethodId: 'pm_sandbox_4242abcd' },
  };
}

function captured(orderId: string, amountMinor = 2193): EventData<'payment.captured'> {
  return {
    orderId,
    paymentIntentId: `pi_${orderId}`,
    amountMinor,
    currency: 'USD',
    capturedAt: '2019-01-03T00:05:00Z',
  };
}

/** Records of one HubSpot object type in the sandbox. */
async function hubSpotRecords(
  sandbox: RunningSandbox,
  kind: 'deals' | 'contacts',
): Promise<InspectedRecord[]> {
  const response = await fetch(`${sandbox.url}/_sandbox/hubspot/${kind}`);
  const body = (await response.json()) as Record<string, InspectedRecord[]>;
  return body[kind] ?? [];
}

async function dealsOf(sandbox: RunningSandbox, orderId: string): Promise<InspectedRecord[]> {
  const deals = await hubSpotRecords(sandbox, 'deals');
  return deals.filter((deal) => deal.properties.orderflow_order_id === orderId);
}

/** Sends a request to the sandbox's HubSpot API with a valid token. */
async function hubSpotRequest(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization: 'Bearer pat-na1-00000000-0000-4000-8000-000000000000',
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Sends a request to a sandbox-only route and fails on an unexpected status. */
async function sandboxControl(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  body: unknown,
  status: number,
): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/hubspot/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== status) {
    throw new Error(`${method} /_sandbox/hubspot/${path} returned ${response.status}`);
  }
}

describe('crm-sync service', () => {
  const bed = crmSyncTestBed();
  let sandbox: RunningSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    await bed.start();
    service = await startService(bed, sandbox);
  });

  afterAll(async () => {
    await service?.stop();
    await bed.stop();
    await sandbox?.close();
  });

  function syncedFor(orderId: string) {
    return bed.eventsFor('crm.synced', orderId);
  }

  async function waitForSynced(orderId: string): Promise<void> {
    await bed.waitForEvents('crm.synced', orderId, 1);
    expect(syncedFor(orderId)).toHaveLength(1);
  }

  it('mirrors a captured order as contact and deal', async () => {
    const order = checkoutOrder();
    await bed.publishNewEvent('order.created', order);
    await bed.publishNewEvent('payment.captured', captured(order.orderId, 2193));
    await waitForSynced(order.orderId);

    const synced = syncedFor(order.orderId)[0]!;
    expect(synced.data.customerId).toBe(order.customer.id);
    expect(synced.data.provider).toBe('hubspot');

    const [deal, ...others] = await dealsOf(sandbox, order.orderId);
    expect(others).toHaveLength(0);
    expect(deal?.id).toBe(synced.data.dealId);
    expect(deal?.properties.amount).toBe('21.93');
    expect(deal?.properties.deal_currency_code).toBe('USD');
    expect(deal?.properties.dealstage).toBe('closedwon');
    expect(deal?.properties.dealname).toBe(`Order ${order.orderId}`);
    expect(deal?.associatedIds).toEqual([synced.data.contactId]);

    const contact = (await hubSpotRecords(sandbox, 'contacts')).find(
      (record) => record.id === synced.data.contactId,
    );
    expect(contact?.properties.email).toBe(order.customer.email);
    expect(contact?.properties.phone).toBe('+12025550106');
    expect(contact?.properties.orderflow_customer_id).toBe(order.customer.id);
    expect(contact?.properties.orderflow_segment).toBe('Corporate');

    const state = await bed.db('sync_state').where({ order_id: order.orderId }).first();
    expect(state?.contact_id).toBe(synced.data.contactId);
    expect(state?.deal_id).toBe(synced.data.dealId);
    expect(state?.contact_created).toBe(true);
    expect(state?.deal_created).toBe(true);
  });

  it('syncs a redelivered capture once', async () => {
    const order = checkoutOrder();
    await bed.publishNewEvent('order.created', order);
    const capture = await bed.publishNewEvent('payment.captured', captured(order.orderId));
    await waitForSynced(order.orderId);

    await bed.publish(capture);
    const repeated = await bed.publishNewEvent('payment.captured', captured(order.orderId));
    // Both captures have the order's key and share a partition, so the service handles the
    // redelivery before the repeated capture.
    await bed.handled(repeated.id);

    expect(await dealsOf(sandbox, order.orderId)).toHaveLength(1);
    expect(await bed.emittedCount('crm.synced', order.orderId)).toBe(1);
    expect(syncedFor(order.orderId)).toHaveLength(1);
  });

  it('reuses the contact of a returning customer', async () => {
    const first = checkoutOrder();
    const second = checkoutOrder();
    second.customer = { ...first.customer, segment: 'Home Office' };
    for (const order of [first, second]) {
      await bed.publishNewEvent('order.created', order);
      await bed.publishNewEvent('payment.captured', captured(order.orderId));
      await waitForSynced(order.orderId);
    }

    const contactId = syncedFor(first.orderId)[0]!.data.contactId;
    expect(syncedFor(second.orderId)[0]!.data.contactId).toBe(contactId);
    const contact = (await hubSpotRecords(sandbox, 'contacts')).find((c) => c.id === contactId);
    expect(contact?.properties.orderflow_segment).toBe('Home Office');
    expect(contact?.associatedIds).toHaveLength(2);
    const state = await bed.db('sync_state').where({ order_id: second.orderId }).first();
    expect(state?.contact_created).toBe(false);
  });

  it('logs a contact conflict and keeps the existing contact', async () => {
    const order = checkoutOrder();
    // The sandbox keeps new records out of searches for a minute, like HubSpot's search index
    // before it catches up. The service's search then misses the contact and its create gets 409.
    await sandboxControl(sandbox, 'PUT', 'settings', { searchIndexDelayMs: 60_000 }, 200);
    try {
      const response = await hubSpotRequest(sandbox, 'POST', '/crm/v3/objects/contacts', {
        properties: { email: order.customer.email, orderflow_customer_id: 'LEGACY-7' },
      });
      const existing = (await response.json()) as { id: string };
      await bed.publishNewEvent('order.created', order);
      await bed.publishNewEvent('payment.captured', captured(order.orderId));
      await waitForSynced(order.orderId);

      expect(syncedFor(order.orderId)[0]!.data.contactId).toBe(existing.id);
      const conflicts = await bed.db('conflict_log').where({ order_id: order.orderId });
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]?.object_type).toBe('contact');
      expect(conflicts[0]?.object_id).toBe(existing.id);
      expect(conflicts[0]?.resolution).toBe('updated_existing');
      expect(conflicts[0]?.differences).toEqual([
        {
          property: 'orderflow_customer_id',
          existingValue: 'LEGACY-7',
          incomingValue: order.customer.id,
        },
      ]);
      const contact = (await hubSpotRecords(sandbox, 'contacts')).find((c) => c.id === existing.id);
      expect(contact?.properties.orderflow_customer_id).toBe(order.customer.id);

      const view = await fetch(`${service.url}/v1/sync/${order.orderId}`);
      const body = (await view.json()) as { conflicts: { properties: string[] }[] };
      expect(body.conflicts.map((conflict) => conflict.properties)).toEqual([
        ['orderflow_customer_id'],
      ]);
    } finally {
      await sandboxControl(sandbox, 'PUT', 'settings', { searchIndexDelayMs: 0 }, 200);
    }
  });

  it('retries the event when HubSpot fails', async () => {
    const order = checkoutOrder();
    await bed.publishNewEvent('order.created', order);
    await waitFor(
      async () =>
        (await bed.db('customer_snapshots').where({ order_id: order.orderId })).length === 1,
      { timeoutMs: SERVICE_TEST_WAIT_MS, description: 'customer snapshot stored' },
    );
    // Three 503s use up the client's three attempts, so the consumer retries the event.
    await sandboxControl(sandbox, 'POST', 'faults', { statusCode: 503, count: 3 }, 201);
    await bed.publishNewEvent('payment.captured', captured(order.orderId));
    await waitForSynced(order.orderId);

    expect(await dealsOf(sandbox, order.orderId)).toHaveLength(1);
    const contacts = (await hubSpotRecords(sandbox, 'contacts')).filter(
      (contact) => contact.properties.email === order.customer.email,
    );
    expect(contacts).toHaveLength(1);
  });

  it('shows the sync state of an order', async () => {
    const order = checkoutOrder();
    await bed.publishNewEvent('order.created', order);
    await waitFor(
      async () => (await fetch(`${service.url}/v1/sync/${order.orderId}`)).status === 200,
      { timeoutMs: SERVICE_TEST_WAIT_MS, description: 'pending sync visible' },
    );
    const pending = (await (
      await fetch(`${service.url}/v1/sync/${order.orderId}`)
    ).json()) as Record<string, unknown>;
    expect(pending.status).toBe('pending');
    expect(pending.dealId).toBeNull();

    await bed.publishNewEvent('payment.captured', captured(order.orderId));
    await waitForSynced(order.orderId);
    const synced = (await (
      await fetch(`${service.url}/v1/sync/${order.orderId}`)
    ).json()) as Record<string, unknown>;
    expect(synced.status).toBe('synced');
    expect(synced.customerId).toBe(order.customer.id);
    expect(synced.dealId).toBe(syncedFor(order.orderId)[0]!.data.dealId);
    expect(synced.conflicts).toEqual([]);
    expect(JSON.stringify(synced)).not.toContain(order.customer.email);
  });

  it('returns 404 for an unknown order', async () => {
    const response = await fetch(`${service.url}/v1/sync/UNKNOWN-1`);
    expect(response.status).toBe(404);
  });
});

describe('crm-sync service started after its input', () => {
  const bed = crmSyncTestBed();
  let sandbox: RunningSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    await bed.start();
  });

  afterAll(async () => {
    await service?.stop();
    await bed.stop();
    await sandbox?.close();
  });

  it('defers an early capture until the customer is stored', async () => {
    const order = checkoutOrder();
    service = await startService(bed, sandbox);
    const capture = await bed.publishNewEvent('payment.captured', captured(order.orderId));
    // The order is not published yet, so the service defers the capture.
    await bed.handled(capture.id);
    expect(await bed.isDeferred(capture.id)).toBe(true);
    await bed.publishNewEvent('order.created', order);

    await bed.waitForEvents('crm.synced', order.orderId, 1);
    expect(bed.eventsFor('crm.synced', order.orderId)).toHaveLength(1);
    expect(await dealsOf(sandbox, order.orderId)).toHaveLength(1);
    expect(await bed.isDeferred(capture.id)).toBe(false);
  });
});
