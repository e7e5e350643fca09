import { describe, expect, it } from 'vitest';
import { assessHealth, HEALTH_RULES, velocityTrend, type HealthInput } from '../../src/domain/health.js';
import { planTimeline } from '../../src/domain/timeline.js';
import type { Forecast } from '../../src/domain/forecast.js';
import { feature } from './features.js';

const target = new Date('2026-06-30T12:00:00Z');

function input(over: Partial<HealthInput> & { now: Date }): HealthInput {
  const features = over.features ?? [feature('a', { status: 'DONE', effort: 10 }), feature('b', { effort: 10 })];
  const velocityHistory = over.velocityHistory ?? [10, 10, 10, 10, 10, 10];
  return {
    status: 'IN_DEVELOPMENT',
    targetDate: target,
    features,
    gates: {},
    velocityHistory,
    timeline: planTimeline({ type: 'MINOR', targetDate: target, features }, { velocityHistory }, over.now),
    ...over,
  };
}

const forecast = (p: number): Forecast => ({
  runs: 100,
  remainingPoints: 10,
  basis: 'HISTORY',
  p50: target,
  p85: target,
  p95: target,
  probabilityOnTime: p,
  bufferDays: 0,
  recommendedBufferDays: 0,
  unbounded: 0,
});

describe('velocity trend', () => {
  it('compares the last three weeks with the three before', () => {
    expect(velocityTrend([10, 10, 10, 8, 8, 8])).toBe('DECLINING');
    expect(velocityTrend([10, 10, 10, 12, 12, 12])).toBe('IMPROVING');
    expect(velocityTrend([10, 10, 10, 10, 10, 10.5])).toBe('STABLE');
    expect(velocityTrend([10, 10])).toBe('UNKNOWN');
  });
});

describe('health report', () => {
  const midway = new Date('2026-05-26T12:00:00Z'); // half of the 4-week development window gone

  it('is GREEN when on track, saying which rules were checked and held, with progress figures', () => {
    const r = assessHealth(input({ now: midway, gates: { FEATURE_COMPLETE: 'PASS' }, forecast: forecast(0.95) }));
    expect(r.status).toBe('GREEN');
    expect(r.reasons).toEqual([
      { rule: 'GATE_FAILED', status: 'GREEN', message: 'no gate failed: FEATURE_COMPLETE passed' },
      { rule: 'GATE_CONDITIONAL', status: 'GREEN', message: 'no gate passed with conditions' },
      { rule: 'PAST_TARGET', status: 'GREEN', message: 'the target date 2026-06-30 is 35 days away' },
      {
        rule: 'FORECAST_AT_RISK',
        status: 'GREEN',
        message: '95% of forecast runs finish by feature complete (85% wanted)',
      },
      { rule: 'CRITICAL_PATH_DELAYED', status: 'GREEN', message: 'the critical path ends by feature complete' },
      {
        rule: 'BEHIND_SCHEDULE',
        status: 'GREEN',
        message: '50% of points done with 50% of the development window gone (within 15 percentage points)',
      },
      { rule: 'OVER_CAPACITY', status: 'GREEN', message: '10 points remain; about 20 fit before feature complete' },
      {
        rule: 'VELOCITY_DECLINING',
        status: 'GREEN',
        message: 'velocity is stable (the last 3 weeks against the 3 before)',
      },
    ]);
    // Every rule named is one of the documented rules.
    expect(r.reasons.every((x) => HEALTH_RULES.some((h) => h.rule === x.rule))).toBe(true);
    expect(r.progress).toMatchObject({
      featuresDone: 1,
      featuresTotal: 2,
      percentComplete: 50,
      pointsDone: 10,
      pointsTotal: 20,
      expectedPercent: 50,
      velocityTrend: 'STABLE',
    });
  });

  it('is YELLOW on a conditional gate or a forecast at risk, listing each reason', () => {
    const r = assessHealth(input({ now: midway, gates: { ALPHA: 'CONDITIONAL' }, forecast: forecast(0.7) }));
    expect(r.status).toBe('YELLOW');
    expect(r.reasons.map((x) => x.rule).sort()).toEqual(['FORECAST_AT_RISK', 'GATE_CONDITIONAL']);
    expect(r.progress.qualityScore).toBe(50);
  });

  it('is RED on a failed gate and on a late forecast', () => {
    const r = assessHealth(
      input({ now: midway, gates: { FEATURE_COMPLETE: 'FAIL', ALPHA: 'PASS' }, forecast: forecast(0.3) }),
    );
    expect(r.status).toBe('RED');
    expect(r.reasons.map((x) => x.rule)).toEqual(['GATE_FAILED', 'FORECAST_LATE']);
    expect(r.progress.failedGates).toEqual(['FEATURE_COMPLETE']);
  });

  it('is YELLOW then RED as progress falls behind the elapsed window', () => {
    const features = [feature('a', { effort: 10, status: 'DONE' }), feature('b', { effort: 40 })];
    const late = new Date('2026-06-02T12:00:00Z'); // 75% of the window gone, 20% of points done
    expect(assessHealth(input({ now: late, features, velocityHistory: [100] })).reasons.map((x) => x.rule)).toContain(
      'BEHIND_SCHEDULE_FAR',
    );
    const some = new Date('2026-05-22T12:00:00Z'); // ~36% gone
    expect(assessHealth(input({ now: some, features, velocityHistory: [100] })).reasons.map((x) => x.rule)).toEqual([
      'BEHIND_SCHEDULE',
    ]);
  });

  it('is RED once the target date passes unreleased, and not after release', () => {
    const after = new Date('2026-07-02T00:00:00Z');
    expect(assessHealth(input({ now: after })).reasons.map((x) => x.rule)).toEqual(['PAST_TARGET']);
    const released = assessHealth(input({ now: after, status: 'RELEASED' }));
    expect(released.status).toBe('GREEN');
    expect(released.reasons).toEqual([
      { rule: 'GATE_FAILED', status: 'GREEN', message: 'no gate has been evaluated yet' },
    ]);
  });

  it('documents every rule it can raise', () => {
    expect(new Set(HEALTH_RULES.map((r) => r.rule)).size).toBe(HEALTH_RULES.length);
  });
});

describe('health of a release planned after its kickoff', () => {
  it('measures the expected progress from when it was planned', () => {
    const created = new Date('2026-05-26T12:00:00Z'); // two weeks after the kickoff of 2026-05-12
    const features = [feature('a', { effort: 10 })];
    const now = new Date('2026-05-27T12:00:00Z');
    const late = assessHealth(input({ now, features, velocityHistory: [100] }));
    expect(late.reasons.map((r) => r.rule)).toContain('BEHIND_SCHEDULE_FAR');
    const fair = assessHealth(input({ now, features, velocityHistory: [100], createdAt: created }));
    expect(fair.progress.expectedPercent).toBe(7.1);
    expect(fair.status).toBe('GREEN');
  });
});
