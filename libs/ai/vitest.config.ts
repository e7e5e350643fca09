import { defineConfig } from 'vitest/config';

// The global setup starts a real nats-server and the embedded MongoDB-wire server (or uses MONGODB_URI)
// for the mongoose prediction store tests.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 20_000, globalSetup: ['@flightdeck/testing/global-setup'] },
});
