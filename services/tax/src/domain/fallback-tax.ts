import { CANADA_SALES_TAXES } from './canada-rates.js';
import { lineTaxMinor } from './tax-rounding.js';
import { ppmToFraction, ratePpmOn, type StoredRate } from './tax-rates.js';

/** A US statewide rate, flagged where county and city taxes add to it. */
export interface UsStateRate extends StoredRate {
  localRatesApply: boolean;
}

/** Tax of one jurisdiction over the whole order, in the shape of `tax.calculated`. */
export interface JurisdictionTax {
  name: string;
  type: string;
  /** Decimal fraction, such as 0.0625 for 6.25 %. */
  rate: number;
  taxMinor: number;
}

export interface FallbackTax {
  taxMinor: number;
  jurisdictions: JurisdictionTax[];
  /** Description of the stored rates used, or of why none applied, for the `fallbackReason`. */
  basis: string;
}

/** The order fields that the stored-rate calculation reads. */
export interface TaxableOrder {
  /** ISO 8601 date-time; its date part picks scheduled rate changes. */
  placedAt: string;
  shipTo: { region: string; country: string };
  lines: readonly { lineTotalMinor: number }[];
}

/**
 * Calculates tax from stored rates: the US statewide base rate of the ship-to state, or the
 * Canadian federal and provincial taxes of the ship-to province. Each line is taxed per
 * jurisdiction with `lineTaxMinor`. Other countries, and regions without a stored rate, get
 * tax 0, and `basis` states that.
 */
export function calculateFallbackTax(
  order: TaxableOrder,
  usStateRates: ReadonlyMap<string, UsStateRate>,
): FallbackTax {
  const { country } = order.shipTo;
  const region = order.shipTo.region.trim().toUpperCase();
  if (country === 'US') {
    const rate = usStateRates.get(region);
    if (!rate) return noTax(`no stored rate for US region ${region}, so tax is 0`);
    const basis = rate.localRatesApply
      ? `calculated with the stored statewide base rate of ${region}, without county and city taxes`
      : `calculated with the stored statewide rate of ${region}`;
    return { ...applyRates(order, [rate]), basis };
  }
  if (country === 'CA') {
    const rates = CANADA_SALES_TAXES[region];
    if (!rates) return noTax(`no stored rate for Canadian province ${region}, so tax is 0`);
    return {
      ...applyRates(order, rates),
      basis: `calculated with the stored federal and provincial rates of ${region}`,
    };
  }
  return noTax(`no stored rates for country ${country}, so tax is 0`);
}

function applyRates(order: TaxableOrder, rates: readonly StoredRate[]): Omit<FallbackTax, 'basis'> {
  const date = order.placedAt.slice(0, 10);
  const jurisdictions = rates.map((rate) => {
    const ratePpm = ratePpmOn(rate, date);
    const taxMinor = order.lines.reduce(
      (total, line) => total + lineTaxMinor(line.lineTotalMinor, ratePpm),
      0,
    );
    return { name: rate.name, type: rate.type, rate: ppmToFraction(ratePpm), taxMinor };
  });
  const taxMinor = jurisdictions.reduce((total, jurisdiction) => total + jurisdiction.taxMinor, 0);
  return { taxMinor, jurisdictions };
}

function noTax(basis: string): FallbackTax {
  return { taxMinor: 0, jurisdictions: [], basis };
}
