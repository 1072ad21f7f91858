import { describe, expect, it } from 'vitest';
import { findCardNumbers } from '../src/domain/card-number-guard.js';

describe('findCardNumbers', () => {
  it('finds a test card anywhere in the body', () => {
    expect(
      findCardNumbers({ payment: { paymentMethodId: '4242424242424242' }, notes: ['x'] }),
    ).toEqual(['payment.paymentMethodId']);
  });

  it('finds grouped digits', () => {
    expect(findCardNumbers({ memo: '4000 0027 6000 3184' })).toEqual(['memo']);
  });

  it('ignores digit strings that fail the Luhn check', () => {
    expect(findCardNumbers({ phone: '4242424242424241' })).toEqual([]);
  });

  it('ignores tokens and short numbers', () => {
    expect(
      findCardNumbers({ paymentMethodId: 'pm_123', postalCode: '77095', phone: '+12025550106' }),
    ).toEqual([]);
  });
});
