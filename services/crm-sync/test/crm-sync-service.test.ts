import { waitFor } from '@orderflow/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmSyncHarness, captured, checkoutOrder } from './service-harness.js';

const WAIT = { timeoutMs: 20_000 } as const;

describe('crm-sync service', () => {
  let harness: CrmSyncHarness;

  beforeAll(async () => {
    harness = await CrmSyncHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  async function waitForSynced(orderId: string): Promise<void> {
    await waitFor(() => harness.syncedFor(orderId).length === 1, {
      ...WAIT,
      description: `crm.synced for ${orderId}`,
    });
  }

  it('mirrors a captured order as contact and deal', async () => {
    const order = checkoutOrder();
    await harness.publish('order.created', order);
    await harness.publish('payment.captured', captured(order.orderId, 2193));
    await waitForSynced(order.orderId);

    const synced = harness.syncedFor(order.orderId)[0]!;
    expect(synced.data.customerId).toBe(order.customer.id);
    expect(synced.data.provider).toBe('hubspot');

    const [deal, ...others] = await harness.dealsOf(order.orderId);
    expect(others).toHaveLength(0);
    expect(deal?.id).toBe(synced.data.dealId);
    expect(deal?.properties.amount).toBe('21.93');
    expect(deal?.properties.deal_currency_code).toBe('USD');
    expect(deal?.properties.dealstage).toBe('closedwon');
    expect(deal?.properties.dealname).toBe(`Order ${order.orderId}`);
    expect(deal?.associatedIds).toEqual([synced.data.contactId]);

    const contact = (await harness.hubSpotRecords('contacts')).find(
      (record) => record.id === synced.data.contactId,
    );
    expect(contact?.properties.email).toBe(order.customer.email);
    expect(contact?.properties.phone).toBe('+12025550106');
    expect(contact?.properties.orderflow_customer_id).toBe(order.customer.id);
    expect(contact?.properties.orderflow_segment).toBe('Corporate');

    const state = await harness.db('sync_state').where({ order_id: order.orderId }).first();
    expect(state?.contact_id).toBe(synced.data.contactId);
    expect(state?.deal_id).toBe(synced.data.dealId);
    expect(state?.contact_created).toBe(true);
    expect(state?.deal_created).toBe(true);
  });

  it('syncs a redelivered capture once', async () => {
    const order = checkoutOrder();
    await harness.publish('order.created', order);
    const capture = await harness.publish('payment.captured', captured(order.orderId));
    await waitForSynced(order.orderId);

    const before = await harness.finishedMessages('payment.captured');
    await harness.republish(capture);
    await harness.publish('payment.captured', captured(order.orderId));
    await waitFor(async () => (await harness.finishedMessages('payment.captured')) === before + 2, {
      ...WAIT,
      description: 'redelivered and repeated captures consumed',
    });

    expect(await harness.dealsOf(order.orderId)).toHaveLength(1);
    expect(harness.syncedFor(order.orderId)).toHaveLength(1);
  });

  it('reuses the contact of a returning customer', async () => {
    const first = checkoutOrder();
    const second = checkoutOrder();
    second.customer = { ...first.customer, segment: 'Home Office' };
    for (const order of [first, second]) {
      await harness.publish('order.created', order);
      await harness.publish('payment.captured', captured(order.orderId));
      await waitForSynced(order.orderId);
    }

    const contactId = harness.syncedFor(first.orderId)[0]!.data.contactId;
    expect(harness.syncedFor(second.orderId)[0]!.data.contactId).toBe(contactId);
    const contact = (await harness.hubSpotRecords('contacts')).find((c) => c.id === contactId);
    expect(contact?.properties.orderflow_segment).toBe('Home Office');
    expect(contact?.associatedIds).toHaveLength(2);
    const state = await harness.db('sync_state').where({ order_id: second.orderId }).first();
    expect(state?.contact_created).toBe(false);
  });

  it('logs a contact conflict and keeps the existing contact', async () => {
    const order = checkoutOrder();
    // The sandbox keeps new records out of searches for a minute, like HubSpot's search index
    // before it catches up. The service's search then misses the contact and its create gets 409.
    await harness.sandboxControl('PUT', 'settings', { searchIndexDelayMs: 60_000 }, 200);
    try {
      const response = await harness.hubSpotRequest('POST', '/crm/v3/objects/contacts', {
        properties: { email: order.customer.email, orderflow_customer_id: 'LEGACY-7' },
      });
      const existing = (await response.json()) as { id: string };
      await harness.publish('order.created', order);
      await harness.publish('payment.captured', captured(order.orderId));
      await waitForSynced(order.orderId);

      expect(harness.syncedFor(order.orderId)[0]!.data.contactId).toBe(existing.id);
      const conflicts = await harness.db('conflict_log').where({ order_id: order.orderId });
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
      const contact = (await harness.hubSpotRecords('contacts')).find((c) => c.id === existing.id);
      expect(contact?.properties.orderflow_customer_id).toBe(order.customer.id);

      const view = await fetch(`${harness.service.url}/v1/sync/${order.orderId}`);
      const body = (await view.json()) as { conflicts: { properties: string[] }[] };
      expect(body.conflicts.map((conflict) => conflict.properties)).toEqual([
        ['orderflow_customer_id'],
      ]);
    } finally {
      await harness.sandboxControl('PUT', 'settings', { searchIndexDelayMs: 0 }, 200);
    }
  });

  it('retries the event when HubSpot fails', async () => {
    const order = checkoutOrder();
    await harness.publish('order.created', order);
    await waitFor(
      async () =>
        (await harness.db('customer_snapshots').where({ order_id: order.orderId })).length === 1,
      { ...WAIT, description: 'customer snapshot stored' },
    );
    // Three 503s use up the client's three attempts, so the consumer retries the event.
    await harness.sandboxControl('POST', 'faults', { statusCode: 503, count: 3 }, 201);
    await harness.publish('payment.captured', captured(order.orderId));
    await waitForSynced(order.orderId);

    expect(await harness.dealsOf(order.orderId)).toHaveLength(1);
    const contacts = (await harness.hubSpotRecords('contacts')).filter(
      (contact) => contact.properties.email === order.customer.email,
    );
    expect(contacts).toHaveLength(1);
  });

  it('shows the sync state of an order', async () => {
    const order = checkoutOrder();
    await harness.publish('order.created', order);
    await waitFor(
      async () => (await fetch(`${harness.service.url}/v1/sync/${order.orderId}`)).status === 200,
      { ...WAIT, description: 'pending sync visible' },
    );
    const pending = (await (
      await fetch(`${harness.service.url}/v1/sync/${order.orderId}`)
    ).json()) as Record<string, unknown>;
    expect(pending.status).toBe('pending');
    expect(pending.dealId).toBeNull();

    await harness.publish('payment.captured', captured(order.orderId));
    await waitForSynced(order.orderId);
    const synced = (await (
      await fetch(`${harness.service.url}/v1/sync/${order.orderId}`)
    ).json()) as Record<string, unknown>;
    expect(synced.status).toBe('synced');
    expect(synced.customerId).toBe(order.customer.id);
    expect(synced.dealId).toBe(harness.syncedFor(order.orderId)[0]!.data.dealId);
    expect(synced.conflicts).toEqual([]);
    expect(JSON.stringify(synced)).not.toContain(order.customer.email);
  });

  it('returns 404 for an unknown order', async () => {
    const response = await fetch(`${harness.service.url}/v1/sync/UNKNOWN-1`);
    expect(response.status).toBe(404);
  });
});

describe('crm-sync service started after its input', () => {
  let harness: CrmSyncHarness;

  afterAll(async () => {
    await harness?.stop();
  });

  it('defers an early capture until the customer is stored', async () => {
    harness = await CrmSyncHarness.create();
    const order = checkoutOrder();
    await harness.startService();
    await harness.publish('payment.captured', captured(order.orderId));
    // Give the consumer time to handle and park the capture before the order exists.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await harness.publish('order.created', order);

    await waitFor(() => harness.syncedFor(order.orderId).length === 1, {
      ...WAIT,
      description: 'crm.synced for the early capture',
    });
    expect(await harness.dealsOf(order.orderId)).toHaveLength(1);
  });
});
