import { describe, expect, it } from 'vitest';
import { EvidenceParseError, parseBenchmark, parseSarif } from '../../src/adapters/parsers/index.js';
import { stream, text, truncated } from './fixtures.js';

describe('SARIF 2.1.0 on real logs', () => {
  it("CodeQL, two runs: 3 results, note by the rules' defaultConfiguration", async () => {
    const s = await parseSarif('codeql.sarif', stream('codeql-lgtm-two-runs.sarif'));
    expect(s).toMatchObject({
      runs: 2,
      tools: ['LGTM.com', 'CodeQL command-line toolchain'],
      total: 3,
      suppressed: 0,
      byLevel: { error: 0, warning: 0, note: 3, none: 0 },
    });
  });

  it('Trivy: 8 results, 6 warning and 2 note', async () => {
    const s = await parseSarif('trivy.sarif', stream('trivy-alpine-310.sarif'));
    expect(s).toMatchObject({
      runs: 1,
      tools: ['Trivy'],
      total: 8,
      byLevel: { error: 0, warning: 6, note: 2, none: 0 },
    });
  });

  it('MSBuild converter: 4 error, 1 note, and 2 without a level that default to warning', async () => {
    const s = await parseSarif('msbuild.sarif', stream('msbuild-converter-someerrors.sarif'));
    expect(s).toMatchObject({ total: 7, byLevel: { error: 4, warning: 2, note: 1, none: 0 } });
  });

  it('honours accepted suppressions (not rejected ones) and bands security-severity', async () => {
    const log = JSON.parse(text('trivy-alpine-310.sarif'));
    const results = log.runs[0].results;
    results[0].suppressions = [{ kind: 'inSource', status: 'accepted' }];
    results[1].suppressions = [{ kind: 'external', status: 'rejected' }];
    log.runs[0].tool.driver.rules[1].properties = { 'security-severity': '9.8' };
    const s = await parseSarif('trivy.sarif', [JSON.stringify(log)]);
    expect(s).toMatchObject({ total: 8, suppressed: 1, byLevel: { warning: 5, note: 2 } });
    expect(s.bySeverity.critical).toBe(2); // both results of rule index 1
  });

  it('refuses a truncated log with the place it ends, and a log over the size limit', async () => {
    const err = (await parseSarif('trivy.sarif', truncated('trivy-alpine-310.sarif')).catch(
      (e: unknown) => e,
    )) as EvidenceParseError;
    expect(err).toBeInstanceOf(EvidenceParseError);
    expect(err.message).toMatch(/^trivy\.sarif:\d+:\d+: malformed JSON/);
    expect(err.line).toBeGreaterThan(1);
    await expect(parseSarif('big.sarif', stream('trivy-alpine-310.sarif'), 1000)).rejects.toThrow(
      'big.sarif: the SARIF log is larger than the limit of 1000 bytes',
    );
  });

  it('refuses JSON that is not SARIF 2.1.0', async () => {
    await expect(parseSarif('x.sarif', ['{"version":"2.0.0","runs":[]}'])).rejects.toThrow(
      'x.sarif:1:12: SARIF version "2.0.0" is not supported; expected "2.1.0"',
    );
    await expect(parseSarif('x.sarif', ['[1,2]'])).rejects.toThrow(/not a SARIF log/);
  });
});

describe('benchmark result JSON', () => {
  it('reads named values and refuses other shapes with the expected format', async () => {
    const b = await parseBenchmark('bench.json', ['{"benchmarks":[{"name":"p95_ms","value":182.5,"unit":"ms"}]}']);
    expect(b.metrics).toEqual({ p95_ms: { value: 182.5, unit: 'ms' } });
    await expect(parseBenchmark('bench.json', ['{"results":[]}'])).rejects.toThrow(
      /bench\.json:1:1: not a benchmark result: benchmarks: .*expected \{"benchmarks"/,
    );
  });
});
