import { readFile } from 'node:fs/promises';
import type { UsStateRate } from '../domain/fallback-tax.js';
import { percentToPpm } from '../domain/tax-rates.js';

/** The stored US statewide rates shipped with the service; see data/README.md for the source. */
export const US_STATE_RATES_FILE = new URL('../../data/us-state-rates.csv', import.meta.url);

const REQUIRED_COLUMNS = [
  'code',
  'name',
  'state_rate_pct',
  'local_varies',
  'scheduled_change_date',
  'scheduled_change_pct',
] as const;

/**
 * Reads the US statewide rates CSV into a map by state code. Throws an error naming the line
 * when a column is missing or a rate is not a percentage, so a bad file stops the service at
 * start-up instead of producing wrong tax later.
 */
export async function loadUsStateRates(
  file: URL | string = US_STATE_RATES_FILE,
): Promise<Map<string, UsStateRate>> {
  const [header, ...rows] = parseCsv(await readFile(file, 'utf8'));
  if (!header) throw new Error(`US state rates file ${String(file)} is empty`);
  const columnIndex = indexColumns(header);
  const rates = new Map<string, UsStateRate>();
  rows.forEach((row, index) => {
    const value = (column: (typeof REQUIRED_COLUMNS)[number]) => row[columnIndex[column]] ?? '';
    try {
      rates.set(value('code'), toRate(value));
    } catch (error) {
      throw new Error(`US state rates file, line ${index + 2}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  });
  return rates;
}

function toRate(value: (column: (typeof REQUIRED_COLUMNS)[number]) => string): UsStateRate {
  const rate: UsStateRate = {
    name: value('name').toUpperCase(),
    type: 'State',
    ratePpm: percentToPpm(value('state_rate_pct')),
    localRatesApply: value('local_varies') === 'true',
  };
  const changeDate = value('scheduled_change_date');
  if (changeDate !== '') {
    rate.change = {
      effectiveFrom: changeDate,
      ratePpm: percentToPpm(value('scheduled_change_pct')),
    };
  }
  return rate;
}

function indexColumns(header: string[]): Record<(typeof REQUIRED_COLUMNS)[number], number> {
  const entries = REQUIRED_COLUMNS.map((column) => {
    const position = header.indexOf(column);
    if (position < 0) throw new Error(`US state rates file has no column "${column}"`);
    return [column, position] as const;
  });
  return Object.fromEntries(entries) as Record<(typeof REQUIRED_COLUMNS)[number], number>;
}

/**
 * Splits RFC 4180 CSV text into rows of fields: commas separate fields, double quotes enclose
 * fields that contain commas, and a doubled quote inside them is a literal quote. Blank lines
 * are skipped. Quoted fields may not contain line breaks, which this file never has.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    rows.push(parseCsvLine(line));
  }
  return rows;
}

function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let position = 0; position < line.length; position++) {
    const char = line[position];
    if (quoted && char === '"' && line[position + 1] === '"') {
      field += '"';
      position++;
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
