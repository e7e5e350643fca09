import { defineConfig } from 'vitest/config';

// Each test file starts a whole control plane (five processes): one file at a time on a 2-core machine.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 240_000, fileParallelism: false },
});
