import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/index.js';

describe('waitFor', () => {
  it('resolves once the predicate returns true', async () => {
    let calls = 0;
    await waitFor(() => ++calls === 3, { intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('names the description on timeout', async () => {
    await expect(
      waitFor(() => false, { timeoutMs: 20, intervalMs: 5, description: 'topic visible' }),
    ).rejects.toThrow('Timed out after 20 ms waiting for topic visible');
  });

  it('reports the last error of a throwing predicate', async () => {
    const wait = waitFor(
      () => {
        throw new Error('unknown topic');
      },
      { timeoutMs: 20, intervalMs: 5, description: 'metadata' },
    );
    await expect(wait).rejects.toThrow('(last check failed: unknown topic)');
  });
});
