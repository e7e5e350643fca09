import fc from 'fast-check';
import { describe, it } from 'vitest';
import { FORMATS, KINDS, newTally, parserProperty, type Kind } from '../src/index.js';

/** The short run: seconds in all. Long runs and their figures: `npx tsx tools/fuzz/src/main.ts --minutes 10` (README). */
const RUNS: Record<Kind, number> = { valid: 150, mutated: 150, garbage: 100, bombs: 15 };

describe.each(FORMATS)('the %s parser under fuzzing', (format) => {
  for (const kind of KINDS) {
    it(
      kind === 'valid'
        ? 'gives exactly the summary of every generated valid report, however it is chunked'
        : `meets its contract on ${kind} input: a summary or a clear error with where, in bounded time`,
      async () => {
        await fc.assert(parserProperty(format, kind, newTally()), { numRuns: RUNS[kind] });
      },
    );
  }
});
