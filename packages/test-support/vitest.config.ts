import { defineConfig } from 'vitest/config';

// Real brokers start, rebalance and restart in these tests, which takes seconds, not ms.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
