import { createEvent, type CheckoutOrder } from '@orderflow/contracts';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { PROVIDER_POLICY_PRESETS, type RunningService } from '@orderflow/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaxService } from '../src/index.js';
import { ServiceTestBed } from '@orderflow/test-support';

/** Builds an order of two lines shipped to Houston, Texas. */
function texasOrder(orderId: string): CheckoutOrder {
  return {
    orderId,
    placedAt: '2019-01-03T10:00:00Z',
    currency: 'USD',
    shipMode: 'Standard Class',
    customer: { id: `C-${orderId}`, email: 'c-1@example.com' },
    shipTo: {
      name: 'Dana Park',
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
      {
        productId: 'OFF-AR-10001662',
        name: 'Pencil Sharpener',
        quantity: 1,
        discountRate: 0,
        lineTotalMinor: 548,
      },
    ],
    totals: { subtotalMinor: 2193 },
    payment: { paymentMethodId: 'pm_sandbox_4242abcd' },
  };
}

interface AuditRecordRow {
  source: string;
  request: { shipTo: unknown };
  response: { providerError?: { provider: string; code: string } };
  retain_until: Date;
}

function orderCreated(order: CheckoutOrder) {
  return createEvent({
    type: 'order.created',
    source: 'test',
    subject: order.orderId,
    data: order,
  });
}

describe('tax service', () => {
  const bed = new ServiceTestBed('tax_service', ['order.created'], ['tax.calculated'], 'tax');
  let sandbox: RunningSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    await bed.start();
    service = await startTaxService({
      env: bed.serviceEnv({ SANDBOX_URL: sandbox.url }),
      ownsProcess: false,
      tracing: false,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await bed.stop();
    await sandbox?.close();
  });

  async function auditRecords(orderId: string): Promise<AuditRecordRow[]> {
    return bed.db('tax_audit_records').where({ order_id: orderId }).orderBy('id');
  }

  it('calculates tax with the provider', async () => {
    await bed.publish(orderCreated(texasOrder('TX-OK-1')));
    const event = await bed.nextEvent('tax.calculated', 'TX-OK-1');

    expect(event.data.source).toBe('provider');
    expect(event.data.fallbackReason).toBeUndefined();
    expect(event.data.subtotalMinor).toBe(2193);
    expect(event.data.taxMinor).toBeGreaterThan(0);
    expect(event.data.totalMinor).toBe(2193 + event.data.taxMinor);
    expect(event.data.jurisdictions.length).toBeGreaterThan(0);
    const jurisdictionTax = event.data.jurisdictions.reduce((sum, item) => sum + item.taxMinor, 0);
    expect(jurisdictionTax).toBe(event.data.taxMinor);

    const response = await fetch(`${service.url}/v1/tax/TX-OK-1`);
    expect(response.status).toBe(200);
    const view = (await response.json()) as Record<string, unknown>;
    expect(view).toMatchObject({
      orderId: 'TX-OK-1',
      source: 'provider',
      taxMinor: event.data.taxMinor,
    });
  });

  it('keeps personal data out of the audit record', async () => {
    await bed.nextEvent('tax.calculated', 'TX-OK-1');
    const [record] = await auditRecords('TX-OK-1');

    expect(record?.request.shipTo).toEqual({
      city: 'Houston',
      region: 'TX',
      postalCode: '77095',
      country: 'US',
    });
    expect(JSON.stringify(record?.request)).not.toContain('Hillcrest');
    expect(JSON.stringify(record?.request)).not.toContain('C-TX-OK-1');
    expect(JSON.stringify(record?.request)).not.toContain('Dana');
    const retainUntil = record!.retain_until;
    expect(retainUntil.getFullYear() - new Date().getFullYear()).toBe(7);
  });

  it('ignores a redelivered order', async () => {
    const first = orderCreated(texasOrder('TX-DUP-1'));
    await bed.publish(first);
    await bed.nextEvent('tax.calculated', 'TX-DUP-1');

    const sameOrderNewId = orderCreated(texasOrder('TX-DUP-1'));
    await bed.publish(first);
    await bed.publish(sameOrderNewId);
    // Same key, same partition: once the later event is handled, the redelivery was too.
    await bed.handled(sameOrderNewId.id);

    expect(await bed.emittedCount('tax.calculated', 'TX-DUP-1')).toBe(1);
    expect(await auditRecords('TX-DUP-1')).toHaveLength(1);
  });

  it('falls back to stored rates when the provider fails', async () => {
    const fault = { statusCode: 503, count: PROVIDER_POLICY_PRESETS.standard.maxAttempts };
    const injected = await fetch(`${sandbox.url}/_sandbox/avatax/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    expect(injected.status).toBe(201);

    await bed.publish(orderCreated(texasOrder('TX-FALLBACK-1')));
    const event = await bed.nextEvent('tax.calculated', 'TX-FALLBACK-1');

    expect(event.data.source).toBe('fallback_rates');
    // 6.25 % of each line, rounded half up: 102.8125 -> 103 and 34.25 -> 34.
    expect(event.data.taxMinor).toBe(137);
    expect(event.data.totalMinor).toBe(2193 + 137);
    expect(event.data.jurisdictions).toEqual([
      { name: 'TEXAS', type: 'State', rate: 0.0625, taxMinor: 137 },
    ]);
    expect(event.data.fallbackReason).toMatch(/^tax provider failed \(/);
    expect(event.data.fallbackReason).toContain('statewide base rate of TX');
    expect(event.data.transactionCode).toBeUndefined();

    const [record] = await auditRecords('TX-FALLBACK-1');
    expect(record?.source).toBe('fallback_rates');
    expect(record?.response.providerError?.provider).toBe('avatax');
  });
});
