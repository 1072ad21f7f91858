import type { PostalAddress } from '@orderflow/contracts';
import type { Knex } from 'knex';
import type { FreightReason } from '../domain/freight.js';
import { MAX_PARCEL_WEIGHT_OZ } from '../domain/parcel-weight.js';
import type { ShipmentState } from '../domain/shipment-state.js';
import type { PurchaseReference, PurchasedLabel, ShipMode } from '../domain/shipping-ports.js';

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
  freight_reason: FreightReason | null;
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

/** A row of `shipment_parcels`. The label columns are null until the labels are bought. */
export interface ShipmentParcelRow {
  order_id: string;
  parcel_number: number;
  weight_oz: number;
  shipment_id: string | null;
  tracker_id: string | null;
  tracking_code: string | null;
  /** PostgreSQL bigint columns arrive as strings. */
  rate_minor: string | null;
  label_url: string | null;
  label_purchased_at: Date | null;
}

/** A row of `label_purchases`: the carrier object that the order's labels are bought from. */
export interface LabelPurchaseRow {
  order_id: string;
  object_type: string;
  object_id: string;
  created_at: Date;
}

/** A parcel with its bought label. */
export interface ParcelLabel {
  weightOz: number;
  label: PurchasedLabel;
}

export type NewShipment = {
  orderId: string;
  shipTo: PostalAddress;
  shipMode: ShipMode;
  estimatedWeightOz: number;
} & (
  | {
      status: 'address_verified';
      addressId: string;
      /** Weight of each parcel in ounces. The shipments row stores the first. */
      parcelWeightsOz: readonly number[];
    }
  | {
      status: 'address_rejected';
      rejectedField: string;
      rejectionMessage: string;
      parcelWeightsOz: readonly number[];
    }
  | { status: 'freight_required'; freightReason: FreightReason; customerMessage: string }
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

/**
 * Inserts the shipment and one `shipment_parcels` row per parcel weight. A shipment that needs
 * freight has no parcels, so its row stores the estimate capped at the heaviest parcel.
 */
export async function insertShipment(trx: Knex.Transaction, shipment: NewShipment): Promise<void> {
  const row = {
    order_id: shipment.orderId,
    status: shipment.status,
    ship_to: JSON.stringify(shipment.shipTo),
    ship_mode: shipment.shipMode,
    estimated_weight_oz: shipment.estimatedWeightOz,
  };
  if (shipment.status === 'freight_required') {
    await trx('shipments').insert({
      ...row,
      parcel_weight_oz: Math.min(shipment.estimatedWeightOz, MAX_PARCEL_WEIGHT_OZ),
      freight_reason: shipment.freightReason,
      rejection_message: shipment.customerMessage,
    });
    return;
  }
  const [firstWeightOz] = shipment.parcelWeightsOz;
  if (firstWeightOz === undefined) {
    throw new Error(`shipment of order ${shipment.orderId} has no parcels`);
  }
  await trx('shipments').insert({
    ...row,
    parcel_weight_oz: firstWeightOz,
    ...(shipment.status === 'address_verified'
      ? { address_id: shipment.addressId }
      : {
          rejected_field: shipment.rejectedField,
          rejection_message: shipment.rejectionMessage,
        }),
  });
  await trx('shipment_parcels').insert(
    shipment.parcelWeightsOz.map((weightOz, index) => ({
      order_id: shipment.orderId,
      parcel_number: index + 1,
      weight_oz: weightOz,
    })),
  );
}

/** Returns the order's parcels by parcel number. */
export async function findParcels(
  db: Knex | Knex.Transaction,
  orderId: string,
): Promise<ShipmentParcelRow[]> {
  return (await db('shipment_parcels')
    .where({ order_id: orderId })
    .orderBy('parcel_number')) as ShipmentParcelRow[];
}

/**
 * Marks the shipment `label_purchased` and stores each parcel's label, numbering the parcels
 * from 1 in the order given. The shipments row gets the first parcel's label, so that readers
 * of its label columns see the first parcel.
 */
export async function saveLabels(
  trx: Knex.Transaction,
  orderId: string,
  parcels: readonly ParcelLabel[],
): Promise<void> {
  const label = parcels[0]?.label;
  if (!label) throw new Error(`no labels to save for order ${orderId}`);
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
  await trx('shipment_parcels')
    .insert(
      parcels.map((parcel, index) => ({
        order_id: orderId,
        parcel_number: index + 1,
        weight_oz: parcel.weightOz,
        shipment_id: parcel.label.shipmentId,
        tracker_id: parcel.label.trackerId ?? null,
        tracking_code: parcel.label.trackingCode,
        rate_minor: parcel.label.rateMinor,
        label_url: parcel.label.labelUrl,
        label_purchased_at: trx.fn.now(),
      })),
    )
    .onConflict(['order_id', 'parcel_number'])
    .merge();
}

/** Returns the carrier object stored for the order's labels, if any. */
export async function findLabelPurchase(
  db: Knex | Knex.Transaction,
  orderId: string,
): Promise<PurchaseReference | undefined> {
  const row = (await db('label_purchases').where({ order_id: orderId }).first()) as
    LabelPurchaseRow | undefined;
  return row ? { objectType: row.object_type, objectId: row.object_id } : undefined;
}

/**
 * Deletes the stored carrier object of the order, if it is still `reference`, so that a new one
 * can be stored. Pass the service's `db`, as for `recordLabelPurchase`.
 */
export async function forgetLabelPurchase(
  db: Knex,
  orderId: string,
  reference: PurchaseReference,
): Promise<void> {
  await db('label_purchases')
    .where({ order_id: orderId, object_type: reference.objectType, object_id: reference.objectId })
    .delete();
}

/**
 * Stores the carrier object that the order's labels will be bought from, unless the order has
 * one already, and returns the stored object. Pass the service's `db`, not a handler's
 * transaction, so that the single statement commits before the caller buys the labels.
 */
export async function recordLabelPurchase(
  db: Knex,
  orderId: string,
  reference: PurchaseReference,
): Promise<PurchaseReference> {
  const inserted = (await db('label_purchases')
    .insert({
      order_id: orderId,
      object_type: reference.objectType,
      object_id: reference.objectId,
    })
    .onConflict('order_id')
    .ignore()
    .returning('order_id')) as { order_id: string }[];
  if (inserted.length > 0) return reference;

  const stored = await findLabelPurchase(db, orderId);
  if (!stored) throw new Error(`label purchase of order ${orderId} was neither stored nor found`);
  return stored;
}
