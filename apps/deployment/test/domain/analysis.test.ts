import { describe, expect, it } from 'vitest';
import {
  evaluateRun,
  measure,
  newRun,
  parseCondition,
  recordMeasurements,
  renderQuery,
  score,
  type MetricTemplate,
} from '../../src/domain/index.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const metric = (over: Partial<MetricTemplate> = {}): MetricTemplate => ({
  name: 'errors',
  query: 'q{ {{canarySelector}} }[{{interval}}]',
  failureCondition: 'result > 0.05',
  successCondition: 'result <= 0.05',
  intervalSeconds: 5,
  count: 3,
  failureLimit: 0,
  inconclusiveLimit: 1,
  weight: 1,
  ...over,
});
const at = (s: number) => new Date(t0.getTime() + s * 1000);

describe('measurements', () => {
  it('treats no data, NaN and errors as inconclusive, never as a pass', () => {
    const m = { successCondition: parseCondition('result >= 0.95') };
    expect(measure(m, { ok: false, reason: 'no data' }, t0).phase).toBe('INCONCLUSIVE');
    expect(measure(m, { ok: true, value: NaN }, t0).phase).toBe('INCONCLUSIVE');
    expect(measure(m, { ok: true, value: Infinity }, t0).phase).toBe('INCONCLUSIVE');
  });
  it('lets the failure condition win and fails a value missing a lone success condition', () => {
    expect(
      measure(
        { successCondition: parseCondition('result >= 0'), failureCondition: parseCondition('result > 0.05') },
        { ok: true, value: 0.2 },
        t0,
      ).phase,
    ).toBe('FAILED');
    expect(measure({ successCondition: parseCondition('result >= 0.95') }, { ok: true, value: 0.9 }, t0).phase).toBe(
      'FAILED',
    );
    expect(measure({ failureCondition: parseCondition('result > 0.05') }, { ok: true, value: 0.01 }, t0).phase).toBe(
      'SUCCESSFUL',
    );
    expect(
      measure(
        { successCondition: parseCondition('result < 0.01'), failureCondition: parseCondition('result > 0.05') },
        { ok: true, value: 0.03 },
        t0,
      ).phase,
    ).toBe('INCONCLUSIVE');
  });
  it('parses conditions joined by && or || and refuses what it cannot read, saying how to write one', () => {
    const c = parseCondition('result > 1 && result < 3');
    expect(c.clauses).toHaveLength(2);
    expect(parseCondition('result < 1 || result > 3').join).toBe('or');
    expect(() => parseCondition('value > 1')).toThrow(/write result <op> <number>/);
  });
  it('fills query variables and names the unknown ones', () => {
    expect(renderQuery('x{ {{canarySelector}} }', { canarySelector: 'a="b"' })).toBe('x{ a="b" }');
    expect(() => renderQuery('{{nope}}', { a: '1' })).toThrow(/\{\{nope\}\} is unknown; known: \{\{a\}\}/);
  });
});

describe('analysis runs', () => {
  it('fails at the first failure with failure limit 0, without waiting for the count', () => {
    const run = newRun('r', 1, [metric()], { canarySelector: 'x' }, { pass: 90, warning: 75 }, t0);
    const after = recordMeasurements(run, { errors: { ok: true, value: 0.3 } }, at(0));
    expect(after.phase).toBe('FAILED');
    expect(after.message).toMatch(
      /^analysis failed: errors: 0 successful, 1 failed, 0 inconclusive of \d+, failure limit 0; last: 0\.300 meets the failure condition result > 0\.05$/,
    );
  });
  it('tolerates failures up to the limit and succeeds after count measurements', () => {
    let run = newRun('r', 1, [metric({ failureLimit: 1 })], { canarySelector: 'x' }, { pass: 50, warning: 25 }, t0);
    run = recordMeasurements(run, { errors: { ok: true, value: 0.3 } }, at(0));
    expect(run.phase).toBe('RUNNING');
    run = recordMeasurements(run, { errors: { ok: true, value: 0.01 } }, at(5));
    run = recordMeasurements(run, { errors: { ok: true, value: 0.01 } }, at(10));
    expect(run.phase).toBe('SUCCESSFUL');
    expect(run.score).toBeCloseTo(66.7, 1);
  });
  it('becomes inconclusive past the inconclusive limit (Prometheus down) instead of passing', () => {
    let run = newRun('r', 1, [metric()], { canarySelector: 'x' }, { pass: 90, warning: 75 }, t0);
    run = recordMeasurements(
      run,
      { errors: { ok: false, reason: 'Prometheus unreachable: connect ECONNREFUSED' } },
      at(0),
    );
    expect(run.phase).toBe('RUNNING');
    run = recordMeasurements(
      run,
      { errors: { ok: false, reason: 'Prometheus unreachable: connect ECONNREFUSED' } },
      at(5),
    );
    expect(run.phase).toBe('INCONCLUSIVE');
    expect(run.message).toMatch(/inconclusive limit 1.*ECONNREFUSED/);
  });
  it('weights the score by metric and fails below the warning mark, asks a person between warning and pass', () => {
    const a = { ...metric({ name: 'a', weight: 3, failureLimit: 5, count: 2 }) };
    const b = { ...metric({ name: 'b', weight: 1, failureLimit: 5, count: 2 }) };
    let run = newRun('r', 1, [a, b], { canarySelector: 'x' }, { pass: 90, warning: 60 }, t0);
    run = recordMeasurements(run, { a: { ok: true, value: 0 }, b: { ok: true, value: 1 } }, at(0));
    run = recordMeasurements(run, { a: { ok: true, value: 0 }, b: { ok: true, value: 1 } }, at(5));
    expect(score(run.metrics)).toBe(75);
    expect(run.phase).toBe('INCONCLUSIVE');
    const strict = evaluateRun({ ...run, phase: 'RUNNING', scoring: { pass: 90, warning: 80 } }, at(6));
    expect(strict.phase).toBe('FAILED');
  });
});
