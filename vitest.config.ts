import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'results/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Real-time tests measure pacing; two cores, so keep parallel files few.
    maxWorkers: 2,
  },
});
