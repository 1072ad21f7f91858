import type { PostalAddress } from '@orderflow/contracts';
import type { Knex } from 'knex';
import type { ShipmentState } from '../domain/shipment-state.js';
import type { PurchasedLabel, ShipMode } from '../domain/shipping-ports.js';

export interface ShipmentRow {
  order_id: string;
  status: ShipmentState;
  ship_to: PostalAddress;
  ship_mode: ShipMode;
  estimated_weight_oz: number;
  parcel_weight_oz: number;
  address_id: string | null;
  rejected_field: string | null;
  rejection_message: string | null;
  shipment_id: string | null;
  tracker_id: string | null;
  tracking_code: string | null;
  carrier: string | null;
  service: string | null;
  /** PostgreSQL bigint columns arrive as strings. */
  rate_minor: string | null;
  currency: string | null;
  label_url: string | null;
  label_purchased_at: Date | null;
}

export type NewShipment = {
  orderId: string;
  shipTo: PostalAddress;
  shipMode: ShipMode;
  estimatedWeightOz: number;
  parcelWeightOz: number;
} & (
  | { status: 'address_verified'; addressId: string }
  | { status: 'address_rejected'; rejectedField: string; rejectionMessage: string }
);

export async function findShipment(
  db: Knex | Knex.Transaction,
  orderId: string,
): Promise<ShipmentRow | undefined> {
  return (await db('shipments').where({ order_id: orderId }).first()) as ShipmentRow | undefined;
}

/**
 * Returns the order's shipment locked for update, so that two deliveries of a capture for the
 * same order cannot both buy a label.
 */
export async function lockShipment(
  trx: Knex.Transaction,
  orderId: string,
): Promise<ShipmentRow | undefined> {
  return (await trx('shipments').where({ order_id: orderId }).forUpdate().first()) as
    ShipmentRow | undefined;
}

export async function insertShipment(trx: Knex.Transaction, shipment: NewShipment): Promise<void> {
  await trx('shipments').insert({
    order_id: shipment.orderId,
    status: shipment.status,
    ship_to: JSON.stringify(shipment.shipTo),
    ship_mode: shipment.shipMode,
    estimated_weight_oz: shipment.estimatedWeightOz,
    parcel_weight_oz: shipment.parcelWeightOz,
    ...(shipment.status === 'address_verified'
      ? { address_id: shipment.addressId }
      : {
          rejected_field: shipment.rejectedField,
          rejection_message: shipment.rejectionMessage,
        }),
  });
}

export async function saveLabel(
  trx: Knex.Transaction,
  orderId: string,
  label: PurchasedLabel,
): Promise<void> {
  await trx('shipments')
    .where({ order_id: orderId, status: 'address_verified' })
    .update({
      status: 'label_purchased',
      shipment_id: label.shipmentId,
      tracker_id: label.trackerId ?? null,
      tracking_code: label.trackingCode,
      carrier: label.carrier,
      service: label.service,
      rate_minor: label.rateMinor,
      currency: label.currency,
      label_url: label.labelUrl,
      label_purchased_at: trx.fn.now(),
      updated_at: trx.fn.now(),
    });
}
