import type { OrderLine } from '@orderflow/contracts';
import {
  MAX_PARCEL_WEIGHT_OZ,
  estimateOrderWeightOz,
  heaviestItemWeightOz,
  packParcels,
  type PackedParcel,
} from './parcel-weight.js';

/**
 * Maximum number of parcels in one shipment, and the default limit. The EasyPost adapter buys
 * the labels of several parcels as one EasyPost Order, which takes at most 100 shipments.
 */
export const MAX_PARCELS_PER_SHIPMENT = 100;

export type FreightReason = 'too_many_parcels' | 'item_too_heavy';

/** Shipping plan of an order: parcels, or freight, which the service does not book. */
export type ShipmentPlan =
  | { kind: 'parcels'; estimatedWeightOz: number; parcels: PackedParcel[] }
  | { kind: 'freight'; estimatedWeightOz: number; reason: 'item_too_heavy' }
  | { kind: 'freight'; estimatedWeightOz: number; reason: 'too_many_parcels'; parcels: number };

/**
 * Packs the order's items into parcels of at most `maxParcelWeightOz` (150 lb), or decides that
 * the order needs freight: when one item is heavier than a parcel may be, or when the items fill
 * more than `maxParcels` parcels.
 */
export function planShipment(
  lines: readonly Pick<OrderLine, 'productId' | 'category' | 'quantity'>[],
  maxParcels: number,
  maxParcelWeightOz: number = MAX_PARCEL_WEIGHT_OZ,
): ShipmentPlan {
  const estimatedWeightOz = estimateOrderWeightOz(lines);
  if (heaviestItemWeightOz(lines) > maxParcelWeightOz) {
    return { kind: 'freight', estimatedWeightOz, reason: 'item_too_heavy' };
  }
  const parcels = packParcels(lines, maxParcelWeightOz);
  if (parcels.length > maxParcels) {
    return {
      kind: 'freight',
      estimatedWeightOz,
      reason: 'too_many_parcels',
      parcels: parcels.length,
    };
  }
  return { kind: 'parcels', estimatedWeightOz, parcels };
}

/** Builds the sentence shown to the customer when an order needs freight. */
export function freightMessage(
  plan: Extract<ShipmentPlan, { kind: 'freight' }>,
  maxParcels: number,
): string {
  const cause =
    plan.reason === 'item_too_heavy'
      ? `An item in this order is heavier than the ${MAX_PARCEL_WEIGHT_OZ / 16} lb that parcel carriers accept`
      : `This order would fill ${plan.parcels.toLocaleString('en-US')} parcels, more than the ${maxParcels} that one parcel shipment can hold`;
  return `${cause}, so it has to travel by freight. We will contact you to arrange the delivery. You have not been charged.`;
}
