import { AppError } from '@orderflow/service-kit';
import { describe, expect, it } from 'vitest';
import {
  CATEGORY_ITEM_WEIGHT_OZ,
  DEFAULT_ITEM_WEIGHT_OZ,
  MAX_PARCEL_WEIGHT_OZ,
  estimateOrderWeightOz,
  packParcels,
} from '../src/domain/parcel-weight.js';
import { freightMessage, planShipment } from '../src/domain/freight.js';
import {
  addressCorrectionMessage,
  nextLabelStep,
  rejectedFieldPath,
} from '../src/domain/shipment-state.js';

describe('order weight estimate', () => {
  it('multiplies category weight by quantity', () => {
    const weight = estimateOrderWeightOz([
      { category: 'Furniture', quantity: 2 },
      { category: 'Technology', quantity: 1 },
      { category: 'Office Supplies', quantity: 3 },
    ]);
    expect(weight).toBe(
      2 * CATEGORY_ITEM_WEIGHT_OZ.Furniture +
        CATEGORY_ITEM_WEIGHT_OZ.Technology +
        3 * CATEGORY_ITEM_WEIGHT_OZ['Office Supplies'],
    );
  });

  it('uses the default for unknown categories', () => {
    expect(estimateOrderWeightOz([{ quantity: 2 }])).toBe(2 * DEFAULT_ITEM_WEIGHT_OZ);
    expect(estimateOrderWeightOz([{ category: 'toString', quantity: 1 }])).toBe(
      DEFAULT_ITEM_WEIGHT_OZ,
    );
  });
});

type Line = { productId: string; category?: string; quantity: number };

function line(productId: string, category: string | undefined, quantity: number): Line {
  return category === undefined ? { productId, quantity } : { productId, category, quantity };
}

