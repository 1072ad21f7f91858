import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The relay test fills a scratch database and drains it through the shared broker.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
