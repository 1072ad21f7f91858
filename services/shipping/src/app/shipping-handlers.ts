import type { EventHandlers } from '@orderflow/messaging';
import type { Knex } from 'knex';
import { MAX_PARCELS_PER_SHIPMENT } from '../domain/freight.js';
import type { Carrier, CarrierAddress } from '../domain/shipping-ports.js';
import { buyLabel } from './buy-label.js';
import { verifyShippingAddress } from './verify-address.js';

/**
 * Handlers of the shipping service: a new order gets its address verified, and a captured
 * payment gets its label bought. `db` is the service's database client, which the label purchase
 * uses to commit its record outside the handler's transaction. An order that would fill more
 * than `maxParcels` parcels is held for freight.
 */
export function shippingHandlers(
  carrier: Carrier,
  warehouse: CarrierAddress,
  db: Knex,
  maxParcels: number = MAX_PARCELS_PER_SHIPMENT,
): EventHandlers {
  return {
    'order.created': (event, ctx) => verifyShippingAddress(event.data, carrier, maxParcels, ctx),
    'payment.captured': (event, ctx) => buyLabel(event.data, carrier, warehouse, db, ctx),
  };
}
