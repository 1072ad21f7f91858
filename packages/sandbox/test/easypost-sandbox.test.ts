import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerEasyPost } from '../src/providers/easypost.js';
import { computeRates, distanceZone } from '../src/providers/easypost/rates.js';

const API_KEY = 'EZTKsandboxtestkey';

let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  app = Fastify({ logger: false });
  await registerEasyPost(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
});

afterEach(async () => {
  await fetch(`${baseUrl}/_sandbox/easypost/carrier-outages`, { method: 'DELETE' });
});

async function easypost(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  key: string | null = API_KEY,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(key === null
        ? {}
        : { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

const WAREHOUSE = {
  name: 'Orderflow Warehouse',
  company: 'Orderflow',
  street1: '417 Montgomery St',
  city: 'San Francisco',
  state: 'CA',
  zip: '94104',
  country: 'US',
};

const HOUSTON = {
  name: 'Customer',
  street1: '798 Hillcrest Road',
  city: 'Houston',
  state: 'TX',
  zip: '77095',
  country: 'US',
};
const TORONTO_PARTIAL = {
  street1: '12 Bay St',
  city: 'Toronto',
  state: 'ON',
  zip: 'M7A',
  country: 'CA',
};

describe('easypost sandbox authentication', () => {
  it('rejects a request without an API key', async () => {
    const response = await easypost('GET', '/v2/trackers/trk_x', undefined, null);

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('APIKEY.REQUIRED');
  });

  it('rejects a production key', async () => {
    const response = await easypost('GET', '/v2/trackers/trk_x', undefined, 'EZAKlivekey');

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('APIKEY.INACTIVE');
  });
});

describe('easypost sandbox address verification', () => {
  it('verifies a US address and normalizes it', async () => {
    const response = await easypost('POST', '/v2/addresses', { address: HOUSTON, verify: true });

    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^adr_/);
    expect(response.body.object).toBe('Address');
    expect(response.body.street1).toBe('798 HILLCREST ROAD');
    expect(response.body.verifications.delivery.success).toBe(true);
    expect(response.body.verifications.delivery.errors).toEqual([]);
    expect(response.body.verifications.zip4.success).toBe(true);
  });

  it('reports a three-character Canadian postal code as incomplete', async () => {
    const response = await easypost('POST', '/v2/addresses', {
      address: TORONTO_PARTIAL,
      verify: ['delivery'],
    });
    const delivery = response.body.verifications.delivery;

    expect(response.status).toBe(201);
    expect(delivery.success).toBe(false);
    expect(delivery.errors[0]).toMatchObject({ code: 'E.ADDRESS.NOT_FOUND', field: 'address' });
    expect(delivery.errors[1]).toMatchObject({ code: 'E.ZIP.INVALID', field: 'zip' });
    expect(delivery.errors[1].message).toContain('M7A is incomplete');
    expect(delivery.errors[1].message).toContain('M7A 1A1');
  });

  it('rejects an undeliverable address with verify_strict', async () => {
    const response = await easypost('POST', '/v2/addresses', {
      address: TORONTO_PARTIAL,
      verify_strict: true,
    });

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('ADDRESS.VERIFY.FAILURE');
    expect(response.body.error.message).toBe('Unable to verify address.');
    expect(response.body.error.errors.map((error: any) => error.field)).toEqual(['address', 'zip']);
  });

  it('returns the address under create_and_verify', async () => {
    const response = await easypost('POST', '/v2/addresses/create_and_verify', {
      address: { ...TORONTO_PARTIAL, zip: 'm7a1a1' },
    });

    expect(response.status).toBe(200);
    expect(response.body.address.zip).toBe('M7A 1A1');
    expect(response.body.address.verifications.delivery.success).toBe(true);
  });

  it('rejects an undeliverable address under create_and_verify', async () => {
    const response = await easypost('POST', '/v2/addresses/create_and_verify', {
      address: TORONTO_PARTIAL,
    });

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('ADDRESS.VERIFY.FAILURE');
  });

  const failures = [
    ['a four-digit US ZIP code', { ...HOUSTON, zip: '7709' }, 'zip', 'E.ZIP.INVALID'],
    ['a ZIP code of another state', { ...HOUSTON, state: 'NY' }, 'zip', 'E.ZIP.NOT_FOUND'],
    ['an unknown US state', { ...HOUSTON, state: 'XX' }, 'state', 'E.STATE.INVALID'],
    [
      'a postal code of another province',
      { ...TORONTO_PARTIAL, zip: 'V6B 1A1' },
      'zip',
      'E.ZIP.NOT_FOUND',
    ],
    ['an unknown country', { ...HOUSTON, country: 'ZZ' }, 'country', 'E.COUNTRY.INVALID'],
    [
      'a street without a house number',
      { ...HOUSTON, street1: 'Hillcrest Road' },
      'street1',
      'E.HOUSE_NUMBER.MISSING',
    ],
    ['a missing street', { ...HOUSTON, street1: '' }, 'street1', 'E.STREET.MISSING'],
    ['a missing city', { ...HOUSTON, city: '' }, 'city', 'E.CITY.MISSING'],
  ] as const;

  it.each(failures)('fails %s', async (_case, address, field, code) => {
    const response = await easypost('POST', '/v2/addresses', { address, verify: true });
    const errors = response.body.verifications.delivery.errors;

    expect(response.body.verifications.delivery.success).toBe(false);
    expect(errors).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('creates an unverified address without verifications', async () => {
    const response = await easypost('POST', '/v2/addresses', { address: TORONTO_PARTIAL });

    expect(response.status).toBe(201);
    expect(response.body.verifications).toEqual({});
  });
});

describe('easypost sandbox rate computation', () => {
  it('uses zone 1 within a three-digit ZIP prefix', () => {
    expect(distanceZone({ country: 'US', zip: '94104' }, { country: 'US', zip: '94107' })).toBe(1);
  });

  it('adds the band distance to zone 2, up to 8', () => {
    expect(distanceZone({ country: 'US', zip: '94104' }, { country: 'US', zip: '90210' })).toBe(2);
    expect(distanceZone({ country: 'US', zip: '94104' }, { country: 'US', zip: '77095' })).toBe(4);
    expect(distanceZone({ country: 'US', zip: '94104' }, { country: 'US', zip: '02134' })).toBe(8);
  });

  it('places Canadian codes by their first letter', () => {
    expect(distanceZone({ country: 'US', zip: '98101' }, { country: 'CA', zip: 'V6B 1A1' })).toBe(
      2,
    );
    expect(distanceZone({ country: 'US', zip: '98101' }, { country: 'CA', zip: 'M7A 1A1' })).toBe(
      7,
    );
  });

  it('has no zone outside the US and Canada', () => {
    expect(
      distanceZone({ country: 'US', zip: '94104' }, { country: 'DE', zip: '10115' }),
    ).toBeUndefined();
  });

  it('offers several services of three carriers', () => {
    const rates = computeRates(
      { country: 'US', zip: '94104' },
      { country: 'US', zip: '77095' },
      24,
    );

    expect(new Set(rates.map((rate) => rate.carrier))).toEqual(new Set(['USPS', 'UPS', 'FedEx']));
    expect(rates.length).toBe(10);
    for (const rate of rates) expect(rate.rate).toMatch(/^\d+\.\d{2}$/);
  });

  it('charges more for heavier and farther parcels', () => {
    const price = (zip: string, weightOz: number): number =>
      Number(
        computeRates({ country: 'US', zip: '94104' }, { country: 'US', zip }, weightOz).find(
          (rate) => rate.service === 'GroundAdvantage',
        )?.rate,
      );

    expect(price('94107', 80)).toBeGreaterThan(price('94107', 16));
    expect(price('02134', 16)).toBeGreaterThan(price('94107', 16));
  });

  function cheapestGroundCarrier(weightOz: number): string {
    const ground = computeRates(
      { country: 'US', zip: '94104' },
      { country: 'US', zip: '77095' },
      weightOz,
    ).filter((rate) => ['GroundAdvantage', 'Ground', 'FEDEX_GROUND'].includes(rate.service));
    ground.sort((a, b) => Number(a.rate) - Number(b.rate));
    return ground[0]?.carrier ?? '';
  }

  it('prices light ground parcels lowest at USPS', () => {
    expect(cheapestGroundCarrier(16)).toBe('USPS');
  });

  it('prices heavy ground parcels lowest at FedEx', () => {
    expect(cheapestGroundCarrier(480)).toBe('FedEx');
  });

  it('drops USPS above 70 pounds and every carrier above 150 pounds', () => {
    const from = { country: 'US', zip: '94104' };
    const to = { country: 'US', zip: '77095' };

    expect(computeRates(from, to, 1_200).some((rate) => rate.carrier === 'USPS')).toBe(false);
    expect(computeRates(from, to, 2_500)).toEqual([]);
  });

  it('charges more and takes longer across the border', () => {
    const domestic = computeRates(
      { country: 'US', zip: '48201' },
      { country: 'US', zip: '44101' },
      32,
    )[0];
    const crossBorder = computeRates(
      { country: 'US', zip: '48201' },
      { country: 'CA', zip: 'M7A 1A1' },
      32,
    )[0];

    expect(Number(crossBorder?.rate)).toBeGreaterThan(Number(domestic?.rate));
    expect((crossBorder?.deliveryDays ?? 0) - (domestic?.deliveryDays ?? 0)).toBe(2);
  });
});

describe('easypost sandbox shipments', () => {
  async function createShipment(toAddress: object = HOUSTON, weight = 24): Promise<any> {
    const response = await easypost('POST', '/v2/shipments', {
      shipment: { to_address: toAddress, from_address: WAREHOUSE, parcel: { weight } },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  it('rates a shipment with decimal string prices in USD', async () => {
    const shipment = await createShipment();

    expect(shipment.id).toMatch(/^shp_/);
    expect(shipment.object).toBe('Shipment');
    expect(shipment.usps_zone).toBe(4);
    expect(shipment.rates).toHaveLength(10);
    expect(shipment.rates[0]).toMatchObject({
      object: 'Rate',
      currency: 'USD',
      shipment_id: shipment.id,
    });
    expect(shipment.rates[0].rate).toMatch(/^\d+\.\d{2}$/);
    expect(shipment.rates[0].delivery_days).toBeGreaterThan(0);
  });

  it('accepts an address id as to_address', async () => {
    const address = await easypost('POST', '/v2/addresses', { address: HOUSTON, verify: true });
    const shipment = await createShipment({ id: address.body.id });

    expect(shipment.to_address.id).toBe(address.body.id);
  });

  it('requires a parcel weight', async () => {
    const response = await easypost('POST', '/v2/shipments', {
      shipment: { to_address: HOUSTON, from_address: WAREHOUSE, parcel: {} },
    });

    expect(response.status).toBe(422);
    expect(response.body.error.errors[0].field).toBe('shipment.parcel.weight');
  });

  it('returns no rates and a message for a place it cannot rate', async () => {
    const shipment = await createShipment({ ...HOUSTON, country: 'DE', zip: '10115' });

    expect(shipment.rates).toEqual([]);
    expect(shipment.messages[0].type).toBe('rate_error');
  });

  it('buys a label with tracking code and tracker', async () => {
    const shipment = await createShipment();
    const rate = shipment.rates[0];
    const bought = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: rate.id },
    });

    expect(bought.status).toBe(200);
    expect(bought.body.selected_rate.id).toBe(rate.id);
    expect(bought.body.tracking_code).toMatch(/^9400\d{18}$/);
    expect(bought.body.postage_label.label_url).toBe(
      `${baseUrl}/_sandbox/easypost/labels/${shipment.id}.png`,
    );
    expect(bought.body.tracker).toMatchObject({
      status: 'pre_transit',
      tracking_code: bought.body.tracking_code,
      shipment_id: shipment.id,
    });
  });

  it('serves the label image', async () => {
    const shipment = await createShipment();
    const bought = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: shipment.rates[0].id },
    });
    const label = await fetch(bought.body.postage_label.label_url);

    expect(label.status).toBe(200);
    expect(label.headers.get('content-type')).toBe('image/png');
  });

  it('rejects a second purchase', async () => {
    const shipment = await createShipment();
    await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: shipment.rates[0].id },
    });
    const again = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: shipment.rates[1].id },
    });

    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('SHIPMENT.POSTAGE.EXISTS');
  });

  it('rejects a rate of another shipment', async () => {
    const shipment = await createShipment();
    const response = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: 'rate_other' },
    });

    expect(response.status).toBe(422);
    expect(response.body.error.errors[0].field).toBe('rate.id');
  });

  it('rejects a label to an incomplete Canadian postal code', async () => {
    const shipment = await createShipment(TORONTO_PARTIAL);
    const response = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: shipment.rates[0].id },
    });

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('SHIPMENT.POSTAGE.FAILURE');
    expect(response.body.error.message).toContain('M7A is incomplete');
  });

  it('fails purchases of a carrier in an outage and keeps the others working', async () => {
    await easypost('POST', '/_sandbox/easypost/carrier-outages', {
      carrier: 'USPS',
      statusCode: 503,
    });
    const shipment = await createShipment();
    const usps = shipment.rates.find((rate: any) => rate.carrier === 'USPS');
    const ups = shipment.rates.find((rate: any) => rate.carrier === 'UPS');
    const failed = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: usps.id },
    });
    const bought = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: ups.id },
    });

    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('SHIPMENT.POSTAGE.NO_RESPONSE');
    expect(bought.status).toBe(200);
    expect(bought.body.tracking_code).toMatch(/^1Z/);
  });

  it('loses a purchase response on request', async () => {
    await easypost('POST', '/_sandbox/easypost/lost-purchase-responses', { count: 1 });
    const shipment = await createShipment();
    const lost = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: shipment.rates[0].id },
    });
    const retry = await easypost('POST', `/v2/shipments/${shipment.id}/buy`, {
      rate: { id: shipment.rates[0].id },
    });
    const stored = await easypost('GET', `/v2/shipments/${shipment.id}`);

    expect(lost.status).toBe(504);
    expect(retry.body.error.code).toBe('SHIPMENT.POSTAGE.EXISTS');
    expect(stored.body.tracking_code).toMatch(/^9400/);
  });

  it('returns 404 in EasyPost shape for an unknown shipment', async () => {
    const response = await easypost('GET', '/v2/shipments/shp_unknown');

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });
});

