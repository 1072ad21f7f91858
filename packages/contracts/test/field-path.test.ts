import { describe, expect, it } from 'vitest';
import { formatFieldPath } from '../src/field-path.js';

describe('formatFieldPath', () => {
  it.each([
    [[], ''],
    [['orderId'], 'orderId'],
    [['lines', 0, 'quantity'], 'lines.0.quantity'],
    [['data', 'shipTo', 'postalCode'], 'data.shipTo.postalCode'],
  ])('joins plain keys and indexes: %j', (segments, expected) => {
    expect(formatFieldPath(segments)).toBe(expected);
  });

  it.each([
    [['metadata', 'gift.wrap'], 'metadata["gift.wrap"]'],
    [['gift.wrap'], '["gift.wrap"]'],
    [['metadata', 'gift.wrap', 'note'], 'metadata["gift.wrap"].note'],
    [['metadata', ''], 'metadata[""]'],
    [['metadata', 'a[0]'], 'metadata["a[0]"]'],
    [['metadata', 'say "hi"'], 'metadata["say \\"hi\\""]'],
  ])('quotes ambiguous keys: %j', (segments, expected) => {
    expect(formatFieldPath(segments)).toBe(expected);
  });

  it('tells a dotted key from nested keys', () => {
    expect(formatFieldPath(['a.b'])).not.toBe(formatFieldPath(['a', 'b']));
  });
});
