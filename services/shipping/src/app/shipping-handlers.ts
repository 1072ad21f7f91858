import type { EventHandlers } from '@orderflow/messaging';
import type { Knex } from 'knex';
import type { Carrier, CarrierAddress } from '../domain/shipping-ports.js';
import { buyLabel } from './buy-label.js';
import { verifyShippingAddress } from './verify-address.js';

/**
 * Handlers of the shipping service: a new order gets its address verified, and a captured
 * payment gets its label bought. `db` is the service's database client, which the label purchase
 * uses to commit its record outside the handler's transaction.
 */
export function shippingHandlers(
  carrier: Carrier,
  warehouse: CarrierAddress,
  db: Knex,
): EventHandlers {
  return {
    'order.created': (event, ctx) => verifyShippingAddress(event.data, carrier, ctx),
    'payment.captured': (event, ctx) => buyLabel(event.data, carrier, warehouse, db, ctx),
  };
}
