import { defineConfig } from 'vitest/config';

// The short run: a few hundred inputs per property, seconds in all. Long runs: `npx tsx tools/fuzz/src/main.ts --minutes 10`.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 120_000 } });
