import { describe, expect, it } from 'vitest';
import {
  CATEGORY_ITEM_WEIGHT_OZ,
  DEFAULT_ITEM_WEIGHT_OZ,
  MAX_PARCEL_WEIGHT_OZ,
  estimateOrderWeightOz,
  parcelWeightOz,
} from '../src/domain/parcel-weight.js';
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

describe('parcel weight', () => {
  it('keeps an estimate under the cap', () => {
    expect(parcelWeightOz(2_399)).toBe(2_399);
  });

  it('caps a heavy order at the carrier maximum', () => {
    const estimated = estimateOrderWeightOz([{ category: 'Furniture', quantity: 14 }]);
    expect(estimated).toBe(14 * 320);
    expect(parcelWeightOz(estimated)).toBe(MAX_PARCEL_WEIGHT_OZ);
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

  it('stops at a rejected address', () => {
    expect(nextLabelStep('address_rejected')).toEqual({ kind: 'address_rejected' });
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
