import type { LatencySummary } from './statistics.js';
import type { OrderResult, ReplaySummary } from './replay-summary.js';

/**
 * Columns of the per-order table: each shows the ms from `order.created` to the first of the
 * listed event types, or `-` when none happened.
 */
const STAGE_COLUMNS = [
  { title: 'tax', events: ['tax.calculated'] },
  { title: 'fraud', events: ['fraud.assessed'] },
  {
    title: 'address',
    events: ['shipment.address_verified', 'shipment.address_rejected', 'shipment.freight_required'],
  },
  { title: 'auth', events: ['payment.authorized'] },
  {
    title: 'payment',
    events: ['payment.captured', 'payment.failed', 'payment.authentication_required'],
  },
  { title: 'label', events: ['shipment.label_created'] },
  { title: 'notified', events: ['notification.sent'] },
] as const;

/** Mismatches listed in the summary; the table and `--json` show every order. */
const MAX_LISTED_MISMATCHES = 100;

const WIDTH = { line: 6, orderId: 26, expected: 24, status: 25, stage: 9 } as const;

function firstStageMs(stageTimesMs: Record<string, number>, events: readonly string[]): string {
  const times = events
    .map((event) => stageTimesMs[event])
    .filter((ms): ms is number => ms !== undefined);
  return times.length === 0 ? '-' : String(Math.min(...times));
}

/** Returns the header lines of the per-order table: a note on the units, then the titles. */
export function orderTableHeader(): string[] {
  const titles = [
    'line'.padEnd(WIDTH.line),
    'order id'.padEnd(WIDTH.orderId),
    'expected'.padEnd(WIDTH.expected),
    'final status'.padEnd(WIDTH.status),
    ...STAGE_COLUMNS.map((column) => column.title.padStart(WIDTH.stage)),
    '  result',
  ].join('');
  return ['stage columns: ms from order.created to the first event of the stage', titles];
}

/**
 * Formats one order as a table line: input line, submitted id, expected outcome, final status
 * (with `, unsettled` when not settled), ms to each stage, and `ok` or `MISMATCH`.
 */
export function formatOrderRow(result: OrderResult): string {
  const status = result.settled ? result.status : `${result.status}, unsettled`;
  return [
    String(result.lineNumber).padEnd(WIDTH.line),
    result.orderId.padEnd(WIDTH.orderId - 1) + ' ',
    result.expected.padEnd(WIDTH.expected),
    status.padEnd(WIDTH.status - 1) + ' ',
    ...STAGE_COLUMNS.map((column) =>
      firstStageMs(result.stageTimesMs, column.events).padStart(WIDTH.stage),
    ),
    result.matched ? '  ok' : '  MISMATCH',
  ].join('');
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? '-' : `${ms} ms`;
}

/** Formats latency percentiles as `p50 120 ms, p95 300 ms, p99 450 ms, max 600 ms (n=4667)`. */
export function formatLatencies(latencies: LatencySummary): string {
  if (latencies.count === 0) return 'no samples';
  return (
    `p50 ${formatMs(latencies.p50Ms)}, p95 ${formatMs(latencies.p95Ms)}, ` +
    `p99 ${formatMs(latencies.p99Ms)}, max ${formatMs(latencies.maxMs)} (n=${latencies.count})`
  );
}

function describeMismatch(result: OrderResult): string {
  const status = result.settled ? result.status : `${result.status} (not settled)`;
  const reason = result.rejectionReason ?? result.customerMessage;
  const detail = reason ? `: ${reason}` : '';
  return `  line ${result.lineNumber} ${result.orderId}: expected ${result.expected}, got ${status}${detail}`;
}

/** Formats the run summary: outcome counts, latencies, comparison with `expected`, mismatches. */
export function formatSummary(summary: ReplaySummary, elapsedMs: number): string[] {
  const { counts } = summary;
  const lines = [
    `orders: ${summary.total} replayed, ${summary.invalidLines} invalid input lines skipped, ` +
      `${Math.round(elapsedMs / 1000)} s`,
    `captured ${counts.captured}, declined ${counts.declined}, ` +
      `authentication required ${counts.authentication_required}, in review ${counts.in_review}, ` +
      `blocked ${counts.blocked}, held for address ${counts.held_for_address}, ` +
      `held for freight ${counts.held_for_freight}, failed ${counts.failed}`,
    `order.created to payment.captured: ${formatLatencies(summary.createdToCaptured)}`,
    `expected outcome reached: ${summary.matched} of ${summary.total}, ` +
      `mismatches: ${summary.mismatches.length}`,
  ];
  if (summary.mismatches.length > 0) {
    const listed = summary.mismatches.slice(0, MAX_LISTED_MISMATCHES);
    lines.push('mismatches:', ...listed.map(describeMismatch));
    const more = summary.mismatches.length - listed.length;
    if (more > 0) lines.push(`  ... and ${more} more (the per-order table and --json list all)`);
  }
  return lines;
}
