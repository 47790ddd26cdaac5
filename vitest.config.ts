import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'web/src/**/*.test.ts'],
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          pool: 'forks',
          // One Temporal dev server and one FerretDB for the whole run, the workflow bundle built once.
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          pool: 'forks',
          globalSetup: ['test/global-setup.ts'],
          // A browser and a service per file, one file at a time: two cores.
          poolOptions: { forks: { singleFork: true } },
          // A screen follows the API by polling each second: give it a few.
          expect: { poll: { timeout: 10_000, interval: 100 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          pool: 'forks',
          // The production topology (scripts/cluster/), once per run: its own global setup.
          globalSetup: ['test/cluster/global-setup.ts'],
          // One file at a time: they kill and restart the cluster's processes.
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          pool: 'forks',
          globalSetup: ['test/global-setup.ts'],
          // One fault at a time: they stop and start servers and load the two cores.
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
