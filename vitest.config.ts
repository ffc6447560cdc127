import { defineConfig } from 'vitest/config';

// Two projects: unit tests need nothing; integration and end-to-end suites get a
// real Kafka broker from the global set-up (or KAFKA_BROKERS when it is set).
// Suites that share the broker run one file at a time: two cores are little.
const exclude = ['**/node_modules/**', '**/generated/**', '.hub/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.unit.test.ts'],
          exclude,
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts', '**/*.e2e.test.ts'],
          exclude,
          globalSetup: ['packages/test-support/src/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