describe('easypost sandbox orders', () => {
  async function createOrder(weights: number[], toAddress: object = HOUSTON): Promise<any> {
    const response = await easypost('POST', '/v2/orders', {
      order: {
        reference: 'US-2019-100001',
        to_address: toAddress,
        from_address: WAREHOUSE,
        shipments: weights.map((weight) => ({ parcel: { weight } })),
      },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  function rateOf(order: any, carrier: string, service: string): any {
    return order.rates.find((rate: any) => rate.carrier === carrier && rate.service === service);
  }

  it('rates every parcel and sums the rates per service', async () => {
    const order = await createOrder([2_400, 960]);

    expect(order.id).toMatch(/^order_/);
    expect(order.object).toBe('Order');
    expect(order.reference).toBe('US-2019-100001');
    expect(order.shipments).toHaveLength(2);
    expect(order.shipments.map((shipment: any) => shipment.parcel.weight)).toEqual([2_400, 960]);
    expect(order.shipments[0].id).toMatch(/^shp_/);
    expect(order.shipments[0].to_address.id).toBe(order.to_address.id);
    const ground = rateOf(order, 'FedEx', 'FEDEX_GROUND');
    const parcelRates = order.shipments.map(
      (shipment: any) => rateOf(shipment, 'FedEx', 'FEDEX_GROUND').rate,
    );
    expect(ground.object).toBe('Rate');
    expect(ground.currency).toBe('USD');
    expect(Math.round(Number(ground.rate) * 100)).toBe(
      Math.round(Number(parcelRates[0]) * 100) + Math.round(Number(parcelRates[1]) * 100),
    );
  });

  it('rates orders with UPS and FedEx only', async () => {
    const order = await createOrder([40, 40]);
    const carriers = new Set(order.rates.map((rate: any) => rate.carrier));

    expect([...carriers].sort()).toEqual(['FedEx', 'UPS']);
    expect(order.shipments[0].rates.some((rate: any) => rate.carrier === 'USPS')).toBe(false);
  });

  it('rejects an order without shipments', async () => {
    const response = await easypost('POST', '/v2/orders', {
      order: { to_address: HOUSTON, from_address: WAREHOUSE, shipments: [] },
    });

    expect(response.status).toBe(422);
    expect(response.body.error.errors[0].field).toBe('order.shipments');
  });

  it('names the parcel without a weight', async () => {
    const response = await easypost('POST', '/v2/orders', {
      order: {
        to_address: HOUSTON,
        from_address: WAREHOUSE,
        shipments: [{ parcel: { weight: 40 } }, { parcel: {} }],
      },
    });

    expect(response.status).toBe(422);
    expect(response.body.error.errors[0].field).toBe('order.shipments[1].parcel.weight');
  });

  it('returns no rates and a message for a parcel above 150 pounds', async () => {
    const order = await createOrder([2_400, 2_500]);

    expect(order.rates).toEqual([]);
    expect(order.messages[0].type).toBe('rate_error');
  });

  it('buys a label for every shipment with one service', async () => {
    const order = await createOrder([2_400, 480]);
    const bought = await easypost('POST', `/v2/orders/${order.id}/buy`, {
      carrier: 'UPS',
      service: 'Ground',
    });

    expect(bought.status).toBe(200);
    expect(bought.body.id).toBe(order.id);
    for (const shipment of bought.body.shipments) {
      expect(shipment.selected_rate).toMatchObject({ carrier: 'UPS', service: 'Ground' });
      expect(shipment.tracking_code).toMatch(/^1Z/);
      expect(shipment.postage_label.label_url).toBe(
        `${baseUrl}/_sandbox/easypost/labels/${shipment.id}.png`,
      );
      expect(shipment.tracker.id).toMatch(/^trk_/);
    }
    const codes = bought.body.shipments.map((shipment: any) => shipment.tracking_code);
    expect(new Set(codes).size).toBe(2);
    const stored = await easypost('GET', `/v2/shipments/${order.shipments[1].id}`);
    expect(stored.body.tracking_code).toBe(codes[1]);
  });

  it('rejects a second purchase of an order', async () => {
    const order = await createOrder([2_400, 480]);
    await easypost('POST', `/v2/orders/${order.id}/buy`, { carrier: 'UPS', service: 'Ground' });
    const second = await easypost('POST', `/v2/orders/${order.id}/buy`, {
      carrier: 'FedEx',
      service: 'FEDEX_GROUND',
    });

    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe('ORDER.POSTAGE.EXISTS');
  });

  it('rejects a service without an order rate', async () => {
    const order = await createOrder([2_400, 480]);
    const response = await easypost('POST', `/v2/orders/${order.id}/buy`, {
      carrier: 'USPS',
      service: 'GroundAdvantage',
    });

    expect(response.status).toBe(422);
    expect(response.body.error.errors[0].field).toBe('service');
  });

  it('buys nothing while the carrier is in an outage', async () => {
    await easypost('POST', '/_sandbox/easypost/carrier-outages', {
      carrier: 'UPS',
      statusCode: 503,
    });
    const order = await createOrder([2_400, 480]);
    const failed = await easypost('POST', `/v2/orders/${order.id}/buy`, {
      carrier: 'UPS',
      service: 'Ground',
    });
    const stored = await easypost('GET', `/v2/orders/${order.id}`);

    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('ORDER.POSTAGE.NO_RESPONSE');
    expect(stored.body.shipments.map((shipment: any) => shipment.tracking_code)).toEqual([
      null,
      null,
    ]);
  });

  it('rejects an undeliverable order destination', async () => {
    const order = await createOrder([2_400, 480], TORONTO_PARTIAL);
    const response = await easypost('POST', `/v2/orders/${order.id}/buy`, {
      carrier: 'UPS',
      service: 'Ground',
    });

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('SHIPMENT.POSTAGE.FAILURE');
  });

  it('loses an order purchase response on request', async () => {
    await easypost('POST', '/_sandbox/easypost/lost-purchase-responses', { count: 1 });
    const order = await createOrder([2_400, 480]);
    const lost = await easypost('POST', `/v2/orders/${order.id}/buy`, {
      carrier: 'FedEx',
      service: 'FEDEX_GROUND',
    });
    const stored = await easypost('GET', `/v2/orders/${order.id}`);

    expect(lost.status).toBe(504);
    expect(stored.body.shipments[0].tracking_code).toMatch(/^\d{12}$/);
    expect(stored.body.shipments[1].tracking_code).toMatch(/^\d{12}$/);
  });

  it('applies injected faults to order routes', async () => {
    await easypost('POST', '/_sandbox/easypost/faults', { statusCode: 500, count: 1 });
    const response = await easypost('POST', '/v2/orders', {
      order: {
        to_address: HOUSTON,
        from_address: WAREHOUSE,
        shipments: [{ parcel: { weight: 1 } }],
      },
    });

    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('requires an API key for orders', async () => {
    const response = await easypost('GET', '/v2/orders/order_x', undefined, null);

    expect(response.status).toBe(401);
  });

  it('returns 404 in EasyPost shape for an unknown order', async () => {
    const response = await easypost('GET', '/v2/orders/order_unknown');

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });
});

describe('easypost sandbox trackers', () => {
  const testCodes = [
    ['EZ1000000001', 'pre_transit'],
    ['EZ2000000002', 'in_transit'],
    ['EZ3000000003', 'out_for_delivery'],
    ['EZ4000000004', 'delivered'],
    ['EZ5000000005', 'return_to_sender'],
    ['EZ6000000006', 'failure'],
    ['EZ7000000007', 'unknown'],
  ] as const;

  it.each(testCodes)('reports test code %s as %s', async (trackingCode, status) => {
    const created = await easypost('POST', '/v2/trackers', {
      tracker: { tracking_code: trackingCode, carrier: 'USPS' },
    });
    const fetched = await easypost('GET', `/v2/trackers/${created.body.id}`);

    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^trk_/);
    expect(fetched.body.status).toBe(status);
  });

  it('returns the existing tracker for a tracking code', async () => {
    const first = await easypost('POST', '/v2/trackers', {
      tracker: { tracking_code: 'EZ2000000002', carrier: 'UPS' },
    });
    const second = await easypost('POST', '/v2/trackers', {
      tracker: { tracking_code: 'EZ2000000002', carrier: 'UPS' },
    });

    expect(second.body.id).toBe(first.body.id);
  });

  it('requires a tracking code', async () => {
    const response = await easypost('POST', '/v2/trackers', { tracker: { carrier: 'USPS' } });

    expect(response.status).toBe(422);
    expect(response.body.error.errors[0].field).toBe('tracker.tracking_code');
  });

  it('advances a tracker to delivered and no further', async () => {
    const created = await easypost('POST', '/v2/trackers', {
      tracker: { tracking_code: 'EZ1000000001', carrier: 'FedEx' },
    });
    const statuses: string[] = [];
    for (let step = 0; step < 4; step += 1) {
      const advanced = await easypost(
        'POST',
        `/_sandbox/easypost/trackers/${created.body.id}/advance`,
      );
      statuses.push(advanced.body.status);
    }

    expect(statuses).toEqual(['in_transit', 'out_for_delivery', 'delivered', 'delivered']);
  });
});

describe('easypost sandbox shipment listing', () => {
  it('lists the shipments of one reference, bought or not', async () => {
    const reference = 'US-2019-LIST-1';
    const shipment = await easypost('POST', '/v2/shipments', {
      shipment: { reference, to_address: HOUSTON, from_address: WAREHOUSE, parcel: { weight: 24 } },
    });
    const rate = shipment.body.rates.find((candidate: any) => candidate.carrier === 'USPS');
    await easypost('POST', `/v2/shipments/${shipment.body.id}/buy`, { rate: { id: rate.id } });
    const order = await easypost('POST', '/v2/orders', {
      order: {
        reference,
        to_address: HOUSTON,
        from_address: WAREHOUSE,
        shipments: [{ parcel: { weight: 2_400 } }, { parcel: { weight: 480 } }],
      },
    });
    await easypost('POST', '/v2/shipments', {
      shipment: {
        reference: 'US-2019-LIST-2',
        to_address: HOUSTON,
        from_address: WAREHOUSE,
        parcel: { weight: 24 },
      },
    });

    const listed = await easypost(
      'GET',
      `/_sandbox/easypost/shipments?reference=${reference}`,
      undefined,
      null,
    );

    expect(listed.status).toBe(200);
    const ids = listed.body.shipments.map((entry: any) => entry.id);
    expect(ids).toEqual([shipment.body.id, ...order.body.shipments.map((entry: any) => entry.id)]);
    const bought = listed.body.shipments.filter((entry: any) => entry.postage_label !== null);
    expect(bought.map((entry: any) => entry.id)).toEqual([shipment.body.id]);
    expect(bought[0].tracking_code).toMatch(/^9400/);
  });

  it('lists no shipments for an unknown reference', async () => {
    const listed = await easypost('GET', '/_sandbox/easypost/shipments?reference=none', undefined);

    expect(listed.status).toBe(200);
    expect(listed.body.shipments).toEqual([]);
  });
});
