/** Polling settings for {@link waitFor}. */
export interface WaitForOptions {
  /** Maximum time to wait, in ms (default 10 000). */
  timeoutMs?: number;
  /** Pause between two checks, in ms (default 100). */
  intervalMs?: number;
  /** Description of the awaited condition, as the timeout error shows it ("topic visible"). */
  description?: string;
}

/** Default polling settings of {@link waitFor}. */
export const WAIT_FOR_DEFAULTS = { timeoutMs: 10_000, intervalMs: 100 } as const;

/**
 * Calls `predicate` until it returns true, pausing `intervalMs` between calls.
 * A call that throws counts as false, and the last such error becomes the `cause` of the
 * timeout error, so a check that is not possible yet (an unknown topic) can simply throw.
 * Throws an error naming `description` once `timeoutMs` has passed. Each call is awaited in
 * full, so a predicate that hangs also delays the timeout.
 *
 * @example
 * await waitFor(() => received.length === 10, { description: '10 messages received' });
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? WAIT_FOR_DEFAULTS.timeoutMs;
  const intervalMs = options.intervalMs ?? WAIT_FOR_DEFAULTS.intervalMs;
  const description = options.description ?? 'condition';
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;

  for (;;) {
    try {
      if (await predicate()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }

  const reason = lastError instanceof Error ? ` (last check failed: ${lastError.message})` : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${reason}`, {
    cause: lastError,
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
