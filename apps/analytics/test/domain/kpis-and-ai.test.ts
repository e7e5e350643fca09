import { describe, expect, it } from 'vitest';
import { aiEffectiveness, analyseRelease, releaseKpis, releaseMetrics } from '../../src/domain/index.js';
import { historyOf, Story } from './history-builder.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const march = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };

describe('release KPIs', () => {
  it('an empty window has no rates and no verdicts', () => {
    expect(releaseKpis(historyOf([]), {}, march)).toEqual({
      releaseFrequency: { planned: 0, delivered: 0, onTime: 0, ratio: undefined },
      leadTimeCodeFreezeToProduction: { releases: 0, medianMs: undefined, targetMs: 28 * DAY, met: undefined },
      deploymentSuccessRate: { deployments: 0, succeeded: 0, rate: undefined, target: 0.98, met: undefined },
      releaseQuality: { releases: 0, criticalIncidents: 0, perRelease: undefined, target: 0.5, met: undefined },
    });
  });

  it('frequency against plan, freeze → production lead time, success rate and critical issues in the first 48 h', () => {
    const s = new Story()
      // a: target 15 March, frozen 1 March, in production 14 March (on time, 13 days from freeze)
      .release('a', '2026-02-01T00:00:00Z', { target: '2026-03-15T00:00:00Z' })
      .status('a', 'CODE_FREEZE', '2026-03-01T00:00:00Z')
      .rollout('a', 'a1', '2026-03-14T00:00:00Z', { rolledBackAt: '2026-03-14T01:00:00Z' })
      .rollout('a', 'a2', '2026-03-14T02:00:00Z', { succeededAt: '2026-03-14T03:00:00Z' })
      // critical 47 h after a's production counts, a warning does not, a critical 49 h after does not
      .incident('c1', '2026-03-16T02:00:00Z', { resolvedAt: '2026-03-16T03:00:00Z' })
      .incident('w1', '2026-03-14T05:00:00Z', { severity: 'warning' })
      .incident('c2', '2026-03-16T04:00:00Z')
      // b: target 20 March, frozen 1 Feb, in production 25 March (late, 52 days from freeze)
      .release('b', '2026-01-01T00:00:00Z', { target: '2026-03-20T00:00:00Z' })
      .status('b', 'CODE_FREEZE', '2026-02-01T00:00:00Z')
      .rollout('b', 'b1', '2026-03-25T00:00:00Z', { succeededAt: '2026-03-25T00:00:00Z' }, { deployment: 'b' })
      // c: target in March but cancelled; d: target in March, not delivered
      .release('c', '2026-02-01T00:00:00Z', { target: '2026-03-10T00:00:00Z' })
      .status('c', 'CANCELLED', '2026-02-10T00:00:00Z')
      .release('d', '2026-02-01T00:00:00Z', { target: '2026-03-30T00:00:00Z' });
    const k = releaseKpis(historyOf(s.events), { product: 'shop' }, march);
    expect(k.releaseFrequency).toEqual({ planned: 3, delivered: 2, onTime: 1, ratio: 2 / 3 });
    // median of 13 days + 3 h and 52 days
    expect(k.leadTimeCodeFreezeToProduction).toMatchObject({
      releases: 2,
      medianMs: (13 * DAY + 3 * HOUR + 52 * DAY) / 2,
      met: false,
    });
    expect(k.deploymentSuccessRate).toMatchObject({ deployments: 3, succeeded: 2, rate: 2 / 3, met: false });
    expect(k.releaseQuality).toMatchObject({ releases: 2, criticalIncidents: 1, perRelease: 0.5, met: false });
  });
});

