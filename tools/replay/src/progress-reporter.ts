/** Counts shown in one progress line. */
export interface ProgressSnapshot {
  total: number;
  sent: number;
  settled: number;
  /** Orders by current gateway status; `pending` for sent orders the gateway has not shown yet. */
  byStatus: Record<string, number>;
  elapsedMs: number;
}

/** Shows progress while a replay runs; `finish` ends the progress output. */
export interface ProgressReporter {
  update(snapshot: ProgressSnapshot): void;
  finish(): void;
}

/** Interval between progress lines when the output is not a terminal. */
export const PERIODIC_PROGRESS_INTERVAL_MS = 10_000;

/** Formats a snapshot as `sent 1200/5107, settled 800 (captured 700, ...), 45 s`. */
export function formatProgress(snapshot: ProgressSnapshot): string {
  const statuses = Object.entries(snapshot.byStatus)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  return (
    `sent ${snapshot.sent}/${snapshot.total}, settled ${snapshot.settled}` +
    (statuses ? ` (${statuses})` : '') +
    `, ${Math.round(snapshot.elapsedMs / 1000)} s`
  );
}

/**
 * Creates a reporter that writes to `stream`: on a terminal one line that is rewritten in place,
 * otherwise one line every PERIODIC_PROGRESS_INTERVAL_MS.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  if (stream.isTTY) {
    let lineOpen = false;
    return {
      update(snapshot) {
        const columns = stream.columns || 120;
        stream.write(`\r\x1b[2K${formatProgress(snapshot).slice(0, columns - 1)}`);
        lineOpen = true;
      },
      finish() {
        if (lineOpen) stream.write('\n');
      },
    };
  }
  let lastWrittenAt = -Infinity;
  let last: ProgressSnapshot | undefined;
  let lastWritten: ProgressSnapshot | undefined;
  return {
    update(snapshot) {
      last = snapshot;
      if (snapshot.elapsedMs - lastWrittenAt < PERIODIC_PROGRESS_INTERVAL_MS) return;
      stream.write(`${formatProgress(snapshot)}\n`);
      lastWrittenAt = snapshot.elapsedMs;
      lastWritten = snapshot;
    },
    finish() {
      if (last && last !== lastWritten) stream.write(`${formatProgress(last)}\n`);
    },
  };
}
