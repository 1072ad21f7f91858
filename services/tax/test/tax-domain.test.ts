import { describe, expect, it } from 'vitest';
import { loadUsStateRates, parseCsv } from '../src/adapters/us-state-rates-file.js';
import { calculateFallbackTax, type TaxableOrder } from '../src/domain/fallback-tax.js';
import { lineTaxMinor } from '../src/domain/tax-rounding.js';
import { percentToPpm } from '../src/domain/tax-rates.js';

const usStateRates = await loadUsStateRates();

function orderTo(
  country: string,
  region: string,
  lineTotals: number[],
  placedAt = '2019-01-03T00:00:00Z',
): TaxableOrder {
  return {
    placedAt,
    shipTo: { country, region },
    lines: lineTotals.map((lineTotalMinor) => ({ lineTotalMinor })),
  };
}

describe('percentToPpm', () => {
  it('converts decimal percentages exactly', () => {
    expect(percentToPpm('6.875')).toBe(68_750);
    expect(percentToPpm('9.975')).toBe(99_750);
    expect(percentToPpm('4.225')).toBe(42_250);
    expect(percentToPpm('0.000')).toBe(0);
    expect(percentToPpm('7')).toBe(70_000);
  });

  it('rejects text that is not a percentage', () => {
    expect(() => percentToPpm('6.87501')).toThrow(RangeError);
    expect(() => percentToPpm('-1')).toThrow(RangeError);
    expect(() => percentToPpm('')).toThrow(RangeError);
  });
});

describe('lineTaxMinor', () => {
  it('rounds half up to the minor unit', () => {
    expect(lineTaxMinor(1645, 62_500)).toBe(103);
    expect(lineTaxMinor(200, 62_500)).toBe(13);
    expect(lineTaxMinor(10, 50_000)).toBe(1);
    expect(lineTaxMinor(9, 50_000)).toBe(0);
    expect(lineTaxMinor(0, 150_000)).toBe(0);
  });

  it('stays exact for the largest safe amount', () => {
    expect(lineTaxMinor(Number.MAX_SAFE_INTEGER, 1_000_000)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects negative and fractional amounts', () => {
    expect(() => lineTaxMinor(-1, 50_000)).toThrow(RangeError);
    expect(() => lineTaxMinor(1.5, 50_000)).toThrow(RangeError);
  });
});

describe('stored US state rates', () => {
  it('loads every state and DC', () => {
    expect(usStateRates.size).toBe(51);
    expect(usStateRates.get('MN')?.ratePpm).toBe(68_750);
    expect(usStateRates.get('TX')?.localRatesApply).toBe(true);
    expect(usStateRates.get('CT')?.localRatesApply).toBe(false);
    expect(usStateRates.get('DC')?.change).toEqual({
      effectiveFrom: '2026-10-01',
      ratePpm: 70_000,
    });
  });

  it('parses quoted fields with commas', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\n\n1,2,3\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
  });
});

describe('fallback tax', () => {
  it('taxes each line at the state base rate', () => {
    const tax = calculateFallbackTax(orderTo('US', 'TX', [1645, 548]), usStateRates);
    expect(tax.taxMinor).toBe(103 + 34);
    expect(tax.jurisdictions).toEqual([
      { name: 'TEXAS', type: 'State', rate: 0.0625, taxMinor: 137 },
    ]);
    expect(tax.basis).toBe(
      'calculated with the stored statewide base rate of TX, without county and city taxes',
    );
  });

  it('names a state without local taxes', () => {
    const tax = calculateFallbackTax(orderTo('US', 'ct', [10_000]), usStateRates);
    expect(tax.taxMinor).toBe(635);
    expect(tax.basis).toBe('calculated with the stored statewide rate of CT');
  });

  it('applies a scheduled rate change from its date', () => {
    const before = calculateFallbackTax(
      orderTo('US', 'DC', [10_000], '2026-09-30T23:00:00Z'),
      usStateRates,
    );
    const after = calculateFallbackTax(
      orderTo('US', 'DC', [10_000], '2026-10-01T00:00:00Z'),
      usStateRates,
    );
    expect(before.taxMinor).toBe(650);
    expect(after.taxMinor).toBe(700);
  });

  it('adds GST and QST in Quebec', () => {
    const tax = calculateFallbackTax(orderTo('CA', 'QC', [1_000, 2_345]), usStateRates);
    expect(tax.jurisdictions).toEqual([
      { name: 'CANADA', type: 'Country', rate: 0.05, taxMinor: 50 + 117 },
      { name: 'QUEBEC', type: 'State', rate: 0.09975, taxMinor: 100 + 234 },
    ]);
    expect(tax.taxMinor).toBe(167 + 334);
  });

  it('charges HST alone in Ontario', () => {
    const tax = calculateFallbackTax(orderTo('CA', 'ON', [10_000]), usStateRates);
    expect(tax.jurisdictions).toEqual([
      { name: 'ONTARIO', type: 'State', rate: 0.13, taxMinor: 1_300 },
    ]);
  });

  it('lowers Nova Scotia HST from April 2025', () => {
    const before = calculateFallbackTax(
      orderTo('CA', 'NS', [10_000], '2025-03-31T12:00:00-03:00'),
      usStateRates,
    );
    const after = calculateFallbackTax(
      orderTo('CA', 'NS', [10_000], '2025-04-01T09:00:00-03:00'),
      usStateRates,
    );
    expect(before.taxMinor).toBe(1_500);
    expect(after.taxMinor).toBe(1_400);
  });

  it('lowers Manitoba RST from July 2019', () => {
    const before = calculateFallbackTax(
      orderTo('CA', 'MB', [10_000], '2019-06-30T12:00:00-05:00'),
      usStateRates,
    );
    const after = calculateFallbackTax(
      orderTo('CA', 'MB', [10_000], '2019-07-01T09:00:00-05:00'),
      usStateRates,
    );
    expect(before.taxMinor).toBe(500 + 800);
    expect(after.taxMinor).toBe(500 + 700);
  });

  it('charges GST only in Alberta', () => {
    const tax = calculateFallbackTax(orderTo('CA', 'AB', [999]), usStateRates);
    expect(tax.taxMinor).toBe(50);
  });

  it('returns zero for an unknown region', () => {
    const tax = calculateFallbackTax(orderTo('US', 'PR', [10_000]), usStateRates);
    expect(tax.taxMinor).toBe(0);
    expect(tax.jurisdictions).toEqual([]);
    expect(tax.basis).toBe('no stored rate for US region PR, so tax is 0');
  });

  it('returns zero for a country without rates', () => {
    const tax = calculateFallbackTax(orderTo('FR', 'IDF', [10_000]), usStateRates);
    expect(tax.taxMinor).toBe(0);
    expect(tax.basis).toBe('no stored rates for country FR, so tax is 0');
  });
});
