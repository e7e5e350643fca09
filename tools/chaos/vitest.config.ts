import { defineConfig } from 'vitest/config';

// The short chaos run (about 2 minutes of faults, then the invariants); long runs: `npx tsx tools/chaos/src/main.ts --minutes 10`.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 180_000 } });
