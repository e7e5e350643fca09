import { describe, expect, it } from 'vitest';
import { analyseExpression, analyseSeries, type SeriesCatalog } from './promql.js';

const catalog: SeriesCatalog = new Map([
  ['rollout_phase', new Set(['rollout', 'release', 'phase', 'job', 'instance'])],
  ['rollout_deadline', new Set(['rollout', 'job', 'instance'])],
  ['up', new Set(['job', 'instance'])],
]);
const check = (expr: string) => analyseExpression(expr, catalog);

describe('analyseExpression', () => {
  it('accepts what the catalog has and follows the labels through aggregations and joins', () => {
    const r = check(
      '(time() - max by (rollout, release) (rollout_phase{phase="PAUSED"})) > on (rollout) group_left () max by (rollout) (rollout_deadline)',
    );
    expect(r.problems).toEqual([]);
    expect(r.metrics).toEqual(['rollout_phase', 'rollout_deadline']);
    expect(r.matchers).toEqual([{ metric: 'rollout_phase', label: 'phase', op: '=', value: 'PAUSED' }]);
    expect([...r.outputLabels!].sort()).toEqual(['release', 'rollout']);
    expect([...check('up == 0 and on (job) rollout_deadline').outputLabels!].sort()).toEqual(['instance', 'job']);
    expect([...check('sum by (phase) (increase(rollout_phase[5m])) >= 3').outputLabels!]).toEqual(['phase']);
    expect(check('time()').outputLabels).toBeUndefined();
  });

  it('names a metric no service exports', () => {
    expect(check('rollout_phases{phase="PAUSED"}').problems).toEqual([
      'metric rollout_phases is exported by no Flightdeck service',
    ]);
  });

  it('names a matcher label the metric does not have', () => {
    expect(check('rollout_phase{stage="PAUSED"}').problems).toEqual([
      'rollout_phase{stage="PAUSED"}: rollout_phase has no label "stage" (it has instance, job, phase, release, rollout)',
    ]);
  });

  it('names a grouping label the series do not have, also one an inner aggregation took away', () => {
    expect(check('max by (namespace) (rollout_phase)').problems).toEqual([
      'max by (namespace): label "namespace" is not on the series there (they have instance, job, phase, release, rollout)',
    ]);
    expect(check('max by (release) (sum by (rollout) (rollout_phase))').problems).toEqual([
      'max by (release): label "release" is not on the series there (they have rollout)',
    ]);
  });

  it('names an on or group_left label missing on one side of a join', () => {
    expect(check('rollout_phase > on (release) rollout_deadline').problems).toEqual([
      expect.stringMatching(/^on \(release\), right of .*: label "release" is not on the series there/),
    ]);
    expect(check('rollout_deadline * on (rollout) group_left (phase, namespace) rollout_phase').problems).toEqual([
      expect.stringMatching(/^group_left \(phase, namespace\) in .*: label "namespace" is not on the series there/),
    ]);
  });

  it('reports a syntax error', () => {
    expect(check('max by (rollout (rollout_phase)').problems.length).toBeGreaterThan(0);
  });
});

describe('analyseSeries', () => {
  it("checks a promtool input series' name and labels", () => {
    expect(
      analyseSeries('rollout_phase{rollout="ro-1",phase="PAUSED",job="x",instance="y"}', catalog).problems,
    ).toEqual([]);
    expect(analyseSeries('rollout_phase{rollout="ro-1",cluster="eu"}', catalog).problems).toEqual([
      expect.stringContaining('rollout_phase has no label "cluster"'),
    ]);
    expect(analyseSeries('rollout_phase{phase=~"P.*"}', catalog).problems).toEqual([
      expect.stringContaining('input series take label="value", not =~'),
    ]);
  });
});
