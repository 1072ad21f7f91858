import type { OrderLine } from '@orderflow/contracts';
import { itemTooHeavy } from './shipping-errors.js';

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

/** Heaviest single parcel that UPS and FedEx accept: 150 lb. Heavier orders ship as several parcels. */
export const MAX_PARCEL_WEIGHT_OZ = 2_400;

/** Estimates the weight of an order in ounces: each line's item weight times its quantity. */
export function estimateOrderWeightOz(
  lines: readonly Pick<OrderLine, 'category' | 'quantity'>[],
): number {
  return lines.reduce((total, line) => total + itemWeightOz(line.category) * line.quantity, 0);
}

/** Items of one order line packed into a parcel; `line` counts from 1 in the order's lines. */
export interface ParcelContent {
  line: number;
  quantity: number;
}

/** One parcel of an order: its contents and their estimated weight in ounces. */
export interface PackedParcel {
  weightOz: number;
  contents: ParcelContent[];
}

/**
 * Packs the order's items into parcels of at most `maxWeightOz` each, keeping every item whole.
 * First-fit decreasing: items are placed heaviest first, each into the first parcel with room,
 * or into a new parcel. Items of equal weight keep the order of their lines. The parcels'
 * weights add up to `estimateOrderWeightOz(lines)`.
 *
 * Throws a non-retryable AppError (`ITEM_TOO_HEAVY_FOR_PARCEL`) when a single item is heavier
 * than `maxWeightOz`, because such an item ships only as freight.
 */
export function packParcels(
  lines: readonly Pick<OrderLine, 'productId' | 'category' | 'quantity'>[],
  maxWeightOz: number = MAX_PARCEL_WEIGHT_OZ,
): PackedParcel[] {
  // The items of a line are alike, so each line is placed as a run of `quantity` items. A run
  // fills the first parcel with room as far as it can, then the next, which puts every item where
  // placing them one at a time would. The work grows with lines and parcels, not with items.
  const runs = lines.map((line, index) => {
    const weightOz = itemWeightOz(line.category);
    if (weightOz > maxWeightOz) {
      throw itemTooHeavy(index + 1, line.productId, weightOz, maxWeightOz);
    }
    return { line: index + 1, weightOz, quantity: line.quantity };
  });
  // Array.prototype.sort is stable, so runs of equal weight stay in line order.
  runs.sort((a, b) => b.weightOz - a.weightOz);

  const parcels: PackedParcel[] = [];
  // Parcels before this index have no room for an item of `runWeightOz`. Parcels only fill up,
  // so the index only moves on until the item weight changes.
  let firstWithRoom = 0;
  let runWeightOz = 0;
  for (const run of runs) {
    if (run.weightOz !== runWeightOz) {
      runWeightOz = run.weightOz;
      firstWithRoom = 0;
    }
    let remaining = run.quantity;
    while (remaining > 0) {
      let parcel = parcels[firstWithRoom];
      if (parcel === undefined) {
        parcel = { weightOz: 0, contents: [] };
        parcels.push(parcel);
      }
      const fitting = Math.min(
        remaining,
        Math.floor((maxWeightOz - parcel.weightOz) / run.weightOz),
      );
      if (fitting > 0) {
        parcel.weightOz += fitting * run.weightOz;
        parcel.contents.push({ line: run.line, quantity: fitting });
        remaining -= fitting;
      }
      if (parcel.weightOz + run.weightOz > maxWeightOz) firstWithRoom += 1;
    }
  }
  return parcels;
}

/** Weight of the heaviest single item of the order in ounces; 0 for an order without lines. */
export function heaviestItemWeightOz(lines: readonly Pick<OrderLine, 'category'>[]): number {
  return lines.reduce((heaviest, line) => Math.max(heaviest, itemWeightOz(line.category)), 0);
}

function itemWeightOz(category: string | undefined): number {
  if (category !== undefined && Object.hasOwn(CATEGORY_ITEM_WEIGHT_OZ, category)) {
    return CATEGORY_ITEM_WEIGHT_OZ[category as keyof typeof CATEGORY_ITEM_WEIGHT_OZ];
  }
  return DEFAULT_ITEM_WEIGHT_OZ;
}
