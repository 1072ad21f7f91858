import { randomInt } from 'node:crypto';
import { resolveAddress, type AddressObject } from './addresses.js';
import { verifyAddressFields } from './address-rules.js';
import { EasyPostApiError, invalidParameter, notFound } from './errors.js';
import { computeRates, distanceZone, type Carrier } from './rates.js';
import { newId, timestamp, type EasyPostState } from './state.js';
import { createTracker, type TrackerObject } from './trackers.js';

/** Subset of EasyPost's Rate object that the sandbox returns. */
export interface RateObject {
  id: string;
  object: 'Rate';
  mode: 'test';
  carrier: Carrier;
  service: string;
  rate: string;
  currency: 'USD';
  retail_rate: string;
  list_rate: string;
  delivery_days: number;
  est_delivery_days: number;
  delivery_date: null;
  delivery_date_guaranteed: false;
  shipment_id: string;
  carrier_account_id: string;
  created_at: string;
  updated_at: string;
}

export interface ParcelObject {
  id: string;
  object: 'Parcel';
  mode: 'test';
  weight: number;
  length: number | null;
  width: number | null;
  height: number | null;
}

/** Subset of EasyPost's Shipment object that the sandbox returns. */
export interface ShipmentObject {
  id: string;
  object: 'Shipment';
  mode: 'test';
  status: 'unknown';
  reference: string | null;
  to_address: AddressObject;
  from_address: AddressObject;
  return_address: AddressObject;
  buyer_address: AddressObject;
  parcel: ParcelObject;
  rates: RateObject[];
  messages: { carrier: string; type: 'rate_error'; message: string }[];
  selected_rate: RateObject | null;
  postage_label: Record<string, unknown> | null;
  tracking_code: string | null;
  tracker: TrackerObject | null;
  usps_zone: number | null;
  fees: { object: 'Fee'; type: string; amount: string; charged: boolean; refunded: boolean }[];
  created_at: string;
  updated_at: string;
}

function readDimension(
  parcel: Record<string, unknown>,
  name: string,
  field: string,
): number | null {
  const value = parcel[name];
  if (value === undefined || value === null) return null;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw invalidParameter(
      'SHIPMENT.INVALID_PARAMS',
      `${field}.${name}`,
      'must be a positive number',
    );
  }
  return number;
}

/** Reads a parcel's weight in ounces and optional dimensions; `field` names it in errors. */
export function buildParcel(params: unknown, field = 'shipment.parcel'): ParcelObject {
  if (typeof params !== 'object' || params === null) {
    throw invalidParameter('SHIPMENT.INVALID_PARAMS', field, 'is required');
  }
  const parcel = params as Record<string, unknown>;
  const weight = readDimension(parcel, 'weight', field);
  if (weight === null) {
    throw invalidParameter('SHIPMENT.INVALID_PARAMS', `${field}.weight`, 'is required, in ounces');
  }
  return {
    id: newId('prcl'),
    object: 'Parcel',
    mode: 'test',
    weight,
    length: readDimension(parcel, 'length', field),
    width: readDimension(parcel, 'width', field),
    height: readDimension(parcel, 'height', field),
  };
}

function buildRates(
  shipmentId: string,
  from: AddressObject,
  to: AddressObject,
  weightOz: number,
): RateObject[] {
  const now = timestamp();
  return computeRates(from, to, weightOz).map((computed) => ({
    id: newId('rate'),
    object: 'Rate',
    mode: 'test',
    carrier: computed.carrier,
    service: computed.service,
    rate: computed.rate,
    currency: 'USD',
    retail_rate: (Number(computed.rate) * 1.15).toFixed(2),
    list_rate: (Number(computed.rate) * 1.07).toFixed(2),
    delivery_days: computed.deliveryDays,
    est_delivery_days: computed.deliveryDays,
    delivery_date: null,
    delivery_date_guaranteed: false,
    shipment_id: shipmentId,
    carrier_account_id: `ca_sandbox_${computed.carrier.toLowerCase()}`,
    created_at: now,
    updated_at: now,
  }));
}

/** Creates a shipment from `{ to_address, from_address, parcel }` and rates it with every carrier. */
export function createShipment(state: EasyPostState, params: unknown): ShipmentObject {
  if (typeof params !== 'object' || params === null) {
    throw invalidParameter('SHIPMENT.INVALID_PARAMS', 'shipment', 'is required');
  }
  const input = params as Record<string, unknown>;
  const toAddress = resolveAddress(state, input.to_address, 'shipment.to_address');
  const fromAddress = resolveAddress(state, input.from_address, 'shipment.from_address');
  return createRatedShipment(state, {
    toAddress,
    fromAddress,
    parcel: buildParcel(input.parcel),
    reference: typeof input.reference === 'string' ? input.reference : null,
  });
}

/** A shipment's resolved addresses and parcel, and the carriers allowed to rate it. */
export interface ShipmentInput {
  toAddress: AddressObject;
  fromAddress: AddressObject;
  parcel: ParcelObject;
  reference: string | null;
  /** Carriers whose rates are kept; every carrier when omitted. */
  carriers?: readonly Carrier[];
}

