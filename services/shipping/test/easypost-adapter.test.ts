import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { ProviderError, createLogger, type ProviderPolicyOptions } from '@orderflow/service-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EasyPostAdapter,
  type EasyPostAdapterConfig,
  type ShippingAddress,
} from '../src/adapters/providers/easypost/easypost-adapter.js';
import { decimalToMinor } from '../src/adapters/providers/easypost/rate-selection.js';

const API_KEY = 'EZTKorderflowadapter';

/** Short limits so that retry and timeout cases finish quickly. */
const TEST_POLICY: ProviderPolicyOptions = {
  timeoutMs: 2_000,
  maxAttempts: 3,
  breakerAfterFailures: 1_000,
  halfOpenAfterMs: 1_000,
  maxConcurrent: 8,
};

const WAREHOUSE: ShippingAddress = {
  name: 'Orderflow Warehouse',
  company: 'Orderflow',
  street: '417 Montgomery St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94104',
  country: 'US',
};

const HOUSTON: ShippingAddress = {
  name: 'Customer',
  street: '798 Hillcrest Road',
  city: 'Houston',
  region: 'TX',
  postalCode: '77095',
  country: 'US',
};

const VANCOUVER: ShippingAddress = {
  street: '800 Robson St',
  city: 'Vancouver',
  region: 'BC',
  postalCode: 'V6Z 3B7',
  country: 'CA',
};

let sandbox: RunningSandbox;
const logLines: string[] = [];
const log = createLogger({
  service: 'shipping-test',
  level: 'debug',
  destination: { write: (line: string) => void logLines.push(line) },
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/easypost/carrier-outages`, { method: 'DELETE' });
  await fetch(`${sandbox.url}/_sandbox/easypost/faults`, { method: 'DELETE' });
});

function adapter(overrides: Partial<EasyPostAdapterConfig> = {}): EasyPostAdapter {
  return new EasyPostAdapter(
    { apiKey: API_KEY, baseUrl: sandbox.url, policy: TEST_POLICY, ...overrides },
    log,
  );
}

async function sandboxPost(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
}

interface SandboxRate {
  id: string;
  carrier: string;
  service: string;
  rate: string;
  delivery_days: number;
}

async function shipmentRates(shipmentId: string): Promise<SandboxRate[]> {
  const response = await fetch(`${sandbox.url}/v2/shipments/${shipmentId}`, {
    headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` },
  });
  const shipment = (await response.json()) as { rates: SandboxRate[] };
  return shipment.rates;
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('EasyPostAdapter.verifyAddress', () => {
  it('returns the address id of a deliverable address', async () => {
    const result = await adapter().verifyAddress(HOUSTON);

    expect(result).toEqual({ verified: true, addressId: expect.stringMatching(/^adr_/) });
  });

  it('explains an incomplete Canadian postal code', async () => {
    const result = await adapter().verifyAddress({
      street: '12 Bay St',
      city: 'Toronto',
      region: 'ON',
      postalCode: 'M7A',
      country: 'CA',
    });

    expect(result).toEqual({
      verified: false,
      field: 'postalCode',
      reason:
        'The postal code M7A is incomplete. A Canadian postal code has six characters, like M7A 1A1.',
    });
  });

  const failures = [
    [
      'a malformed ZIP code',
      { postalCode: '7709' },
      'postalCode',
      'The ZIP code 7709 is not valid. A US ZIP code has five digits, like 94105.',
    ],
    [
      'a ZIP code of another state',
      { region: 'NY' },
      'postalCode',
      'The ZIP code 77095 does not belong to NY. Please check the ZIP code and the state or province.',
    ],
    [
      'a street without a house number',
      { street: 'Hillcrest Road' },
      'street',
      'The street address Hillcrest Road has no house number. Please add it.',
    ],
    [
      'an unknown state',
      { region: 'XX' },
      'region',
      'XX is not a valid state or province code. Please use the two-letter code, like TX or ON.',
    ],
    [
      'an unknown country',
      { country: 'ZZ' },
      'country',
      'We cannot ship to the country ZZ. Please check the country.',
    ],
  ] as const;

  it.each(failures)('explains %s', async (_case, change, field, reason) => {
    const result = await adapter().verifyAddress({ ...HOUSTON, ...change });

    expect(result).toEqual({ verified: false, field, reason });
  });
});

