import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real nats-server and the embedded MongoDB-wire server (or MONGODB_URI) for the whole run.
    globalSetup: ['@flightdeck/testing/global-setup'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
