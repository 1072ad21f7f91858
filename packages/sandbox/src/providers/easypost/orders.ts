/**
 * EasyPost Order imitation: several parcels to one address, rated together and bought with one
 * carrier and service. EasyPost's Order endpoint serves only some carriers (UPS and FedEx among
 * them, USPS not), so the sandbox rates the order's shipments with UPS and FedEx only.
 */
import { resolveAddress, type AddressObject } from './addresses.js';
import { EasyPostApiError, invalidParameter, notFound } from './errors.js';
import type { Carrier } from './rates.js';
import {
  buildParcel,
  buyShipment,
  createRatedShipment,
  type RateObject,
  type ShipmentObject,
} from './shipments.js';
import { newId, timestamp, type EasyPostState } from './state.js';

/** Carriers that rate and buy orders in the sandbox. */
export const ORDER_CARRIERS: readonly Carrier[] = ['UPS', 'FedEx'];

/** Maximum number of shipments in one order, as EasyPost documents it. */
export const MAX_ORDER_SHIPMENTS = 100;

/**
 * Rate of a whole order for one carrier and service: the sum of its shipments' rates, with the
 * slowest shipment's delivery days.
 */
export type OrderRateObject = Omit<RateObject, 'shipment_id'> & { shipment_id: null };

/** Subset of EasyPost's Order object that the sandbox returns. */
export interface OrderObject {
  id: string;
  object: 'Order';
  mode: 'test';
  reference: string | null;
  is_return: false;
  to_address: AddressObject;
  from_address: AddressObject;
  return_address: AddressObject;
  buyer_address: AddressObject;
  shipments: ShipmentObject[];
  rates: OrderRateObject[];
  messages: { carrier: string; type: 'rate_error'; message: string }[];
  created_at: string;
  updated_at: string;
}

function sumRates(rates: readonly RateObject[]): string {
  const cents = rates.reduce((total, rate) => total + Math.round(Number(rate.rate) * 100), 0);
  return (cents / 100).toFixed(2);
}

/** Returns the order rates of the services that rated every shipment. */
function orderRates(shipments: readonly ShipmentObject[]): OrderRateObject[] {
  const [first, ...others] = shipments;
  if (!first) return [];
  const now = timestamp();
  return first.rates.flatMap((rate): OrderRateObject[] => {
    const matching = [rate];
    for (const shipment of others) {
      const match = shipment.rates.find(
        (candidate) => candidate.carrier === rate.carrier && candidate.service === rate.service,
      );
      if (!match) return [];
      matching.push(match);
    }
    const deliveryDays = Math.max(...matching.map((entry) => entry.delivery_days));
    const total = sumRates(matching);
    return [
      {
        ...rate,
        id: newId('rate'),
        rate: total,
        retail_rate: (Number(total) * 1.15).toFixed(2),
        list_rate: (Number(total) * 1.07).toFixed(2),
        delivery_days: deliveryDays,
        est_delivery_days: deliveryDays,
        shipment_id: null,
        created_at: now,
        updated_at: now,
      },
    ];
  });
}

/**
 * Creates an order from `{ to_address, from_address, shipments: [{ parcel }] }`. Each shipment
 * gets the order's addresses and its own rates, and the order gets the summed rates.
 */