/** Rates a shipment of resolved addresses and stores it. */
export function createRatedShipment(state: EasyPostState, input: ShipmentInput): ShipmentObject {
  const { toAddress, fromAddress, parcel } = input;
  const id = newId('shp');
  const rates = buildRates(id, fromAddress, toAddress, parcel.weight).filter(
    (rate) => input.carriers === undefined || input.carriers.includes(rate.carrier),
  );
  const now = timestamp();
  const shipment: ShipmentObject = {
    id,
    object: 'Shipment',
    mode: 'test',
    status: 'unknown',
    reference: input.reference,
    to_address: toAddress,
    from_address: fromAddress,
    return_address: fromAddress,
    buyer_address: toAddress,
    parcel,
    rates,
    messages:
      rates.length > 0
        ? []
        : [
            {
              carrier: 'sandbox',
              type: 'rate_error',
              message:
                'No carrier serves this route or weight: the sandbox rates US and Canadian postal codes up to 2,400 oz.',
            },
          ],
    selected_rate: null,
    postage_label: null,
    tracking_code: null,
    tracker: null,
    usps_zone: distanceZone(fromAddress, toAddress) ?? null,
    fees: [],
    created_at: now,
    updated_at: now,
  };
  state.shipments.set(id, shipment);
  return shipment;
}

export function getShipment(state: EasyPostState, id: string): ShipmentObject {
  const shipment = state.shipments.get(id);
  if (!shipment) throw notFound('shipment', id);
  return shipment;
}

function digits(count: number): string {
  return Array.from({ length: count }, () => randomInt(10)).join('');
}

/** Returns a tracking code in the carrier's format: USPS 22 digits, UPS `1Z` and 16 characters, FedEx 12 digits. */
function trackingCode(carrier: Carrier): string {
  if (carrier === 'USPS') return `9400${digits(18)}`;
  if (carrier === 'UPS') return `1ZSBX${digits(3)}03${digits(8)}`;
  return digits(12);
}

/** Rejects a destination that no carrier would print a label for. */
function assertDeliverable(shipment: ShipmentObject, carrier: Carrier): void {
  const address = shipment.to_address;
  const errors = verifyAddressFields({
    street1: address.street1 ?? '',
    city: address.city ?? '',
    state: address.state ?? '',
    zip: address.zip,
    country: address.country,
  }).filter((error) => error.field !== 'address');
  if (errors.length === 0) return;
  throw new EasyPostApiError(
    422,
    'SHIPMENT.POSTAGE.FAILURE',
    `${carrier} rejected the destination address: ${errors.map((error) => error.message).join('; ')}`,
    errors,
  );
}

/**
 * Buys the label for one of the shipment's rates and starts its tracker. Fails with the
 * status set by `/_sandbox/easypost/carrier-outages` while the rate's carrier is down.
 */
export function buyShipment(
  state: EasyPostState,
  shipment: ShipmentObject,
  params: unknown,
  origin: string,
): ShipmentObject {
  if (shipment.postage_label) {
    throw new EasyPostApiError(
      422,
      'SHIPMENT.POSTAGE.EXISTS',
      'Postage already exists for this shipment.',
    );
  }
  const rateId = (params as { rate?: { id?: unknown } } | null)?.rate?.id;
  if (typeof rateId !== 'string')
    throw invalidParameter('SHIPMENT.INVALID_PARAMS', 'rate.id', 'is required');
  const rate = shipment.rates.find((candidate) => candidate.id === rateId);
  if (!rate)
    throw invalidParameter(
      'SHIPMENT.INVALID_PARAMS',
      'rate.id',
      `rate ${rateId} does not belong to shipment ${shipment.id}`,
    );

  const outageStatus = state.carrierOutages.get(rate.carrier);
  if (outageStatus !== undefined) {
    throw new EasyPostApiError(
      outageStatus,
      'SHIPMENT.POSTAGE.NO_RESPONSE',
      `${rate.carrier} did not respond to the label purchase. Try again later or use another carrier.`,
    );
  }
  assertDeliverable(shipment, rate.carrier);

  const code = trackingCode(rate.carrier);
  const now = timestamp();
  shipment.selected_rate = { ...rate, created_at: now, updated_at: now };
  shipment.tracking_code = code;
  shipment.postage_label = {
    object: 'PostageLabel',
    id: newId('pl'),
    label_date: now,
    label_resolution: 300,
    label_size: '4x6',
    label_file_type: 'image/png',
    label_url: `${origin}/_sandbox/easypost/labels/${shipment.id}.png`,
    created_at: now,
    updated_at: now,
  };
  shipment.fees = [
    { object: 'Fee', type: 'LabelFee', amount: '0.00000', charged: true, refunded: false },
    {
      object: 'Fee',
      type: 'PostageFee',
      amount: Number(rate.rate).toFixed(5),
      charged: true,
      refunded: false,
    },
  ];
  shipment.tracker = createTracker(state, {
    trackingCode: code,
    carrier: rate.carrier,
    shipmentId: shipment.id,
    estimatedDeliveryDays: rate.delivery_days,
    origin,
  });
  shipment.updated_at = now;
  return shipment;
}
