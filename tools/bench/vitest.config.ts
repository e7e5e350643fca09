import { defineConfig } from 'vitest/config';

// The tests here only prove each benchmark runs end to end at a tiny size; figures come from the scripts.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 } });
