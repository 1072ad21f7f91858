/** Latency percentiles in ms over `count` samples; undefined fields when there are none. */
export interface LatencySummary {
  count: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
}

/**
 * Returns the `p`-th percentile (0 < p <= 100) of `sorted`, which must be in ascending order,
 * by the nearest-rank method: the smallest sample that at least p percent of the samples do not
 * exceed. Returns undefined for an empty list.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100]; received ${p}`);
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1];
}

/** Summarizes latency samples in ms with p50, p95, p99 and the maximum. */
export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0 };
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1],
  };
}
