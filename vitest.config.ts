import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // Two workers for the unit project (2 cores here: the default would be one). The integration
    // project runs after it (groupOrder), alone and one file at a time: its real-time media checks
    // never share the CPU with unit tests.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/{unit,contract,browser}/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          testTimeout: 20_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The real Kamailio, rtpengine and SIPp: global-setup starts one stack for the run (a missing
        // component fails it). The files share that stack and its fixed ports, so they run one by one.
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          // a file's concurrent tests all at once (payments.test.ts: seven calls of one group, each
          // test acting on its own call while it lasts); the default 5 would start the rest late
          maxConcurrency: 10,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