function packingError(lines: Line[], maxWeightOz?: number): AppError {
  try {
    packParcels(lines, maxWeightOz);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected packParcels to throw');
}

describe('parcel packing', () => {
  it('packs a light order into one parcel', () => {
    const parcels = packParcels([
      line('TEC-1', 'Technology', 1),
      line('OFF-1', 'Office Supplies', 2),
    ]);

    expect(parcels).toEqual([
      {
        weightOz: 48 + 2 * 16,
        contents: [
          { line: 1, quantity: 1 },
          { line: 2, quantity: 2 },
        ],
      },
    ]);
  });

  it('fills a parcel exactly to the maximum', () => {
    const parcels = packParcels([
      line('FUR-1', 'Furniture', 7),
      line('OFF-1', 'Office Supplies', 10),
    ]);

    expect(7 * 320 + 10 * 16).toBe(MAX_PARCEL_WEIGHT_OZ);
    expect(parcels.map((parcel) => parcel.weightOz)).toEqual([MAX_PARCEL_WEIGHT_OZ]);
  });

  it('splits a heavy order heaviest items first', () => {
    const lines = [
      line('OFF-1', 'Office Supplies', 3),
      line('FUR-1', 'Furniture', 14),
      line('TEC-1', 'Technology', 2),
    ];
    const parcels = packParcels(lines);

    // 14 chairs: 7 per parcel fill 2,240 oz of 2,400. The phones (48 oz) and the reams (16 oz)
    // fit into the first parcel's remaining 160 oz: 2 * 48 + 3 * 16 = 144.
    expect(parcels).toEqual([
      {
        weightOz: 7 * 320 + 2 * 48 + 3 * 16,
        contents: [
          { line: 2, quantity: 7 },
          { line: 3, quantity: 2 },
          { line: 1, quantity: 3 },
        ],
      },
      { weightOz: 7 * 320, contents: [{ line: 2, quantity: 7 }] },
    ]);
  });

  it('keeps the total equal to the estimate', () => {
    const lines = [
      line('FUR-1', 'Furniture', 13),
      line('TEC-1', 'Technology', 9),
      line('OFF-1', 'Office Supplies', 14),
      line('X-1', undefined, 5),
    ];
    const parcels = packParcels(lines);
    const total = parcels.reduce((sum, parcel) => sum + parcel.weightOz, 0);

    expect(total).toBe(estimateOrderWeightOz(lines));
    for (const parcel of parcels) expect(parcel.weightOz).toBeLessThanOrEqual(MAX_PARCEL_WEIGHT_OZ);
    const packedItems = parcels.flatMap((parcel) => parcel.contents);
    for (const [index, entry] of lines.entries()) {
      const packed = packedItems
        .filter((content) => content.line === index + 1)
        .reduce((sum, content) => sum + content.quantity, 0);
      expect(packed).toBe(entry.quantity);
    }
  });

  it('places a later item into the first parcel with room', () => {
    // Items of 48, 32, 32 and 16 oz in parcels of at most 100 oz: 48 + 32 fill parcel 1 to 80,
    // the second 32 opens parcel 2, and the 16 goes back into parcel 1.
    const parcels = packParcels(
      [line('A', 'Technology', 1), line('B', undefined, 2), line('C', 'Office Supplies', 1)],
      100,
    );

    expect(parcels).toEqual([
      {
        weightOz: 96,
        contents: [
          { line: 1, quantity: 1 },
          { line: 2, quantity: 1 },
          { line: 3, quantity: 1 },
        ],
      },
      { weightOz: 32, contents: [{ line: 2, quantity: 1 }] },
    ]);
  });

  it('opens a new parcel only when no parcel has room', () => {
    const parcels = packParcels([line('A', 'Technology', 3), line('B', 'Office Supplies', 3)], 100);

    // Items of 48, 48, 48, 16, 16, 16 oz: first fit puts 48 + 48 in parcel 1, then 48 + 16 + 16
    // + 16 in parcel 2, because parcel 1 has only 4 oz left.
    expect(parcels.map((parcel) => parcel.weightOz)).toEqual([96, 96]);
  });

  it('rejects an item heavier than a parcel', () => {
    const error = packingError(
      [line('OFF-1', 'Office Supplies', 1), line('FUR-BO-1', 'Furniture', 2)],
      300,
    );

    expect(error.code).toBe('ITEM_TOO_HEAVY_FOR_PARCEL');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('order line 2');
    expect(error.message).toContain('FUR-BO-1');
    expect(error.message).toContain('320 oz');
    expect(error.message).toContain('300 oz');
  });

  it('returns no parcels for no lines', () => {
    expect(packParcels([])).toEqual([]);
  });

  // packParcels places each line's items as one run. This places them one at a time, as the
  // definition of first-fit decreasing reads, to check that both give the same parcels.
  function packItemByItem(lines: Line[], maxWeightOz: number) {
    const weights: Record<string, number> = CATEGORY_ITEM_WEIGHT_OZ;
    const items = lines.flatMap((entry, index) =>
      Array.from({ length: entry.quantity }, () => ({
        line: index + 1,
        weightOz: weights[entry.category ?? ''] ?? DEFAULT_ITEM_WEIGHT_OZ,
      })),
    );
    items.sort((left, right) => right.weightOz - left.weightOz);
    const parcels: { weightOz: number; contents: { line: number; quantity: number }[] }[] = [];
    for (const item of items) {
      let parcel = parcels.find((open) => open.weightOz + item.weightOz <= maxWeightOz);
      if (!parcel) {
        parcel = { weightOz: 0, contents: [] };
        parcels.push(parcel);
      }
      parcel.weightOz += item.weightOz;
      const content = parcel.contents.find((entry) => entry.line === item.line);
      if (content) content.quantity += 1;
      else parcel.contents.push({ line: item.line, quantity: 1 });
    }
    return parcels;
  }

  it('matches item-by-item first-fit on random orders', () => {
    const categories = [undefined, 'Furniture', 'Technology', 'Office Supplies'];
    // A fixed linear congruential sequence, so every run checks the same orders.
    let state = 12_345;
    const next = (limit: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state % limit;
    };
    for (let round = 0; round < 300; round += 1) {
      const maxWeightOz = [320, 500, 1_000, MAX_PARCEL_WEIGHT_OZ][next(4)]!;
      const lines = Array.from({ length: 1 + next(12) }, (_, index) =>
        line(`P-${index}`, categories[next(4)], 1 + next(40)),
      );

      expect(packParcels(lines, maxWeightOz)).toEqual(packItemByItem(lines, maxWeightOz));
    }
  });
});

describe('label step', () => {
  it('buys for a verified address', () => {
    expect(nextLabelStep('address_verified')).toEqual({
      kind: 'buy',
      from: 'address_verified',
      to: 'label_purchased',
    });
  });

  it('skips an already bought label', () => {
    expect(nextLabelStep('label_purchased')).toEqual({ kind: 'already_bought' });
  });

  it('stops at address and freight holds', () => {
    expect(nextLabelStep('address_rejected')).toEqual({
      kind: 'not_shippable',
      state: 'address_rejected',
    });
    expect(nextLabelStep('freight_required')).toEqual({
      kind: 'not_shippable',
      state: 'freight_required',
    });
  });
});

describe('freight plan', () => {
  // 16 chairs and 3 reams fill three parcels: 7 chairs and the reams, 7 chairs, 2 chairs.
  const chairsAndReams = [
    line('FUR-CH-1', 'Furniture', 16),
    line('OFF-PA-1', 'Office Supplies', 3),
  ];

  it('packs parcels up to the parcel limit', () => {
    const plan = planShipment(chairsAndReams, 3);

    expect(plan.kind).toBe('parcels');
    expect(plan.estimatedWeightOz).toBe(16 * 320 + 3 * 16);
    expect(plan.kind === 'parcels' && plan.parcels.map((parcel) => parcel.weightOz)).toEqual([
      7 * 320 + 3 * 16,
      7 * 320,
      2 * 320,
    ]);
  });

  it('needs freight above the parcel limit', () => {
    const plan = planShipment(chairsAndReams, 2);

    expect(plan).toEqual({
      kind: 'freight',
      reason: 'too_many_parcels',
      estimatedWeightOz: 16 * 320 + 3 * 16,
      parcels: 3,
    });
    if (plan.kind !== 'freight') return;
    expect(freightMessage(plan, 2)).toBe(
      'This order would fill 3 parcels, more than the 2 that one parcel shipment can hold, so ' +
        'it has to travel by freight. We will contact you to arrange the delivery. You have not ' +
        'been charged.',
    );
  });

  it('needs freight for an overweight item', () => {
    const plan = planShipment(chairsAndReams, 200, 300);

    expect(plan).toEqual({
      kind: 'freight',
      reason: 'item_too_heavy',
      estimatedWeightOz: 16 * 320 + 3 * 16,
    });
    if (plan.kind !== 'freight') return;
    expect(freightMessage(plan, 200)).toMatch(
      /^An item in this order is heavier than .* You have not been charged\.$/,
    );
  });
});

describe('address rejection wording', () => {
  it('prefixes the field with shipTo', () => {
    expect(rejectedFieldPath('postalCode')).toBe('shipTo.postalCode');
    expect(rejectedFieldPath('shipTo.city')).toBe('shipTo.city');
    expect(rejectedFieldPath('address')).toBe('shipTo');
  });

  it('adds what the customer should do', () => {
    const message = addressCorrectionMessage(
      'The postal code M7A is incomplete. A Canadian postal code has six characters, like M7A 1A1.',
    );
    expect(message).toBe(
      'The postal code M7A is incomplete. A Canadian postal code has six characters, like M7A 1A1. ' +
        'We will send your order once the shipping address is corrected. You have not been charged.',
    );
  });

  it('ends a reason without a full stop', () => {
    expect(addressCorrectionMessage('Address not found')).toMatch(
      /^Address not found\. We will send/,
    );
  });
});
