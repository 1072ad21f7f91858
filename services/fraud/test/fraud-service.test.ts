import { createEvent, type CheckoutOrder } from '@orderflow/contracts';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { PROVIDER_POLICY_PRESETS, type RunningService } from '@orderflow/service-kit';
import { waitFor } from '@orderflow/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFraudService } from '../src/index.js';
import { ServiceTestBed } from '@orderflow/test-support';

/** Builds an ordinary order: example.com email, no client IP, billed and shipped in the US. */
function ordinaryOrder(orderId: string, customerId = `C-${orderId}`): CheckoutOrder {
  return {
    orderId,
    placedAt: '2019-01-03T10:00:00Z',
    currency: 'USD',
    shipMode: 'Standard Class',
    customer: { id: customerId, email: `${customerId.toLowerCase()}@example.com` },
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
    payment: { paymentMethodId: 'pm_sandbox_4242abcd', billingCountry: 'US' },
  };
}

/** Builds an order with the risky pattern of the replay data: disposable email, Tor exit IP, billed in Nigeria. */
function riskyOrder(orderId: string): CheckoutOrder {
  const order = ordinaryOrder(orderId);
  return {
    ...order,
    customer: { id: `C-${orderId}`, email: `${orderId.toLowerCase()}@mailinator.com` },
    payment: { paymentMethodId: 'pm_sandbox_0005abcd', billingCountry: 'NG' },
    client: { ip: '185.220.101.7' },
  };
}

function orderCreated(order: CheckoutOrder) {
  return createEvent({
    type: 'order.created',
    source: 'test',
    subject: order.orderId,
    data: order,
  });
}

describe('fraud service', () => {
  const bed = new ServiceTestBed('fraud_service', ['order.created'], ['fraud.assessed'], 'fraud');
  let sandbox: RunningSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    await bed.start();
    service = await startFraudService({
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

  async function siftEventCount(orderId: string): Promise<number> {
    const response = await fetch(`${sandbox.url}/_sandbox/sift/events?orderId=${orderId}`);
    const body = (await response.json()) as { events: unknown[] };
    return body.events.length;
  }

  async function injectSiftFault(fault: { statusCode: number; count: number }): Promise<void> {
    const response = await fetch(`${sandbox.url}/_sandbox/sift/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    expect(response.status).toBe(201);
  }

  it('approves an ordinary order', async () => {
    await bed.publish(orderCreated(ordinaryOrder('FR-OK-1')));
    const event = await bed.nextEvent('fraud.assessed', 'FR-OK-1');

    expect(event.data.decision).toBe('approve');
    expect(event.data.providerScore).toBeLessThan(0.3);
    expect(event.data.score).toBe(event.data.providerScore);
    expect(await siftEventCount('FR-OK-1')).toBe(1);

    const response = await fetch(`${service.url}/v1/assessments/FR-OK-1`);
    expect(response.status).toBe(200);
    const view = (await response.json()) as Record<string, unknown>;
    expect(view).toMatchObject({ orderId: 'FR-OK-1', decision: 'approve', localScore: 0 });
  });

  it('blocks a disposable-email Tor order', async () => {
    await bed.publish(orderCreated(riskyOrder('FR-RISK-1')));
    const event = await bed.nextEvent('fraud.assessed', 'FR-RISK-1');

    expect(event.data.decision).toBe('block');
    expect(event.data.score).toBeGreaterThanOrEqual(0.85);
    expect(event.data.providerScore).toBeGreaterThanOrEqual(0.9);
    expect(event.data.reasons).toContain('disposable email domain: mailinator.com');
    expect(event.data.reasons).toContain(
      'billing country differs from shipping country: billing NG, shipping US',
    );
  });

  it('queues a review decision', async () => {
    const order = { ...riskyOrder('FR-REVIEW-1'), client: undefined };
    await bed.publish(orderCreated(order));
    const event = await bed.nextEvent('fraud.assessed', 'FR-REVIEW-1');
    expect(event.data.decision).toBe('review');

    const response = await fetch(`${service.url}/v1/reviews`);
    const body = (await response.json()) as { reviews: Array<{ orderId: string; score: number }> };
    expect(body.reviews.map((review) => review.orderId)).toContain('FR-REVIEW-1');
    expect(body.reviews.map((review) => review.orderId)).not.toContain('FR-RISK-1');
  });

  it('ignores a redelivered order', async () => {
    const first = orderCreated(ordinaryOrder('FR-DUP-1'));
    await bed.publish(first);
    await bed.nextEvent('fraud.assessed', 'FR-DUP-1');

    const sameOrderNewId = orderCreated(ordinaryOrder('FR-DUP-1'));
    await bed.publish(first);
    await bed.publish(sameOrderNewId);
    // Same key, same partition: once the later event is handled, the redelivery was too.
    await bed.handled(sameOrderNewId.id);

    expect(await siftEventCount('FR-DUP-1')).toBe(1);
    expect(await bed.emittedCount('fraud.assessed', 'FR-DUP-1')).toBe(1);
    const counter = await bed.db('velocity_counters').where({ subject_key: 'C-FR-DUP-1' }).first();
    expect(counter?.order_count).toBe(1);
  });

  it('decides on local rules when Sift fails', async () => {
    await injectSiftFault({ statusCode: 503, count: PROVIDER_POLICY_PRESETS.standard.maxAttempts });
    await bed.publish(orderCreated(riskyOrder('FR-FALLBACK-1')));
    const event = await bed.nextEvent('fraud.assessed', 'FR-FALLBACK-1');

    expect(event.data.decision).toBe('block');
    expect(event.data.providerScore).toBeUndefined();
    expect(event.data.reasons).toContain('provider unavailable: local rules only');
    expect(await siftEventCount('FR-FALLBACK-1')).toBe(0);
  });

  it('flags a customer ordering too often', async () => {
    const orders = [1, 2, 3, 4].map((index) => ordinaryOrder(`FR-VEL-${index}`, 'C-VELOCITY'));
    for (const order of orders) await bed.publish(orderCreated(order));
    await waitFor(
      () => orders.every((order) => bed.eventsFor('fraud.assessed', order.orderId).length > 0),
      {
        timeoutMs: 30_000,
        description: 'four assessments',
      },
    );

    const flagged = orders.filter((order) =>
      bed
        .eventsFor('fraud.assessed', order.orderId)[0]!
        .data.reasons.some((reason) => reason.startsWith('too many orders by this customer')),
    );
    expect(flagged).toHaveLength(1);
  });
});
