import type { OrderLine } from '@orderflow/contracts';

/**
 * Estimated shipping weight of one item, in ounces, by product category. These are estimates,
 * not catalog data. Checkout sends no weights, so the table uses a typical item of each category
 * (a chair or bookcase for Furniture, a phone or printer for Technology, a ream or binder for
 * Office Supplies).
 */
export const CATEGORY_ITEM_WEIGHT_OZ = {
  Furniture: 320,
  Technology: 48,
  'Office Supplies': 16,
} as const;

/** Estimated weight of an item whose category is missing or not in the table, in ounces. */
export const DEFAULT_ITEM_WEIGHT_OZ = 32;

/** Heaviest single parcel that UPS and FedEx accept: 150 lb. */
export const MAX_PARCEL_WEIGHT_OZ = 2_400;

/** Estimates the weight of an order in ounces: each line's item weight times its quantity. */
export function estimateOrderWeightOz(
  lines: readonly Pick<OrderLine, 'category' | 'quantity'>[],
): number {
  return lines.reduce((total, line) => total + itemWeightOz(line.category) * line.quantity, 0);
}

/**
 * Returns the weight to declare for the order's one parcel: the estimate, capped at
 * MAX_PARCEL_WEIGHT_OZ.
 *
 * NOTE: an order estimated above the cap would really ship as several parcels or as freight.
 * The service buys one label per order, so such an order is declared at the cap, below its
 * estimated weight.
 */
export function parcelWeightOz(estimatedWeightOz: number): number {
  return Math.min(estimatedWeightOz, MAX_PARCEL_WEIGHT_OZ);
}

function itemWeightOz(category: string | undefined): number {
  if (category !== undefined && Object.hasOwn(CATEGORY_ITEM_WEIGHT_OZ, category)) {
    return CATEGORY_ITEM_WEIGHT_OZ[category as keyof typeof CATEGORY_ITEM_WEIGHT_OZ];
  }
  return DEFAULT_ITEM_WEIGHT_OZ;
}
