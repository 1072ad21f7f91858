import { createEvent, type CheckoutOrder } from '@orderflow/contracts';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { PROVIDER_POLICY_PRESETS, type RunningService } from '@orderflow/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShippingService } from '../src/index.js';
import { ServiceTestBed } from '@orderflow/test-support';

/** Builds an order shipped to Houston, with one Technology and two Office Supplies items. */
function usOrder(orderId: string): CheckoutOrder {
  return {
    orderId,
    placedAt: '2019-01-03T10:00:00Z',
    currency: 'USD',
    shipMode: 'Standard Class',
    customer: { id: `C-${orderId}`, email: 'c-1@example.com', phone: '+12025550106' },
    shipTo: {
      street: '798 Hillcrest Road',
      city: 'Houston',
      region: 'TX',
      postalCode: '77095',
      country: 'US',
    },
    lines: [
      {
        productId: 'TEC-PH-10003273',
        name: 'Phone',
        category: 'Technology',
        quantity: 1,
        discountRate: 0,
        lineTotalMinor: 10_000,
      },
      {
        productId: 'OFF-PA-10000174',
        name: 'Message Book',
        category: 'Office Supplies',
        quantity: 2,
        discountRate: 0.2,
        lineTotalMinor: 1_645,
      },
    ],
    totals: { subtotalMinor: 11_645 },
    payment: { paymentMethodId: 'pm_sandbox_4242abcd' },
  };
}

/** Builds an order to Toronto with only the first three characters of the postal code. */
function torontoOrder(orderId: string): CheckoutOrder {
  return {
    ...usOrder(orderId),
    currency: 'CAD',
    shipTo: {
      street: '1 Queens Park',
      city: 'Toronto',
      region: 'ON',
      postalCode: 'M7A',
      country: 'CA',
    },
  };
}

/** Builds a US order of 16 chairs and 3 reams, 5,168 oz in all, which ships as three parcels. */
function heavyOrder(orderId: string): CheckoutOrder {
  return {
    ...usOrder(orderId),
    lines: [
      {
        productId: 'FUR-CH-10002024',
        name: 'Chair',
        category: 'Furniture',
        quantity: 16,
        discountRate: 0,
        lineTotalMinor: 160_000,
      },
      {
        productId: 'OFF-PA-10000174',
        name: 'Message Book',
        category: 'Office Supplies',
        quantity: 3,
        discountRate: 0,
        lineTotalMinor: 1_500,
      },
    ],
    totals: { subtotalMinor: 161_500 },
  };
}

/** Parcel weights of `heavyOrder`: 7 chairs and the reams, 7 chairs, then 2 chairs. */
const HEAVY_PARCEL_WEIGHTS_OZ = [7 * 320 + 3 * 16, 7 * 320, 2 * 320];

function orderCreated(order: CheckoutOrder) {
  return createEvent({
    type: 'order.created',
    source: 'test',
    subject: order.orderId,
    data: order,
  });
}

function paymentCaptured(orderId: string) {
  return createEvent({
    type: 'payment.captured',
    source: 'test',
    subject: orderId,
    data: {
      orderId,
      paymentIntentId: `pi_${orderId}`,
      amountMinor: 12_500,
      currency: 'USD',
      capturedAt: '2019-01-03T10:05:00.000Z',
    },
  });
}