describe('EasyPostAdapter connections', () => {
  it('sends consecutive calls over one kept-alive connection', async () => {
    let connections = 0;
    const countConnection = () => void (connections += 1);
    sandbox.app.server.on('connection', countConnection);
    try {
      const carrier = adapter();
      for (let call = 0; call < 4; call += 1) {
        expect((await carrier.verifyAddress(HOUSTON)).verified).toBe(true);
      }
    } finally {
      sandbox.app.server.off('connection', countConnection);
    }
    expect(connections).toBe(1);
  });
});

describe('EasyPostAdapter.buyLabel', () => {
  it('buys the cheapest ground rate for Standard Class', async () => {
    const label = await adapter().buyLabel({
      orderId: 'US-2019-103800',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      weightOz: 24,
      shipMode: 'Standard Class',
    });

    expect(label.carrier).toBe('USPS');
    expect(label.service).toBe('GroundAdvantage');
    expect(label.currency).toBe('USD');
    expect(label.shipmentId).toMatch(/^shp_/);
    expect(label.trackerId).toMatch(/^trk_/);
    expect(label.trackingCode).toMatch(/^9400\d{18}$/);
    expect(label.labelUrl).toBe(`${sandbox.url}/_sandbox/easypost/labels/${label.shipmentId}.png`);
    const rates = await shipmentRates(label.shipmentId);
    const bought = rates.find((rate) => rate.service === 'GroundAdvantage');
    expect(label.rateMinor).toBe(decimalToMinor(bought?.rate ?? ''));
  });

  it('buys FedEx ground for a heavy Standard Class parcel', async () => {
    const label = await adapter().buyLabel({
      orderId: 'order-heavy',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      weightOz: 480,
      shipMode: 'Standard Class',
    });

    expect(label.carrier).toBe('FedEx');
    expect(label.service).toBe('FEDEX_GROUND');
  });

  const modeRules = [
    ['Second Class', (rate: SandboxRate) => rate.delivery_days <= 3],
    ['First Class', (rate: SandboxRate) => rate.delivery_days <= 2],
  ] as const;

  it.each(modeRules)('buys the cheapest rate allowed for %s', async (shipMode, allowed) => {
    const label = await adapter().buyLabel({
      orderId: 'order-mode',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      weightOz: 40,
      shipMode,
    });
    const rates = await shipmentRates(label.shipmentId);
    const cheapestAllowed = Math.min(
      ...rates.filter(allowed).map((rate) => decimalToMinor(rate.rate)),
    );
    const bought = rates.find(
      (rate) => rate.carrier === label.carrier && rate.service === label.service,
    );

    expect(bought).toBeDefined();
    expect(allowed(bought as SandboxRate)).toBe(true);
    expect(label.rateMinor).toBe(cheapestAllowed);
  });

  it('buys the fastest rate for Same Day', async () => {
    const label = await adapter().buyLabel({
      orderId: 'order-same-day',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      weightOz: 40,
      shipMode: 'Same Day',
    });
    const rates = await shipmentRates(label.shipmentId);
    const fastest = Math.min(...rates.map((rate) => rate.delivery_days));
    const cheapestFastest = Math.min(
      ...rates
        .filter((rate) => rate.delivery_days === fastest)
        .map((rate) => decimalToMinor(rate.rate)),
    );

    expect(label.rateMinor).toBe(cheapestFastest);
  });

  it('buys the fastest rate when no rate meets First Class across the border', async () => {
    const label = await adapter().buyLabel({
      orderId: 'order-canada',
      toAddress: VANCOUVER,
      fromAddress: WAREHOUSE,
      weightOz: 40,
      shipMode: 'First Class',
    });
    const rates = await shipmentRates(label.shipmentId);
    const bought = rates.find(
      (rate) => rate.carrier === label.carrier && rate.service === label.service,
    );

    expect(bought?.delivery_days).toBe(Math.min(...rates.map((rate) => rate.delivery_days)));
    expect(logLines.join('\n')).toContain('easypost has no rate for the ship mode');
  });

  it('ships to an address id from verifyAddress', async () => {
    const verified = await adapter().verifyAddress(HOUSTON);
    if (!verified.verified) throw new Error('expected a verified address');

    const label = await adapter().buyLabel({
      orderId: 'order-by-id',
      toAddressId: verified.addressId,
      fromAddress: WAREHOUSE,
      weightOz: 16,
      shipMode: 'Standard Class',
    });

    expect(label.trackingCode).toBeTruthy();
  });

  it('falls back to the next carrier when one carrier is down', async () => {
    await sandboxPost('/_sandbox/easypost/carrier-outages', { carrier: 'USPS', statusCode: 503 });

    const label = await adapter().buyLabel({
      orderId: 'order-outage',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      weightOz: 24,
      shipMode: 'Standard Class',
    });

    expect(label.carrier).toBe('UPS');
    expect(label.service).toBe('Ground');
    expect(logLines.join('\n')).toContain(
      'easypost label purchase failed, trying the next carrier',
    );
  });

  it('raises a retryable error when every carrier is down', async () => {
    for (const carrier of ['USPS', 'UPS', 'FedEx']) {
      await sandboxPost('/_sandbox/easypost/carrier-outages', { carrier, statusCode: 503 });
    }
    const slowAttempts = { ...TEST_POLICY, maxAttempts: 1 };

    const error = await rejection(
      adapter({ policy: slowAttempts }).buyLabel({
        orderId: 'order-down',
        toAddress: HOUSTON,
        fromAddress: WAREHOUSE,
        weightOz: 24,
        shipMode: 'Standard Class',
      }),
    );

    expect(error.code).toBe('EASYPOST_UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });

  it('raises a final error when the carrier rejects the address', async () => {
    const toronto = {
      street: '12 Bay St',
      city: 'Toronto',
      region: 'ON',
      postalCode: 'M7A',
      country: 'CA',
    };

    const error = await rejection(
      adapter().buyLabel({
        orderId: 'order-m7a',
        toAddress: toronto,
        fromAddress: WAREHOUSE,
        weightOz: 24,
        shipMode: 'Standard Class',
      }),
    );

    expect(error.code).toBe('EASYPOST_REQUEST_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('SHIPMENT.POSTAGE.FAILURE');
  });

  it('raises a final error when no carrier rates the parcel', async () => {
    const error = await rejection(
      adapter().buyLabel({
        orderId: 'order-too-heavy',
        toAddress: HOUSTON,
        fromAddress: WAREHOUSE,
        weightOz: 2_500,
        shipMode: 'Standard Class',
      }),
    );

    expect(error.code).toBe('EASYPOST_NO_RATES');
    expect(error.retryable).toBe(false);
  });

  it('rejects a weight that is not positive before calling EasyPost', async () => {
    const promise = adapter().buyLabel({
      orderId: 'order-zero',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      weightOz: 0,
      shipMode: 'Standard Class',
    });

    await expect(promise).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('returns the label after a lost response', async () => {
    // The first purchase buys the label but responds 504, so the retry finds postage already bought.
    await sandboxPost('/_sandbox/easypost/lost-purchase-responses', { count: 1 });

    const label = await adapter().buyLabel({
      orderId: 'order-lost-answer',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      weightOz: 24,
      shipMode: 'Standard Class',
    });
    const shipment = await fetch(`${sandbox.url}/v2/shipments/${label.shipmentId}`, {
      headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` },
    }).then((response) => response.json() as Promise<{ tracking_code: string }>);

    expect(label.carrier).toBe('USPS');
    expect(label.trackingCode).toBe(shipment.tracking_code);
  });
});

describe('EasyPostAdapter.buyParcelLabels', () => {
  async function storedShipment(
    shipmentId: string,
  ): Promise<{ parcel: { weight: number }; tracking_code: string; selected_rate: SandboxRate }> {
    const response = await fetch(`${sandbox.url}/v2/shipments/${shipmentId}`, {
      headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` },
    });
    return (await response.json()) as {
      parcel: { weight: number };
      tracking_code: string;
      selected_rate: SandboxRate;
    };
  }

  it('buys one label per parcel with one carrier and service', async () => {
    const weights = [2_400, 2_240, 960];
    const labels = await adapter().buyParcelLabels({
      orderId: 'order-parcels',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      parcelWeightsOz: weights,
      shipMode: 'Standard Class',
    });

    expect(labels).toHaveLength(3);
    expect(new Set(labels.map((label) => `${label.carrier} ${label.service}`)).size).toBe(1);
    expect(labels[0]?.carrier).toBe('FedEx');
    expect(labels[0]?.service).toBe('FEDEX_GROUND');
    expect(new Set(labels.map((label) => label.shipmentId)).size).toBe(3);
    for (const [index, label] of labels.entries()) {
      const shipment = await storedShipment(label.shipmentId);
      expect(shipment.parcel.weight).toBe(weights[index]);
      expect(shipment.tracking_code).toBe(label.trackingCode);
      expect(label.rateMinor).toBe(decimalToMinor(shipment.selected_rate.rate));
      expect(label.trackerId).toMatch(/^trk_/);
      expect(label.labelUrl).toBe(
        `${sandbox.url}/_sandbox/easypost/labels/${label.shipmentId}.png`,
      );
    }
  });

  it('buys a single parcel as a shipment', async () => {
    const labels = await adapter().buyParcelLabels({
      orderId: 'order-one-parcel',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      parcelWeightsOz: [24],
      shipMode: 'Standard Class',
    });

    expect(labels).toHaveLength(1);
    expect(labels[0]?.carrier).toBe('USPS');
    expect(labels[0]?.service).toBe('GroundAdvantage');
  });

  it('falls back to the next carrier for an order', async () => {
    await sandboxPost('/_sandbox/easypost/carrier-outages', { carrier: 'FedEx', statusCode: 503 });

    const labels = await adapter().buyParcelLabels({
      orderId: 'order-parcels-outage',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      parcelWeightsOz: [2_400, 480],
      shipMode: 'Standard Class',
    });

    expect(labels.map((label) => label.carrier)).toEqual(['UPS', 'UPS']);
    expect(labels.map((label) => label.service)).toEqual(['Ground', 'Ground']);
  });

  it('returns the order labels after a lost response', async () => {
    await sandboxPost('/_sandbox/easypost/lost-purchase-responses', { count: 1 });

    const labels = await adapter().buyParcelLabels({
      orderId: 'order-parcels-lost',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      parcelWeightsOz: [2_400, 480],
      shipMode: 'Standard Class',
    });

    expect(labels).toHaveLength(2);
    for (const label of labels) {
      const shipment = await storedShipment(label.shipmentId);
      expect(label.carrier).toBe('FedEx');
      expect(label.trackingCode).toBe(shipment.tracking_code);
    }
  });

  it('raises a final error when no service rates every parcel', async () => {
    const error = await rejection(
      adapter().buyParcelLabels({
        orderId: 'order-parcels-too-heavy',
        toAddress: HOUSTON,
        fromAddress: WAREHOUSE,
        parcelWeightsOz: [2_400, 2_500],
        shipMode: 'Standard Class',
      }),
    );

    expect(error.code).toBe('EASYPOST_NO_RATES');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('2400 + 2500 oz');
  });

  it('rejects an empty parcel list before calling EasyPost', async () => {
    const promise = adapter().buyParcelLabels({
      orderId: 'order-no-parcels',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      parcelWeightsOz: [],
      shipMode: 'Standard Class',
    });

    await expect(promise).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('rejects a parcel weight that is not positive', async () => {
    const promise = adapter().buyParcelLabels({
      orderId: 'order-zero-parcel',
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      parcelWeightsOz: [2_400, 0],
      shipMode: 'Standard Class',
    });

    await expect(promise).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('EasyPostAdapter prepared purchases', () => {
  interface ListedShipment {
    id: string;
    tracking_code: string | null;
    postage_label: object | null;
  }

  async function shipmentsOf(reference: string): Promise<ListedShipment[]> {
    const response = await fetch(
      `${sandbox.url}/_sandbox/easypost/shipments?reference=${reference}`,
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { shipments: ListedShipment[] }).shipments;
  }

  function prepare(orderId: string, parcelWeightsOz: number[]) {
    return adapter().preparePurchase({
      orderId,
      toAddress: HOUSTON,
      fromAddress: WAREHOUSE,
      parcelWeightsOz,
      shipMode: 'Standard Class',
    });
  }

  it('prepares a shipment without buying it', async () => {
    const reference = await prepare('order-prepared-shipment', [24]);

    expect(reference.objectType).toBe('Shipment');
    expect(reference.objectId).toMatch(/^shp_/);
    const shipments = await shipmentsOf('order-prepared-shipment');
    expect(shipments.map((shipment) => shipment.id)).toEqual([reference.objectId]);
    expect(shipments[0]?.postage_label).toBeNull();
  });

  it('prepares an order for several parcels', async () => {
    const reference = await prepare('order-prepared-order', [2_400, 480]);

    expect(reference.objectType).toBe('Order');
    expect(reference.objectId).toMatch(/^order_/);
    const shipments = await shipmentsOf('order-prepared-order');
    expect(shipments).toHaveLength(2);
    expect(shipments.filter((shipment) => shipment.postage_label !== null)).toEqual([]);
  });

  it('buys a prepared shipment once', async () => {
    const orderId = 'order-prepared-shipment-twice';
    const reference = await prepare(orderId, [24]);
    const request = { orderId, reference, shipMode: 'Standard Class' } as const;

    const first = await adapter().buyPreparedPurchase(request);
    const second = await adapter().buyPreparedPurchase(request);

    expect(first).toHaveLength(1);
    expect(first[0]?.shipmentId).toBe(reference.objectId);
    expect(second).toEqual(first);
    const shipments = await shipmentsOf(orderId);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]?.tracking_code).toBe(first[0]?.trackingCode);
    expect(logLines.join('\n')).toContain('easypost shipment already bought, returning its label');
  });

  it('buys a prepared order once', async () => {
    const orderId = 'order-prepared-order-twice';
    const reference = await prepare(orderId, [2_400, 480]);
    const request = { orderId, reference, shipMode: 'Standard Class' } as const;

    const first = await adapter().buyPreparedPurchase(request);
    const second = await adapter().buyPreparedPurchase(request);

    expect(first).toHaveLength(2);
    expect(second).toEqual(first);
    const shipments = await shipmentsOf(orderId);
    expect(shipments).toHaveLength(2);
    expect(shipments.map((shipment) => shipment.tracking_code)).toEqual(
      first.map((label) => label.trackingCode),
    );
    expect(logLines.join('\n')).toContain('easypost order already bought, returning its labels');
  });

  it('raises a final error for an order bought in part', async () => {
    const orderId = 'order-prepared-partly-bought';
    const reference = await prepare(orderId, [2_400, 480]);
    const [firstShipment] = await shipmentsOf(orderId);
    const rates = await shipmentRates(firstShipment!.id);
    const bought = await fetch(`${sandbox.url}/v2/shipments/${firstShipment!.id}/buy`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ rate: { id: rates[0]!.id } }),
    });
    expect(bought.status).toBe(200);

    const error = await rejection(
      adapter().buyPreparedPurchase({ orderId, reference, shipMode: 'Standard Class' }),
    );

    expect(error.code).toBe('EASYPOST_ORDER_PARTLY_BOUGHT');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('labels for 1 of its 2 shipments');
  });

  it('raises a final error for a shipment that does not exist', async () => {
    const error = await rejection(
      adapter().buyPreparedPurchase({
        orderId: 'order-prepared-missing',
        reference: { objectType: 'Shipment', objectId: 'shp_missing' },
        shipMode: 'Standard Class',
      }),
    );

    expect(error.code).toBe('CARRIER_PURCHASE_NOT_FOUND');
    expect(error.retryable).toBe(false);
  });

  it('rejects an unknown object type before calling EasyPost', async () => {
    const promise = adapter().buyPreparedPurchase({
      orderId: 'order-prepared-unknown-type',
      reference: { objectType: 'Pickup', objectId: 'pickup_1' },
      shipMode: 'Standard Class',
    });

    await expect(promise).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('EasyPostAdapter faults', () => {
  it('retries a 500 and then succeeds', async () => {
    await sandboxPost('/_sandbox/easypost/faults', { statusCode: 500, count: 1 });

    const result = await adapter().verifyAddress(HOUSTON);

    expect(result.verified).toBe(true);
  });

  it('raises a retryable error after every attempt fails with 429', async () => {
    await sandboxPost('/_sandbox/easypost/faults', {
      statusCode: 429,
      count: TEST_POLICY.maxAttempts,
    });

    const error = await rejection(adapter().verifyAddress(HOUSTON));

    expect(error.code).toBe('EASYPOST_RATE_LIMITED');
    expect(error.retryable).toBe(true);
  });

  it('raises a retryable timeout when EasyPost is slow', async () => {
    await sandboxPost('/_sandbox/easypost/faults', { delayMs: 400, count: 1 });
    const quick = { ...TEST_POLICY, timeoutMs: 100, maxAttempts: 1 };

    const error = await rejection(adapter({ policy: quick }).verifyAddress(HOUSTON));

    expect(error.code).toBe('EASYPOST_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('raises a final error for a production key', async () => {
    const error = await rejection(adapter({ apiKey: 'EZAKproductionkey' }).verifyAddress(HOUSTON));

    expect(error.code).toBe('EASYPOST_AUTHENTICATION_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('raises a retryable error when nothing listens at the base URL', async () => {
    const closed = await startSandbox({ port: 0 });
    await closed.close();

    const error = await rejection(adapter({ baseUrl: closed.url }).verifyAddress(HOUSTON));

    expect(error.code).toBe('EASYPOST_UNREACHABLE');
    expect(error.retryable).toBe(true);
  });

  it('never logs the API key', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(API_KEY);
  });
});

describe('decimalToMinor', () => {
  it('converts decimal strings to minor units', () => {
    expect(decimalToMinor('7.47')).toBe(747);
    expect(decimalToMinor('12')).toBe(1_200);
    expect(decimalToMinor('0.5')).toBe(50);
    expect(decimalToMinor('7.47500')).toBe(748);
    expect(decimalToMinor('150', 0)).toBe(150);
  });
});
