import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['@flightdeck/testing/global-setup'],
    // Each integration file runs a simulated cluster and a real Prometheus; one file at a time keeps their
    // timing (pod starts, scrapes, analysis intervals) honest on a busy 2-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
