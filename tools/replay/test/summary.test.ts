import { describe, expect, it } from 'vitest';
import { matchesExpected, outcomeOf, type Outcome } from '../src/outcome.js';
import type { ExpectedOutcome } from '../src/replay-order.js';
import { runPassed, summarizeResults, type OrderResult } from '../src/replay-summary.js';
import { formatOrderRow, formatSummary } from '../src/result-report.js';
import { percentile, summarizeLatencies } from '../src/statistics.js';

describe('percentile', () => {
  const samples = Array.from({ length: 100 }, (_, index) => index + 1);

  it('uses the nearest rank', () => {
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
  });

  it('rounds the rank up between samples', () => {
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 34)).toBe(20);
    expect(percentile([10, 20, 30], 33)).toBe(10);
    expect(percentile([10, 20, 30, 40], 99)).toBe(40);
  });

  it('returns the only sample for any percentile', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('returns undefined without samples', () => {
    expect(percentile([], 50)).toBeUndefined();
  });

  it('rejects a percentile outside (0, 100]', () => {
    expect(() => percentile(samples, 0)).toThrow(RangeError);
    expect(() => percentile(samples, 101)).toThrow(RangeError);
  });
});

describe('summarizeLatencies', () => {
  it('sorts unsorted samples', () => {
    const summary = summarizeLatencies([300, 100, 200, 400]);

    expect(summary).toEqual({ count: 4, p50Ms: 200, p95Ms: 400, p99Ms: 400, maxMs: 400 });
  });

  it('returns only the count without samples', () => {
    expect(summarizeLatencies([])).toEqual({ count: 0 });
  });
});

describe('outcomeOf', () => {
  const cases: Array<[string, boolean, Outcome]> = [
    ['captured', true, 'captured'],
    ['declined', true, 'declined'],
    ['authentication_required', true, 'authentication_required'],
    ['in_review', true, 'in_review'],
    ['blocked', true, 'blocked'],
    ['held_for_address', true, 'held_for_address'],
    ['held_for_freight', true, 'held_for_freight'],
    ['rejected', true, 'failed'],
    ['captured', false, 'failed'],
    ['processing', false, 'failed'],
    ['authorized', true, 'failed'],
    ['unknown', false, 'failed'],
  ];

  it.each(cases)('maps %s (settled %s) to %s', (status, settled, outcome) => {
    expect(outcomeOf(status, settled)).toBe(outcome);
  });
});

describe('matchesExpected', () => {
  const cases: Array<[ExpectedOutcome, Outcome, boolean]> = [
    ['captured', 'captured', true],
    ['captured', 'declined', false],
    ['declined', 'declined', true],
    ['authentication_required', 'authentication_required', true],
    ['authentication_required', 'declined', false],
    ['fraud_review_or_block', 'in_review', true],
    ['fraud_review_or_block', 'blocked', true],
    ['fraud_review_or_block', 'captured', false],
    ['held_for_address', 'held_for_address', true],
    ['held_for_address', 'failed', false],
    ['held_for_freight', 'held_for_freight', true],
    ['held_for_freight', 'held_for_address', false],
  ];

  it.each(cases)('expected %s with outcome %s matches: %s', (expected, outcome, matches) => {
    expect(matchesExpected(expected, outcome)).toBe(matches);
  });
});

function result(overrides: Partial<OrderResult>): OrderResult {
  return {
    lineNumber: 1,
    sourceOrderId: 'US-2019-103800',
    orderId: 'US-2019-103800.rtest1',
    expected: 'captured',
    status: 'captured',
    settled: true,
    outcome: 'captured',
    matched: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    stageTimesMs: {},
    customerMessage: null,
    rejectionReason: null,
    ...overrides,
  };
}

describe('summarizeResults', () => {
  const results = [
    result({ lineNumber: 1, stageTimesMs: { 'payment.captured': 300 } }),
    result({ lineNumber: 2, stageTimesMs: { 'payment.captured': 100 } }),
    result({
      lineNumber: 3,
      expected: 'fraud_review_or_block',
      status: 'blocked',
      outcome: 'blocked',
    }),
    result({
      lineNumber: 4,
      expected: 'declined',
      status: 'processing',
      settled: false,
      outcome: 'failed',
      matched: false,
    }),
  ];

  it('counts each outcome', () => {
    const summary = summarizeResults(results, 0);

    expect(summary.total).toBe(4);
    expect(summary.counts).toEqual({
      captured: 2,
      declined: 0,
      authentication_required: 0,
      in_review: 0,
      blocked: 1,
      held_for_address: 0,
      held_for_freight: 0,
      failed: 1,
    });
  });

  it('lists mismatches and fails the run', () => {
    const summary = summarizeResults(results, 0);

    expect(summary.matched).toBe(3);
    expect(summary.mismatches.map((mismatch) => mismatch.lineNumber)).toEqual([4]);
    expect(runPassed(summary)).toBe(false);
  });

  it('computes percentiles over captured orders only', () => {
    const summary = summarizeResults(results, 0);

    expect(summary.createdToCaptured).toEqual({
      count: 2,
      p50Ms: 100,
      p95Ms: 300,
      p99Ms: 300,
      maxMs: 300,
    });
  });

  it('fails a run with invalid input lines', () => {
    const summary = summarizeResults([result({})], 1);

    expect(summary.mismatches).toEqual([]);
    expect(runPassed(summary)).toBe(false);
  });

  it('passes a run where every order matched', () => {
    expect(runPassed(summarizeResults([result({})], 0))).toBe(true);
  });
});

describe('report formatting', () => {
  it('shows the first of each stage group in a row', () => {
    const row = formatOrderRow(
      result({
        stageTimesMs: {
          'tax.calculated': 40,
          'fraud.assessed': 55,
          'payment.captured': 310,
          'notification.sent': 900,
        },
      }),
    );

    expect(row).toMatch(
      /^1 +US-2019-103800\.rtest1 +captured +captured +40 +55 +- +- +310 +- +900 +ok$/,
    );
  });

  it('marks an unsettled mismatch', () => {
    const row = formatOrderRow(result({ status: 'processing', settled: false, matched: false }));

    expect(row).toContain('processing, unsettled');
    expect(row).toMatch(/MISMATCH$/);
  });

  it('summarizes counts, latencies and mismatches', () => {
    const summary = summarizeResults(
      [
        result({ stageTimesMs: { 'payment.captured': 120 } }),
        result({
          lineNumber: 2,
          status: 'declined',
          outcome: 'declined',
          matched: false,
          customerMessage: 'Your card was declined.',
        }),
      ],
      0,
    );

    const lines = formatSummary(summary, 61_400);

    expect(lines).toEqual([
      'orders: 2 replayed, 0 invalid input lines skipped, 61 s',
      'captured 1, declined 1, authentication required 0, in review 0, blocked 0, ' +
        'held for address 0, held for freight 0, failed 0',
      'order.created to payment.captured: p50 120 ms, p95 120 ms, p99 120 ms, max 120 ms (n=1)',
      'expected outcome reached: 1 of 2, mismatches: 1',
      'mismatches:',
      '  line 2 US-2019-103800.rtest1: expected captured, got declined: Your card was declined.',
    ]);
  });
});
