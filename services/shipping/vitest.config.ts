import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share one Kafka broker and PostgreSQL server. Running them one at a time keeps
    // consumer group joins from timing out on a small machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