export function createOrder(state: EasyPostState, params: unknown): OrderObject {
  if (typeof params !== 'object' || params === null) {
    throw invalidParameter('ORDER.INVALID_PARAMS', 'order', 'is required');
  }
  const input = params as Record<string, unknown>;
  const shipmentParams = input.shipments;
  if (
    !Array.isArray(shipmentParams) ||
    shipmentParams.length === 0 ||
    shipmentParams.length > MAX_ORDER_SHIPMENTS
  ) {
    throw invalidParameter(
      'ORDER.INVALID_PARAMS',
      'order.shipments',
      `must contain 1 to ${MAX_ORDER_SHIPMENTS} shipments`,
    );
  }
  const toAddress = resolveAddress(state, input.to_address, 'order.to_address');
  const fromAddress = resolveAddress(state, input.from_address, 'order.from_address');
  const reference = typeof input.reference === 'string' ? input.reference : null;
  const parcels = shipmentParams.map((shipment: unknown, index) =>
    buildParcel(
      (shipment as { parcel?: unknown } | null)?.parcel,
      `order.shipments[${index}].parcel`,
    ),
  );
  const shipments = parcels.map((parcel) =>
    createRatedShipment(state, {
      toAddress,
      fromAddress,
      parcel,
      reference,
      carriers: ORDER_CARRIERS,
    }),
  );

  const rates = orderRates(shipments);
  const now = timestamp();
  const order: OrderObject = {
    id: newId('order'),
    object: 'Order',
    mode: 'test',
    reference,
    is_return: false,
    to_address: toAddress,
    from_address: fromAddress,
    return_address: fromAddress,
    buyer_address: toAddress,
    shipments,
    rates,
    messages:
      rates.length > 0
        ? []
        : [
            {
              carrier: 'sandbox',
              type: 'rate_error',
              message: `No service of ${ORDER_CARRIERS.join(' or ')} rates every parcel of this order: the sandbox rates US and Canadian postal codes up to 2,400 oz per parcel.`,
            },
          ],
    created_at: now,
    updated_at: now,
  };
  state.orders.set(order.id, order);
  return order;
}

export function getOrder(state: EasyPostState, id: string): OrderObject {
  const order = state.orders.get(id);
  if (!order) throw notFound('order', id);
  return order;
}

/**
 * Buys a label for every shipment of the order with `{ carrier, service }`. The outage and
 * address checks run before the first label is bought, so a failed purchase buys nothing.
 * Buying a bought order fails with 422 `ORDER.POSTAGE.EXISTS`, a code of the sandbox's own,
 * because EasyPost documents none for this case.
 */
export function buyOrder(
  state: EasyPostState,
  order: OrderObject,
  params: unknown,
  origin: string,
): OrderObject {
  if (order.shipments.some((shipment) => shipment.postage_label !== null)) {
    throw new EasyPostApiError(
      422,
      'ORDER.POSTAGE.EXISTS',
      'Postage already exists for this order.',
    );
  }
  const { carrier, service } = (params ?? {}) as { carrier?: unknown; service?: unknown };
  if (typeof carrier !== 'string') {
    throw invalidParameter('ORDER.INVALID_PARAMS', 'carrier', 'is required');
  }
  if (typeof service !== 'string') {
    throw invalidParameter('ORDER.INVALID_PARAMS', 'service', 'is required');
  }
  if (!order.rates.some((rate) => rate.carrier === carrier && rate.service === service)) {
    throw invalidParameter(
      'ORDER.INVALID_PARAMS',
      'service',
      `${carrier} ${service} has no rate for order ${order.id}`,
    );
  }
  const outageStatus = state.carrierOutages.get(carrier);
  if (outageStatus !== undefined) {
    throw new EasyPostApiError(
      outageStatus,
      'ORDER.POSTAGE.NO_RESPONSE',
      `${carrier} did not respond to the label purchase. Try again later or use another carrier.`,
    );
  }

  const rateIds = order.shipments.map((shipment) => {
    const rate = shipment.rates.find(
      (candidate) => candidate.carrier === carrier && candidate.service === service,
    );
    // orderRates keeps only services that rated every shipment.
    if (!rate) throw new Error(`shipment ${shipment.id} has no ${carrier} ${service} rate`);
    return rate.id;
  });
  // Every shipment has the same destination, so the first purchase runs the address check that
  // the others would fail.
  order.shipments.forEach((shipment, index) => {
    buyShipment(state, shipment, { rate: { id: rateIds[index] } }, origin);
  });
  order.updated_at = timestamp();
  return order;
}
