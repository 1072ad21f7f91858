import { readFileSync } from 'node:fs';

/** One state's statewide rate, with an enacted change if there is one. */
export interface UsStateRate {
  code: string;
  name: string;
  /** Rate as a fraction, such as 0.0625 for 6.25%. */
  rate: number;
  change: { effectiveDate: string; rate: number } | null;
}

/** Splits one CSV line into fields, honouring double-quoted fields that contain commas. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line.charAt(index);
    if (quoted && char === '"' && line.charAt(index + 1) === '"') {
      field += '"';
      index += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}

/** Parses the rates file (see data/README.md for its source and columns). */
export function parseUsStateRates(csv: string): Map<string, UsStateRate> {
  const [header = '', ...rows] = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = splitCsvLine(header);
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`us-state-rates.csv has no column ${name}`);
    return index;
  };
  const [code, name, pct, changeDate, changePct] = [
    column('code'),
    column('name'),
    column('state_rate_pct'),
    column('scheduled_change_date'),
    column('scheduled_change_pct'),
  ];

  const rates = new Map<string, UsStateRate>();
  for (const row of rows) {
    const fields = splitCsvLine(row);
    const effectiveDate = fields[changeDate] ?? '';
    rates.set(fields[code] ?? '', {
      code: fields[code] ?? '',
      name: fields[name] ?? '',
      rate: Number(fields[pct]) / 100,
      change: effectiveDate ? { effectiveDate, rate: Number(fields[changePct]) / 100 } : null,
    });
  }
  return rates;
}

/** Statewide rates of the 50 states and DC, by USPS code. */
export const US_STATE_RATES: ReadonlyMap<string, UsStateRate> = parseUsStateRates(
  readFileSync(new URL('../../data/us-state-rates.csv', import.meta.url), 'utf8'),
);

/**
 * Returns the state rate in force on `date` (YYYY-MM-DD), or undefined for an unknown state.
 *
 * NOTE: the file contains the current rates and enacted changes only, so a date before the last
 * change gets today's rate (Louisiana charged 4.45% before 2025, for example).
 */
export function usStateRateOn(
  code: string,
  date: string,
): { name: string; rate: number } | undefined {
  const state = US_STATE_RATES.get(code);
  if (!state) return undefined;
  const rate = state.change && date >= state.change.effectiveDate ? state.change.rate : state.rate;
  return { name: state.name, rate };
}
