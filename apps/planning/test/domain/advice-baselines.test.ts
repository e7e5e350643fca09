import { describe, expect, it } from 'vitest';
import { progressBaseline } from '../../src/domain/advice/progress-assessment.js';
import { testPlanBaseline } from '../../src/domain/advice/test-plan.js';
import { planTimeline } from '../../src/domain/timeline.js';
import { feature } from './features.js';

const now = new Date('2026-05-01T09:00:00Z');

describe('test planning baseline', () => {
  it('orders by risk and picks test types and coverage targets from what each feature is', () => {
    const plan = testPlanBaseline([
      feature('pay', { title: 'Payment tokens', priority: 'MUST', businessValue: 9, riskReduction: 5, effort: 8 }),
      feature('api', {
        title: 'Orders API v2',
        businessValue: 5,
        riskReduction: 2,
        effort: 5,
        breakingChange: 'cursor pages',
        migration: 'use cursor',
        dependsOn: ['pay'],
      }),
      feature('copy', { title: 'Footer copy', priority: 'COULD', businessValue: 1, riskReduction: 0, effort: 1 }),
      feature('gone', { title: 'Wishlist', priority: 'WONT' }),
    ]);
    expect(plan.features.map((f) => [f.featureId, f.risk, f.priority, f.coverageTarget])).toEqual([
      ['pay', 'HIGH', 1, 90],
      ['api', 'MEDIUM', 2, 80],
      ['copy', 'LOW', 3, 70],
    ]);
    expect(plan.features[0]!.testTypes).toEqual(['unit', 'integration', 'end-to-end', 'regression', 'security']);
    expect(plan.features[1]!.testTypes).toEqual(['unit', 'integration', 'contract', 'migration']);
    expect(plan.features[0]!.why).toBe('must have, 1 feature depend on it, large (8 points)');
    expect(plan.summary).toBe('3 features to test, 1 of high risk first');
  });
});

describe('progress assessment baseline', () => {
  it('gives the chance from capacity, the open critical path and the lowest-value features to defer', () => {
    const release = {
      type: 'MINOR' as const,
      targetDate: new Date('2026-06-10T12:00:00Z'),
      features: [
        feature('a', { priority: 'MUST', effort: 13 }),
        feature('b', { priority: 'MUST', effort: 8, dependsOn: ['a'] }),
        feature('c', { priority: 'COULD', effort: 8, businessValue: 1, timeCriticality: 1, riskReduction: 1 }),
        feature('d', { priority: 'SHOULD', effort: 5, businessValue: 8 }),
      ],
    };
    const timeline = planTimeline(release, { velocityHistory: [6, 6, 6] }, now);
    const a = progressBaseline(release.features, timeline);
    expect(timeline.capacityPoints).toBeLessThan(34);
    expect(a.probabilityOnTime).toBe(Math.round((timeline.capacityPoints / 34) * 100) / 100);
    expect(a.criticalPathAtRisk.map((f) => f.featureId)).toEqual(['a', 'b']);
    expect(a.scopeAdjustments[0]).toMatchObject({
      featureId: 'c',
      reason: 'COULD, WSJF 0.38: the lowest value for its effort',
    });
    expect(a.scopeAdjustments.some((s) => s.featureId === 'a' || s.featureId === 'b')).toBe(false);
  });

  it('takes the forecast when there is one', () => {
    const features = [feature('a', { effort: 3 })];
    const timeline = planTimeline(
      { type: 'MINOR', targetDate: new Date('2026-09-01T12:00:00Z'), features },
      { velocityHistory: [10] },
      now,
    );
    expect(progressBaseline(features, timeline, { probabilityOnTime: 0.42 })).toMatchObject({
      probabilityOnTime: 0.42,
      scopeAdjustments: [],
    });
  });
});
