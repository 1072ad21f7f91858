/** Parts per million in one percent: 6.875 % is 68,750 ppm. */
const PPM_PER_PERCENT = 10_000;

/**
 * A stored sales-tax rate of one jurisdiction, in parts per million of the taxable amount, so
 * that rates such as 9.975 % stay exact integers.
 */
export interface StoredRate {
  /** Jurisdiction name in upper case, as AvaTax reports it, such as `TEXAS` or `QUEBEC`. */
  name: string;
  /** AvaTax jurisdiction type: `Country` for federal taxes, `State` for states and provinces. */
  type: 'Country' | 'State';
  ratePpm: number;
  /** An enacted rate change: orders placed on or after `effectiveFrom` use `ratePpm`. */
  change?: { effectiveFrom: string; ratePpm: number };
}

/** Returns the rate in force on `date` (YYYY-MM-DD), in parts per million. */
export function ratePpmOn(rate: StoredRate, date: string): number {
  if (rate.change && date >= rate.change.effectiveFrom) return rate.change.ratePpm;
  return rate.ratePpm;
}

/** Converts a rate in parts per million to the decimal fraction that events carry (0.0625). */
export function ppmToFraction(ratePpm: number): number {
  return ratePpm / 1_000_000;
}

/**
 * Converts a percentage written in decimal ("6.875") to parts per million without floating-point
 * error. Throws a RangeError for text that is not a plain decimal with at most 4 decimals.
 */
export function percentToPpm(percent: string): number {
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(percent.trim());
  if (!match) throw new RangeError(`"${percent}" is not a percentage with at most 4 decimals`);
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * PPM_PER_PERCENT + Number(fraction.padEnd(4, '0'));
}