describe('AI effectiveness', () => {
  const story = () =>
    new Story()
      .release('r', '2026-02-01T00:00:00Z', { target: '2026-03-10T00:00:00Z' })
      .scope('r', 'f1', 'ADDED', '2026-02-02T00:00:00Z')
      .scope('r', 'f2', 'ADDED', '2026-02-02T00:00:00Z')
      .scope('r', 'f3', 'ADDED', '2026-02-02T00:00:00Z')
      .scope('r', 'f4', 'ADDED', '2026-02-02T00:00:00Z')
      // added after the freeze: not part of the plan
      .status('r', 'CODE_FREEZE', '2026-03-01T00:00:00Z')
      .scope('r', 'late', 'ADDED', '2026-03-02T00:00:00Z')
      .feature('r', 'f1', 'DONE', '2026-02-20T00:00:00Z')
      .feature('r', 'f2', 'DONE', '2026-02-21T00:00:00Z')
      .feature('r', 'f3', 'DONE', '2026-03-05T00:00:00Z')
      .feature('r', 'late', 'DONE', '2026-03-05T00:00:00Z')
      // forecast on 1 March: p50 11 March (10 days ahead), 30% on time; production 12 March → 10% off, late as feared
      .forecast('r', '2026-03-01T00:00:00Z', '2026-03-11T00:00:00Z', '2026-03-10T00:00:00Z', 0.3)
      // AI said GO and the gate passed; the baseline said NO_GO and it passed too
      .readiness('r', 'GO', 'ai', '2026-03-08T00:00:00Z')
      .readiness('r', 'NO_GO', 'deterministic', '2026-03-08T00:00:00Z')
      .gate('r', 'PRODUCTION', 'PASS', '2026-03-09T00:00:00Z')
      .status('r', 'RELEASED', '2026-03-12T00:00:00Z')
      .rollout('r', 'ro', '2026-03-11T23:00:00Z', { succeededAt: '2026-03-12T00:00:00Z' });

  it('per metric, kind and source, against the targets', () => {
    // One outcome per row: the formulas, with the minimum number of outcomes lowered to 1.
    const rows = aiEffectiveness(historyOf(story().events), {}, march, 1);
    expect(rows).toEqual([
      { metric: 'PLANNING_ACCURACY', kind: 'prioritisation', samples: 1, value: 0.75, target: 0.85, met: false },
      {
        metric: 'RISK_PREDICTION',
        kind: 'readiness',
        source: 'deterministic',
        samples: 1,
        value: 0,
        target: 0.8,
        met: false,
      },
      {
        metric: 'RISK_PREDICTION',
        kind: 'timeline-risk',
        source: 'deterministic',
        samples: 1,
        value: 1,
        target: 0.8,
        met: true,
      },
      {
        metric: 'QUALITY_GATE_PREDICTION',
        kind: 'readiness',
        source: 'ai',
        samples: 1,
        value: 1,
        target: 0.9,
        met: true,
      },
      {
        metric: 'QUALITY_GATE_PREDICTION',
        kind: 'readiness',
        source: 'deterministic',
        samples: 1,
        value: 0,
        target: 0.9,
        met: false,
      },
      {
        metric: 'TIMELINE_VARIANCE',
        kind: 'timeline-risk',
        source: 'deterministic',
        samples: 1,
        value: expect.closeTo(0.1, 10),
        target: 0.15,
        met: true,
      },
    ]);
    expect(aiEffectiveness(historyOf([]), {}, march)).toEqual([]);
  });

  it('the release analysis states objectives against outcomes and the predictions that missed', () => {
    const h = historyOf(story().events);
    const a = analyseRelease(h.releases.get('r')!, h);
    expect(a.objectives.plannedFeatures).toEqual(['f1', 'f2', 'f3', 'f4']);
    expect(a.outcomes).toMatchObject({ deliveredFeatures: ['f1', 'f2', 'f3'], missedFeatures: ['f4'], onTime: false });
    expect(a.predictions.map((p) => [p.what, p.source, p.hit])).toEqual([
      ['readiness', 'ai', true],
      ['readiness', 'deterministic', false],
      ['timeline', 'deterministic', true],
    ]);
    expect(a.findings).toContain('Reached production 2.0 days after its target date.');
    expect(a.findings).toContain('Delivered 3 of 4 planned features (75%).');
    expect(releaseMetrics(h.releases.get('r')!, h)).toMatchObject({
      leadTimeMs: 20 * DAY,
      codeFreezeToProductionMs: 11 * DAY,
      productionRollouts: 1,
      failedDeployments: 0,
      planningAccuracy: 0.75,
    });
  });
});
