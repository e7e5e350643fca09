import { defineConfig } from 'vitest/config';

// Channels are tested against real servers started in the tests: HTTP receivers and an SMTP sink (smtp-server).
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 20_000 } });
