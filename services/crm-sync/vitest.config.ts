import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share one Kafka broker and PostgreSQL server, and the service's consumer group
    // name is fixed, so files run one at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
