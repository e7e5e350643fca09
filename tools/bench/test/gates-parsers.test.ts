import { describe, expect, it } from 'vitest';
import { runGatesParsersBench } from '../src/gates-parsers.js';

describe('gates-parsers benchmark', () => {
  it('runs end to end at a tiny size, parser and baseline reading every case, file and result', async () => {
    const results = await runGatesParsersBench({ junitCases: 1500, lcovFiles: 120, sarifResults: 900 });
    expect(results.map((r) => [r.report, r.parser.count, r.baseline.count])).toEqual([
      ['junit', 1500, 1500],
      ['lcov', 120, 120],
      ['sarif', 900, 900],
    ]);
  });
});
