import { OUTCOMES, type Outcome } from './outcome.js';
import type { ExpectedOutcome } from './replay-order.js';
import { summarizeLatencies, type LatencySummary } from './statistics.js';

/** Status of an order whose card the payment provider rejected, so it was never submitted. */
export const CARD_REJECTED_STATUS = 'card_rejected';

/** Status of a submitted order that the gateway never returned. */
export const UNKNOWN_STATUS = 'unknown';

/** Final state of one replayed order. */
export interface OrderResult {
  /** Line of the order in the input file. */
  lineNumber: number;
  /** Order id in the input file. */
  sourceOrderId: string;
  /** Order id as submitted, with the run suffix. */
  orderId: string;
  expected: ExpectedOutcome;
  /** Gateway status, or CARD_REJECTED_STATUS or UNKNOWN_STATUS. */
  status: string;
  settled: boolean;
  outcome: Outcome;
  matched: boolean;
  /** Time of the `order.created` event, or null when the order was not submitted. */
  createdAt: string | null;
  /** Milliseconds from `order.created` to the first event of each type, from the gateway. */
  stageTimesMs: Record<string, number>;
  customerMessage: string | null;
  rejectionReason: string | null;
}

/** Counts and latencies of a replay run. */
export interface ReplaySummary {
  /** Orders replayed, not counting invalid input lines. */
  total: number;
  counts: Record<Outcome, number>;
  matched: number;
  mismatches: OrderResult[];
  /** Input lines skipped because they were invalid. */
  invalidLines: number;
  /** Time from `order.created` to `payment.captured`, over orders that were captured. */
  createdToCaptured: LatencySummary;
}

/** Counts outcomes, lists mismatches and computes the created-to-captured percentiles. */
export function summarizeResults(
  results: readonly OrderResult[],
  invalidLines: number,
): ReplaySummary {
  const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<
    Outcome,
    number
  >;
  const capturedMs: number[] = [];
  for (const result of results) {
    counts[result.outcome] += 1;
    const captured = result.stageTimesMs['payment.captured'];
    if (captured !== undefined) capturedMs.push(captured);
  }
  const mismatches = results.filter((result) => !result.matched);
  return {
    total: results.length,
    counts,
    matched: results.length - mismatches.length,
    mismatches,
    invalidLines,
    createdToCaptured: summarizeLatencies(capturedMs),
  };
}

/** Tells whether a run passed: every order matched its expectation and no input line was invalid. */
export function runPassed(summary: ReplaySummary): boolean {
  return summary.mismatches.length === 0 && summary.invalidLines === 0;
}
