import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Files share one Kafka broker and PostgreSQL server; running them one at a time keeps the
    // 2-core test machine from timing out consumer group joins.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
