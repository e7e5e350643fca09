import fc from 'fast-check';
import type { BenchmarkSummary } from '@flightdeck/gates/parsers';
import { hostileText } from '../text.js';

export interface BenchmarkReport {
  text: string;
  expected: BenchmarkSummary;
}

/** A benchmark result file (names with hostile characters, `constructor` and `$gt` among them; a name given twice keeps its last value). */
export const benchmarkReport: fc.Arbitrary<BenchmarkReport> = fc
  .array(
    fc.record({
      name: fc
        .oneof(hostileText(2), fc.constantFrom('p95_latency_ms', 'constructor', 'toString', '$gt', 'a.b'))
        .filter((n) => n !== '__proto__'),
      value: fc.double({ noNaN: true, noDefaultInfinity: true }),
      unit: fc.option(fc.constantFrom('ms', 's', 'req/s', ''), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((benchmarks) => {
    const expected: BenchmarkSummary = { metrics: {} };
    for (const b of benchmarks) {
      // JSON writes -0 as 0.
      const value = JSON.parse(JSON.stringify(b.value)) as number;
      Object.defineProperty(expected.metrics, b.name, {
        value: { value, ...(b.unit ? { unit: b.unit } : {}) },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return { text: JSON.stringify({ benchmarks }), expected };
  });
