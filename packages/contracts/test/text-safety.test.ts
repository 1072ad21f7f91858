import { describe, expect, it } from 'vitest';
import { containsCardNumber, findUnsafeText, redactCardNumbers } from '../src/text-safety.js';

describe('redactCardNumbers', () => {
  it('replaces card numbers in any separator style', () => {
    expect(redactCardNumbers('/orders/4242424242424242')).toBe('/orders/[card number]');
    expect(redactCardNumbers('a 4242 4242 4242 4242 b')).toBe('a [card number] b');
    expect(redactCardNumbers('x=4000-0000-0000-0002')).toBe('x=[card number]');
  });

  it('replaces full-width digits', () => {
    expect(redactCardNumbers('４２４２４２４２４２４２４２４２')).toBe('[card number]');
  });

  it('keeps digit runs that fail the Luhn check', () => {
    expect(redactCardNumbers('/orders/4242424242424241')).toBe('/orders/4242424242424241');
  });

  it('keeps digits inside longer ids', () => {
    expect(redactCardNumbers('pi_3f9c0123456789012345ab')).toBe('pi_3f9c0123456789012345ab');
  });

  it('leaves nothing that containsCardNumber finds', () => {
    const redacted = redactCardNumbers('cards 4242424242424242 and 5555555555554444');
    expect(containsCardNumber(redacted)).toBe(false);
  });
});

describe('findUnsafeText', () => {
  it('quotes a dotted key in the path', () => {
    const issues = findUnsafeText({ metadata: { 'gift.wrap': 'bow\u0000' } });

    expect(issues.map((issue) => issue.path)).toEqual(['metadata["gift.wrap"]']);
  });
});
