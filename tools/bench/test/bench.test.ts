import { DEFAULT_ORDERS_FILE, readReplayOrders, type OrderResult } from '@orderflow/replay';
import { describe, expect, it } from 'vitest';
import { formatRelay } from '../src/bench-report.js';
import { endToEndFigures } from '../src/end-to-end-bench.js';
import { median, runRelayBench } from '../src/relay-bench.js';
import { syntheticApprovedOrders } from '../src/synthetic-orders.js';

const dataSet = await readReplayOrders(DEFAULT_ORDERS_FILE, { runId: 'btest' });

describe('syntheticApprovedOrders', () => {
  it('takes only orders expected to be captured', () => {
    const orders = syntheticApprovedOrders(dataSet.orders, 200);

    expect(orders).toHaveLength(200);
    expect(orders.every((entry) => entry.order.expected === 'captured')).toBe(true);
  });

  it('gives repeated orders unique ids', () => {
    const approved = dataSet.orders.filter((entry) => entry.order.expected === 'captured');

    const orders = syntheticApprovedOrders(dataSet.orders, approved.length + 2);
    const ids = orders.map((entry) => entry.order.orderId);

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[approved.length]).toBe(`${approved[0]?.order.orderId}-c1`);
  });
});

function result(createdAt: string | null, capturedMs: number | undefined): OrderResult {
  return {
    lineNumber: 1,
    sourceOrderId: 'US-1',
    orderId: 'US-1.b1',
    expected: 'captured',
    status: capturedMs === undefined ? 'processing' : 'captured',
    settled: capturedMs !== undefined,
    outcome: capturedMs === undefined ? 'failed' : 'captured',
    matched: capturedMs !== undefined,
    createdAt,
    stageTimesMs: capturedMs === undefined ? {} : { 'payment.captured': capturedMs },
    customerMessage: null,
    rejectionReason: null,
  };
}

describe('endToEndFigures', () => {
  it('computes throughput over the capture span', () => {
    const figures = endToEndFigures('b1', [
      result('2026-01-01T00:00:00.000Z', 500),
      result('2026-01-01T00:00:01.000Z', 1_000),
      result('2026-01-01T00:00:01.500Z', undefined),
    ]);

    expect(figures.sent).toBe(3);
    expect(figures.captured).toBe(2);
    expect(figures.ordersPerSecond).toBe(1);
    expect(figures.createdToCaptured.p99Ms).toBe(1_000);
  });

  it('has no throughput without captured orders', () => {
    const figures = endToEndFigures('b1', [result(null, undefined)]);

    expect(figures.sent).toBe(0);
    expect(figures.ordersPerSecond).toBeUndefined();
  });
});

describe('runRelayBench', () => {
  it('drains the outbox in each round and reports the median rates', async () => {
    const figures = await runRelayBench({
      messageCount: 600,
      orders: syntheticApprovedOrders(dataSet.orders, 50),
      partitions: 3,
      timeoutMs: 60_000,
      rounds: 2,
    });

    expect(figures.messageCount).toBe(600);
    expect(figures.rounds).toHaveLength(2);
    for (const round of figures.rounds) {
      expect(round.relayMessagesPerSecond).toBeGreaterThan(0);
      expect(round.producerMessagesPerSecond).toBeGreaterThan(0);
      expect(round.ratio).toBeCloseTo(
        round.relayMessagesPerSecond / round.producerMessagesPerSecond,
      );
    }
    expect(figures.ratio).toBeCloseTo((figures.rounds[0]!.ratio + figures.rounds[1]!.ratio) / 2);
    const lines = formatRelay(figures);
    expect(lines[0]).toBe(
      'outbox relay vs bare kafkajs producer, 600 messages, median of 2 round(s):',
    );
    expect(lines.filter((line) => line.startsWith('    round '))).toHaveLength(2);
  });

  it('takes the middle value as the median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no values');
  });
});
