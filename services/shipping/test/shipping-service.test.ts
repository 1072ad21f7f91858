import { createEvent, type CheckoutOrder } from '@orderflow/contracts';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { PROVIDER_POLICY_PRESETS, type RunningService } from '@orderflow/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShippingService } from '../src/index.js';
import { CONSUMER_RETRY_DEFAULTS } from '@orderflow/messaging';
import {
  SERVICE_TEST_WAIT_MS,
  ServiceTestBed,
  topicEndOffsets,
  waitFor,
} from '@orderflow/test-support';

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

/**
 * Builds a US order of 16 lines of 10,000 chairs each, the maximum quantity of a line. At 7 chairs
 * a parcel the chairs fill 22,858 parcels, far more than one parcel shipment may contain.
 */
function freightOrder(orderId: string): CheckoutOrder {
  const lines = Array.from({ length: 16 }, (_, index) => ({
    productId: `FUR-CH-${10_000_000 + index}`,
    name: 'Chair',
    category: 'Furniture',
    quantity: 10_000,
    discountRate: 0,
    lineTotalMinor: 1_000_000,
  }));
  return { ...usOrder(orderId), lines, totals: { subtotalMinor: 16_000_000 } };
}

/** Builds a US order of one line of chairs, 7 of which fill a parcel. */
function chairOrder(orderId: string, chairs: number): CheckoutOrder {
  const line = {
    productId: 'FUR-CH-10002024',
    name: 'Chair',
    category: 'Furniture',
    quantity: chairs,
    discountRate: 0,
    lineTotalMinor: chairs * 10_000,
  };
  return { ...usOrder(orderId), lines: [line], totals: { subtotalMinor: chairs * 10_000 } };
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
    [
      'shipment.address_verified',
      'shipment.address_rejected',
      'shipment.freight_required',
      'shipment.label_created',
    ],
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

  interface SandboxShipment {
    id: string;
    tracking_code: string | null;
    postage_label: object | null;
  }

  /** Returns every EasyPost shipment that the sandbox created for the order, bought or not. */
  async function sandboxShipments(orderId: string): Promise<SandboxShipment[]> {
    const response = await fetch(`${sandbox.url}/_sandbox/easypost/shipments?reference=${orderId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { shipments: SandboxShipment[] }).shipments;
  }

  /** Returns how often the consumer retried a `payment.captured` event, from `/metrics`. */
  async function retriedCaptures(): Promise<number> {
    const response = await fetch(`${service.url}/metrics`);
    const line = (await response.text())
      .split('\n')
      .find(
        (candidate) =>
          candidate.startsWith('orderflow_consumer_events_total{') &&
          candidate.includes('type="payment.captured"') &&
          candidate.includes('outcome="retried"'),
      );
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  /**
   * Makes the first commit that marks the order's shipment `label_purchased` fail. A deferred
   * constraint trigger raises at COMMIT, after the labels were bought and the event was written
   * to the outbox. Returns a function that reads how many such commits were tried, which a
   * sequence counts because `nextval` survives the rollback.
   */
  async function failFirstLabelCommit(orderId: string): Promise<() => Promise<number>> {
    if (!/^[A-Z0-9-]+$/.test(orderId))
      throw new Error(
        `order id ${orderId} must contain only A-Z, 0-9 and "-", because it is written into SQL`,
      );
    const suffix = orderId.toLowerCase().replaceAll('-', '_');
    const sequence = `label_commits_${suffix}`;
    await bed.db.raw(`
      CREATE OR REPLACE FUNCTION fail_first_label_commit() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval(TG_ARGV[0]::regclass) = 1 THEN
          RAISE EXCEPTION 'test trigger: the first label commit of order % fails', NEW.order_id;
        END IF;
        RETURN NULL;
      END $$`);
    await bed.db.raw(`CREATE SEQUENCE ${sequence}`);
    await bed.db.raw(`
      CREATE CONSTRAINT TRIGGER fail_label_commit_${suffix}
      AFTER UPDATE ON shipments DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
      WHEN (NEW.order_id = '${orderId}' AND NEW.status = 'label_purchased')
      EXECUTE FUNCTION fail_first_label_commit('${sequence}')`);
    return async () => {
      const result = (await bed.db.raw(`SELECT last_value FROM ${sequence}`)) as {
        rows: { last_value: string }[];
      };
      return Number(result.rows[0]?.last_value);
    };
  }

  /** Runs `work` while every carrier that `carriers` names fails its label purchases with 503. */
  async function duringOutage(carriers: string[], work: () => Promise<void>): Promise<void> {
    try {
      for (const carrier of carriers) {
        expect(
          await sandboxRequest('POST', '/_sandbox/easypost/carrier-outages', { carrier }),
        ).toBe(201);
      }
      await work();
    } finally {
      await sandboxRequest('DELETE', '/_sandbox/easypost/carrier-outages');
    }
  }

  /**
   * Publishes the order's capture while the named carriers are down, and ends the outage once the
   * consumer has retried the capture more than `retries` times.
   */
  async function captureDuringOutage(
    orderId: string,
    carriers: string[],
    retries = 0,
  ): Promise<void> {
    const retriedBefore = await retriedCaptures();
    await duringOutage(carriers, async () => {
      await bed.publish(paymentCaptured(orderId));
      await waitFor(async () => (await retriedCaptures()) > retriedBefore + retries, {
        timeoutMs: SERVICE_TEST_WAIT_MS,
        description: `more than ${retries} retries of the capture of ${orderId}`,
      });
    });
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

  it('holds a freight order unverified', async () => {
    await bed.publish(orderCreated(freightOrder('SH-FREIGHT-1')));
    const event = await bed.nextEvent('shipment.freight_required', 'SH-FREIGHT-1');

    expect(event.data).toMatchObject({
      orderId: 'SH-FREIGHT-1',
      reason: 'too_many_parcels',
      estimatedWeightOz: 16 * 10_000 * 320,
      parcels: 22_858,
    });
    expect(event.data.customerMessage).toContain('22,858 parcels');
    expect(event.data.customerMessage).toContain('You have not been charged.');
    const view = await shipmentView('SH-FREIGHT-1');
    expect(view).toMatchObject({
      status: 'freight_required',
      addressId: null,
      parcels: [],
      freight: { reason: 'too_many_parcels', customerMessage: event.data.customerMessage },
      label: null,
    });
  });

  it('labels the largest parcel shipment', async () => {
    await bed.publish(orderCreated(chairOrder('SH-PARCELS-100', 700)));
    await bed.nextEvent('shipment.address_verified', 'SH-PARCELS-100');
    await bed.publish(paymentCaptured('SH-PARCELS-100'));
    const event = await bed.nextEvent('shipment.label_created', 'SH-PARCELS-100');

    expect(event.data.parcels).toHaveLength(100);
    expect((await shipmentView('SH-PARCELS-100')).status).toBe('label_purchased');
  });

  it('holds one parcel more for freight', async () => {
    await bed.publish(orderCreated(chairOrder('SH-PARCELS-101', 701)));
    const event = await bed.nextEvent('shipment.freight_required', 'SH-PARCELS-101');

    expect(event.data.parcels).toBe(101);
    expect(event.data.customerMessage).toContain('more than the 100 that one parcel shipment');
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

  /**
   * Captures a verified order whose first label commit fails, checks that the capture was retried
   * once and emitted one label event, and returns that event with the sandbox's shipments.
   */
  async function captureWithFailedLabelCommit(order: CheckoutOrder) {
    const { orderId } = order;
    await bed.publish(orderCreated(order));
    await bed.nextEvent('shipment.address_verified', orderId);
    const labelCommits = await failFirstLabelCommit(orderId);
    const retriedBefore = await retriedCaptures();

    await bed.publish(paymentCaptured(orderId));
    const event = await bed.nextEvent('shipment.label_created', orderId);

    expect(await labelCommits()).toBe(2);
    expect(await retriedCaptures()).toBe(retriedBefore + 1);
    expect(await bed.emittedCount('shipment.label_created', orderId)).toBe(1);
    return { event, shipments: await sandboxShipments(orderId) };
  }

  it('buys one label when the label commit fails', async () => {
    const orderId = 'SH-COMMIT-1';
    const { event, shipments } = await captureWithFailedLabelCommit(usOrder(orderId));

    expect(shipments).toHaveLength(1);
    expect(shipments[0]?.postage_label).not.toBeNull();
    expect(event.data.shipmentId).toBe(shipments[0]?.id);
    expect(event.data.trackingCode).toBe(shipments[0]?.tracking_code);
    const view = await shipmentView(orderId);
    expect(view.label).toMatchObject({ trackingCode: shipments[0]?.tracking_code });
  });

  it('buys one label per parcel when the label commit fails', async () => {
    const { event, shipments } = await captureWithFailedLabelCommit(
      heavyOrder('SH-COMMIT-HEAVY-1'),
    );

    expect(shipments).toHaveLength(HEAVY_PARCEL_WEIGHTS_OZ.length);
    for (const shipment of shipments) expect(shipment.postage_label).not.toBeNull();
    const parcels = event.data.parcels ?? [];
    expect(parcels.map((parcel) => parcel.shipmentId)).toEqual(
      shipments.map((shipment) => shipment.id),
    );
    expect(parcels.map((parcel) => parcel.trackingCode)).toEqual(
      shipments.map((shipment) => shipment.tracking_code),
    );
    expect(event.data.trackingCode).toBe(shipments[0]?.tracking_code);
  });

  it('buys the stored shipment after a failed purchase', async () => {
    const orderId = 'SH-RESUME-1';
    await bed.publish(orderCreated(usOrder(orderId)));
    await bed.nextEvent('shipment.address_verified', orderId);

    // Every carrier fails until the consumer has retried the capture once, so the first attempt
    // stores the shipment and fails to buy it.
    await captureDuringOutage(orderId, ['USPS', 'UPS', 'FedEx']);
    const event = await bed.nextEvent('shipment.label_created', orderId);

    const stored = await bed.db('label_purchases').where({ order_id: orderId }).first();
    expect(stored?.object_type).toBe('Shipment');
    expect(event.data.shipmentId).toBe(stored?.object_id);
    const shipments = await sandboxShipments(orderId);
    expect(shipments.map((shipment) => shipment.id)).toEqual([stored?.object_id]);
    expect(shipments[0]?.tracking_code).toBe(event.data.trackingCode);
  });

  it('replaces a stored purchase that the carrier does not know', async () => {
    const orderId = 'SH-UNKNOWN-PURCHASE-1';
    await bed.publish(orderCreated(usOrder(orderId)));
    await bed.nextEvent('shipment.address_verified', orderId);
    await bed.db('label_purchases').insert({
      order_id: orderId,
      object_type: 'Shipment',
      object_id: 'shp_unknown_to_the_carrier',
    });

    await bed.publish(paymentCaptured(orderId));
    const event = await bed.nextEvent('shipment.label_created', orderId);

    const stored = await bed.db('label_purchases').where({ order_id: orderId }).first();
    expect(stored?.object_id).toBe(event.data.shipmentId);
    const shipments = await sandboxShipments(orderId);
    expect(shipments.map((shipment) => shipment.id)).toEqual([event.data.shipmentId]);
  });

  it('waits out a carrier outage longer than the retry budget', async () => {
    const orderId = 'SH-LONG-OUTAGE-1';
    await bed.publish(orderCreated(usOrder(orderId)));
    await bed.nextEvent('shipment.address_verified', orderId);

    // A failure that is not an outage goes to the dead-letter topic after maxAttempts attempts.
    // An outage keeps the capture waiting, for as long as the carriers are down here.
    await captureDuringOutage(
      orderId,
      ['USPS', 'UPS', 'FedEx'],
      CONSUMER_RETRY_DEFAULTS.maxAttempts,
    );
    const event = await bed.nextEvent('shipment.label_created', orderId);

    expect(event.data.trackingCode).toBeTruthy();
    const deadLetters = await topicEndOffsets(`${bed.prefix}dead-letter.shipping`);
    expect([...deadLetters.values()].every((offset) => offset === 0n)).toBe(true);
  });

  it('buys the stored order after a failed purchase', async () => {
    const orderId = 'SH-RESUME-HEAVY-1';
    await bed.publish(orderCreated(heavyOrder(orderId)));
    await bed.nextEvent('shipment.address_verified', orderId);

    // The sandbox rates orders with UPS and FedEx only, so both fail until the capture was retried.
    await captureDuringOutage(orderId, ['UPS', 'FedEx']);
    const event = await bed.nextEvent('shipment.label_created', orderId);

    const stored = await bed.db('label_purchases').where({ order_id: orderId }).first();
    expect(stored?.object_type).toBe('Order');
    expect(stored?.object_id).toMatch(/^order_/);
    const shipments = await sandboxShipments(orderId);
    expect(shipments).toHaveLength(HEAVY_PARCEL_WEIGHTS_OZ.length);
    const parcels = event.data.parcels ?? [];
    expect(parcels.map((parcel) => parcel.shipmentId)).toEqual(
      shipments.map((shipment) => shipment.id),
    );
    expect(parcels.map((parcel) => parcel.trackingCode)).toEqual(
      shipments.map((shipment) => shipment.tracking_code),
    );
  });
});