describe('shipping service', () => {
  const bed = new ServiceTestBed(
    'shipping_service',
    ['order.created', 'payment.captured'],
    ['shipment.address_verified', 'shipment.address_rejected', 'shipment.label_created'],
    'shipping',
  );
  let sandbox: RunningSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    await bed.start();
    service = await startShippingService({
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

  async function sandboxRequest(method: string, path: string, body?: unknown): Promise<number> {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return response.status;
  }

  async function shipmentView(orderId: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${service.url}/v1/shipments/${orderId}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  it('verifies a US address', async () => {
    await bed.publish(orderCreated(usOrder('SH-US-1')));
    const event = await bed.nextEvent('shipment.address_verified', 'SH-US-1');

    expect(event.data.addressId).toMatch(/^adr_/);
    expect(event.data.country).toBe('US');
    const view = await shipmentView('SH-US-1');
    expect(view.status).toBe('address_verified');
    expect(view.estimatedWeightOz).toBe(48 + 2 * 16);
    expect(view.label).toBeNull();
  });

  it('rejects a three-character Canadian postal code', async () => {
    await bed.publish(orderCreated(torontoOrder('SH-CA-1')));
    const event = await bed.nextEvent('shipment.address_rejected', 'SH-CA-1');

    expect(event.data.field).toBe('shipTo.postalCode');
    expect(event.data.customerMessage).toContain('M7A');
    expect(event.data.customerMessage).toContain('six characters');
    expect(event.data.customerMessage).toContain('You have not been charged.');
    const view = await shipmentView('SH-CA-1');
    expect(view.status).toBe('address_rejected');
  });

  it('buys a label after capture', async () => {
    await bed.publish(orderCreated(usOrder('SH-LABEL-1')));
    await bed.nextEvent('shipment.address_verified', 'SH-LABEL-1');
    await bed.publish(paymentCaptured('SH-LABEL-1'));
    const event = await bed.nextEvent('shipment.label_created', 'SH-LABEL-1');

    expect(event.data.trackingCode).not.toBe('');
    expect(event.data.labelUrl).toMatch(/^http/);
    expect(event.data.rateMinor).toBeGreaterThan(0);
    expect(event.data.currency).toBe('USD');
    const view = await shipmentView('SH-LABEL-1');
    expect(view.status).toBe('label_purchased');
    expect(view.label).toMatchObject({
      shipmentId: event.data.shipmentId,
      trackingCode: event.data.trackingCode,
      carrier: event.data.carrier,
    });
    expect(event.data.parcels).toEqual([
      {
        shipmentId: event.data.shipmentId,
        trackerId: event.data.trackerId,
        trackingCode: event.data.trackingCode,
        weightOz: 48 + 2 * 16,
        labelUrl: event.data.labelUrl,
        rateMinor: event.data.rateMinor,
      },
    ]);
  });

  it('buys one label for a redelivered capture', async () => {
    await bed.publish(orderCreated(usOrder('SH-DUP-1')));
    await bed.nextEvent('shipment.address_verified', 'SH-DUP-1');
    const capture = paymentCaptured('SH-DUP-1');
    await bed.publish(capture);
    const first = await bed.nextEvent('shipment.label_created', 'SH-DUP-1');

    const secondCapture = paymentCaptured('SH-DUP-1');
    await bed.publish(capture);
    await bed.publish(secondCapture);
    // Same key, same partition: once the later capture is handled, the redelivery was too.
    await bed.handled(secondCapture.id);

    expect(await bed.emittedCount('shipment.label_created', 'SH-DUP-1')).toBe(1);
    const view = await shipmentView('SH-DUP-1');
    expect(view.label).toMatchObject({ shipmentId: first.data.shipmentId });
  });

  it('buys one label per parcel for a heavy order', async () => {
    await bed.publish(orderCreated(heavyOrder('SH-HEAVY-1')));
    await bed.nextEvent('shipment.address_verified', 'SH-HEAVY-1');
    await bed.publish(paymentCaptured('SH-HEAVY-1'));
    const event = await bed.nextEvent('shipment.label_created', 'SH-HEAVY-1');
    const parcels = event.data.parcels ?? [];

    expect(parcels.map((parcel) => parcel.weightOz)).toEqual(HEAVY_PARCEL_WEIGHTS_OZ);
    expect(parcels.reduce((total, parcel) => total + parcel.weightOz, 0)).toBe(16 * 320 + 3 * 16);
    expect(new Set(parcels.map((parcel) => parcel.shipmentId)).size).toBe(3);
    expect(new Set(parcels.map((parcel) => parcel.trackingCode)).size).toBe(3);
    expect(parcels[0]?.shipmentId).toBe(event.data.shipmentId);
    expect(parcels[0]?.trackingCode).toBe(event.data.trackingCode);
    expect(parcels[0]?.rateMinor).toBe(event.data.rateMinor);
    expect(['UPS', 'FedEx']).toContain(event.data.carrier);

    const view = await shipmentView('SH-HEAVY-1');
    expect(view.estimatedWeightOz).toBe(16 * 320 + 3 * 16);
    expect(view.parcelWeightOz).toBe(HEAVY_PARCEL_WEIGHTS_OZ[0]);
    expect(view.label).toMatchObject({ shipmentId: event.data.shipmentId });
    expect(view.parcels).toEqual(
      parcels.map((parcel) => ({
        weightOz: parcel.weightOz,
        shipmentId: parcel.shipmentId,
        trackerId: parcel.trackerId ?? null,
        trackingCode: parcel.trackingCode,
        rateMinor: parcel.rateMinor,
        labelUrl: parcel.labelUrl,
      })),
    );
  });

  it('buys no more labels for a redelivered heavy capture', async () => {
    await bed.publish(orderCreated(heavyOrder('SH-HEAVY-DUP-1')));
    await bed.nextEvent('shipment.address_verified', 'SH-HEAVY-DUP-1');
    const capture = paymentCaptured('SH-HEAVY-DUP-1');
    await bed.publish(capture);
    const first = await bed.nextEvent('shipment.label_created', 'SH-HEAVY-DUP-1');
    const viewBefore = await shipmentView('SH-HEAVY-DUP-1');

    const secondCapture = paymentCaptured('SH-HEAVY-DUP-1');
    await bed.publish(capture);
    await bed.publish(secondCapture);
    // Same key, same partition: once the later capture is handled, the redelivery was too.
    await bed.handled(secondCapture.id);

    expect(first.data.parcels).toHaveLength(3);
    expect(await bed.emittedCount('shipment.label_created', 'SH-HEAVY-DUP-1')).toBe(1);
    const viewAfter = await shipmentView('SH-HEAVY-DUP-1');
    expect(viewAfter.parcels).toEqual(viewBefore.parcels);
  });

  it('defers a capture that arrives before its order', async () => {
    const capture = paymentCaptured('SH-EARLY-1');
    await bed.publish(capture);
    // The order is not published yet, so the service defers the capture.
    await bed.handled(capture.id);
    expect(await bed.isDeferred(capture.id)).toBe(true);
    await bed.publish(orderCreated(usOrder('SH-EARLY-1')));
    const label = await bed.nextEvent('shipment.label_created', 'SH-EARLY-1');
    expect(label.data.orderId).toBe('SH-EARLY-1');
    expect(await bed.isDeferred(capture.id)).toBe(false);
  });

  it('retries verification after carrier faults', async () => {
    const faults = { statusCode: 503, count: PROVIDER_POLICY_PRESETS.standard.maxAttempts };
    expect(await sandboxRequest('POST', '/_sandbox/easypost/faults', faults)).toBe(201);
    await bed.publish(orderCreated(usOrder('SH-FAULT-1')));
    const event = await bed.nextEvent('shipment.address_verified', 'SH-FAULT-1');
    expect(event.data.country).toBe('US');
  });

  it('buys from another carrier during an outage', async () => {
    await bed.publish(orderCreated(usOrder('SH-OUTAGE-1')));
    await bed.nextEvent('shipment.address_verified', 'SH-OUTAGE-1');
    expect(
      await sandboxRequest('POST', '/_sandbox/easypost/carrier-outages', { carrier: 'USPS' }),
    ).toBe(201);
    try {
      await bed.publish(paymentCaptured('SH-OUTAGE-1'));
      const event = await bed.nextEvent('shipment.label_created', 'SH-OUTAGE-1');
      expect(event.data.carrier).not.toBe('USPS');
    } finally {
      await sandboxRequest('DELETE', '/_sandbox/easypost/carrier-outages');
    }
  });
});
