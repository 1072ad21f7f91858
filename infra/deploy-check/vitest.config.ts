import { defineConfig } from 'vitest/config';

// Every test parses the whole set of deployment files, and one starts a private PostgreSQL.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
