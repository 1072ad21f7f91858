import { describe, expect, it } from 'vitest';
import { findDuplicateKey } from '../src/json-duplicate-keys.js';

function duplicateIn(text: string) {
  return findDuplicateKey(text, JSON.parse(text));
}

describe('findDuplicateKey', () => {
  const duplicates: Array<[string, Array<string | number>]> = [
    ['{"orderId":"A","orderId":"B"}', ['orderId']],
    ['{"a":1,"b":{"c":2,"c":3}}', ['b', 'c']],
    ['[0,{"x":1},[{"y":1,"y":2}]]', [2, 0, 'y']],
    ['{"lines":[{"sku":"a"},{"sku":"b","qty":1,"sku":"c"}]}', ['lines', 1, 'sku']],
    ['{"a":1,"\\u0061":2}', ['a']],
    ['{"a\\"b":1,"a\\"b":2}', ['a"b']],
    ['{"\\\\":1,"\\\\":2}', ['\\']],
    ['{ "a" : [ ] , "a" : { } }', ['a']],
    ['{"":1,"":2}', ['']],
    ['{"t":"09:30:00","a:b":1,"a:b":2}', ['a:b']],
  ];

  it.each(duplicates)('finds the duplicate in %s', (text, path) => {
    expect(duplicateIn(text)).toEqual(path);
  });

  const unique = [
    '{"a":1,"b":2}',
    '[{"a":1},{"a":2}]',
    '{"a":{"a":{"a":1}}}',
    '{"note":"\\"a\\":1,\\"a\\":2","a":1}',
    '{"a\\\\":1,"a":2}',
    '{"a":"}","b":"{\\"a\\":1}"}',
    '{"placedAt":"2021-06-01T09:30:00Z","a:b":"c:d"}',
    '"a string with a colon: here"',
    '[1, 2.5e3, true, false, null]',
    '{}',
    '[]',
  ];

  it.each(unique)('finds no duplicate in %s', (text) => {
    expect(duplicateIn(text)).toBeUndefined();
  });

  it('handles deep nesting without recursion', () => {
    const depth = 100_000;
    const text = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(duplicateIn(text)).toBeUndefined();
  });

  it('names a duplicate under deep nesting', () => {
    const depth = 100_000;
    const text = `${'[{"a":'.repeat(depth)}{"b":1,"b":2}${'}]'.repeat(depth)}`;
    const path = duplicateIn(text);
    expect(path).toHaveLength(2 * depth + 1);
    expect(path?.slice(0, 4)).toEqual([0, 'a', 0, 'a']);
    expect(path?.at(-1)).toBe('b');
  });

  it('resets the keys of sibling objects', () => {
    const text = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ id: i, name: 'n' })));
    expect(duplicateIn(text)).toBeUndefined();
    expect(duplicateIn(text.replace('"id":999', '"id":999,"id":9'))).toEqual([999, 'id']);
  });
});
