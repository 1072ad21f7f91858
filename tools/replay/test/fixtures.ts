import { readFileSync } from 'node:fs';
import { DEFAULT_ORDERS_FILE } from '../src/replay-options.js';

/** Lines of the project's data set, read once. */
const DATA_SET_LINES = readFileSync(DEFAULT_ORDERS_FILE, 'utf8').split('\n').filter(Boolean);

/** Returns the data set line of `orderId`, as text. */
export function dataSetLine(orderId: string): string {
  const line = DATA_SET_LINES.find((text) => text.includes(`"orderId": "${orderId}"`));
  if (!line) throw new Error(`order ${orderId} is not in the data set`);
  return line;
}

/** Returns the data set line of `orderId` as an object, to modify in a test. */
export function dataSetObject(orderId: string): Record<string, unknown> {
  return JSON.parse(dataSetLine(orderId)) as Record<string, unknown>;
}

/** Returns the first `count` lines of the data set. */
export function firstDataSetLines(count: number): string[] {
  return DATA_SET_LINES.slice(0, count);
}

/** Orders of the data set used by the tests, each chosen for one trait. */
export const SAMPLE_ORDERS = {
  /** One line, Visa test card, expected captured. */
  captured: 'US-2019-103800',
  /** Three lines, one with an 80% discount. */
  threeLines: 'US-2019-112326',
  /** Disposable email, Tor exit IP and billing country NG. */
  risky: 'US-2019-152618',
  /** Canadian order in CAD with a three-character postal code. */
  canadian: 'CA-2019-115238',
  /** Customer without a phone number. */
  noPhone: 'US-2019-130813',
} as const;
