import { describe, expect, it } from 'vitest';
import {
  aiEffectiveness,
  combineEffectiveness,
  effectivenessSamples,
  MIN_OUTCOMES,
  tooFewOutcomes,
} from '../../src/domain/index.js';
import { historyOf, Story } from './history-builder.js';

const march = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
const healthRows = (s: Story, minOutcomes: number) =>
  aiEffectiveness(historyOf(s.events), {}, march, minOutcomes).filter((r) => r.kind === 'deployment-health');

/** Advice on rollouts whose outcomes differ: promoted and quiet, rolled back, promoted then an incident within 48 h or after. */
const story = () =>
  new Story()
    .release('r', '2026-02-01T00:00:00Z', { target: '2026-03-30T00:00:00Z' })
    // promoted, no incident: the AI's PROMOTE is right
    .rollout('r', 'ro1', '2026-03-02T00:00:00Z', { succeededAt: '2026-03-02T01:00:00Z' })
    .healthAdvice('r', 'ro1', 'PROMOTE', 'ai', '2026-03-02T00:30:00Z')
    // rolled back: the AI's PROMOTE is wrong, the baseline's ROLLBACK right
    .rollout('r', 'ro2', '2026-03-03T00:00:00Z', { rolledBackAt: '2026-03-03T01:00:00Z' })
    .healthAdvice('r', 'ro2', 'PROMOTE', 'ai', '2026-03-03T00:30:00Z')
    .healthAdvice('r', 'ro2', 'ROLLBACK', 'deterministic', '2026-03-03T00:31:00Z')
    // promoted, then an incident on it 5 h later: PROMOTE wrong, HOLD right
    .rollout('r', 'ro3', '2026-03-04T00:00:00Z', { succeededAt: '2026-03-04T01:00:00Z' })
    .healthAdvice('r', 'ro3', 'PROMOTE', 'ai', '2026-03-04T00:30:00Z')
    .healthAdvice('r', 'ro3', 'HOLD', 'deterministic', '2026-03-04T00:31:00Z')
    .incident('i3', '2026-03-04T06:00:00Z', { rolloutId: 'ro3' })
    // promoted, an incident 49 h later is past the horizon: PROMOTE right
    .rollout('r', 'ro4', '2026-03-10T00:00:00Z', { succeededAt: '2026-03-10T01:00:00Z' })
    .healthAdvice('r', 'ro4', 'PROMOTE', 'deterministic', '2026-03-10T00:30:00Z')
    .incident('i4', '2026-03-12T02:00:00Z', { rolloutId: 'ro4' })
    // a staging rollout rolled back: ROLLBACK right
    .rollout('r', 'st1', '2026-03-05T00:00:00Z', { rolledBackAt: '2026-03-05T01:00:00Z' }, { environment: 'staging' })
    .healthAdvice('r', 'st1', 'ROLLBACK', 'deterministic', '2026-03-05T00:30:00Z', 'staging')
    // still running: no outcome yet, not scored
    .rollout('r', 'ro5', '2026-03-20T00:00:00Z', {})
    .healthAdvice('r', 'ro5', 'ROLLBACK', 'ai', '2026-03-20T00:30:00Z')
    // advice before the window is not this window's
    .rollout('r', 'ro0', '2026-02-20T00:00:00Z', { succeededAt: '2026-02-20T01:00:00Z' })
    .healthAdvice('r', 'ro0', 'ROLLBACK', 'ai', '2026-02-20T00:30:00Z');

describe('deployment-health advice scored against its rollout', () => {
  it('PROMOTE is right when the rollout did not fail within 48 h of its end; HOLD and ROLLBACK when it did', () => {
    expect(healthRows(story(), 1)).toEqual([
      {
        metric: 'RISK_PREDICTION',
        kind: 'deployment-health',
        source: 'ai',
        samples: 3,
        value: 1 / 3,
        target: 0.8,
        met: false,
      },
      {
        metric: 'RISK_PREDICTION',
        kind: 'deployment-health',
        source: 'deterministic',
        samples: 4,
        value: 1,
        target: 0.8,
        met: true,
      },
    ]);
  });

  it('a product scope keeps its own rollouts’ advice only', () => {
    const s = story().release('other', '2026-02-01T00:00:00Z', { target: '2026-03-30T00:00:00Z', product: 'other' });
    s.rollout(
      'other',
      'x1',
      '2026-03-06T00:00:00Z',
      { succeededAt: '2026-03-06T01:00:00Z' },
      { namespace: 'other' },
    ).healthAdvice('other', 'x1', 'PROMOTE', 'ai', '2026-03-06T00:30:00Z');
    const rows = aiEffectiveness(historyOf(s.events), { product: 'other' }, march, 1).filter(
      (r) => r.kind === 'deployment-health',
    );
    expect(rows).toEqual([
      {
        metric: 'RISK_PREDICTION',
        kind: 'deployment-health',
        source: 'ai',
        samples: 1,
        value: 1,
        target: 0.8,
        met: true,
      },
    ]);
  });

  it(`a kind and source with fewer than ${MIN_OUTCOMES} outcomes gets no number and is listed as having too few`, () => {
    const parts = [effectivenessSamples(historyOf(story().events), {}, march)];
    expect(combineEffectiveness(parts).filter((r) => r.kind === 'deployment-health')).toEqual([]);
    expect(tooFewOutcomes(parts).filter((t) => t.kind === 'deployment-health')).toEqual([
      { metric: 'RISK_PREDICTION', kind: 'deployment-health', source: 'ai', samples: 3, minimum: MIN_OUTCOMES },
      {
        metric: 'RISK_PREDICTION',
        kind: 'deployment-health',
        source: 'deterministic',
        samples: 4,
        minimum: MIN_OUTCOMES,
      },
    ]);
    // a kind nobody predicted on is listed with no outcomes
    expect(tooFewOutcomes(parts)).toContainEqual({
      metric: 'QUALITY_GATE_PREDICTION',
      kind: 'readiness',
      source: 'ai',
      samples: 0,
      minimum: MIN_OUTCOMES,
    });

    // the fifth outcome of the baseline gives it a number, counted across two partitions
    const fifth = new Story()
      .release('p', '2026-02-01T00:00:00Z', { target: '2026-03-30T00:00:00Z', product: 'pay' })
      .rollout('p', 'p1', '2026-03-07T00:00:00Z', { rolledBackAt: '2026-03-07T01:00:00Z' }, { namespace: 'pay' })
      .healthAdvice('p', 'p1', 'PROMOTE', 'deterministic', '2026-03-07T00:30:00Z');
    const both = [...parts, effectivenessSamples(historyOf(fifth.events), {}, march)];
    expect(combineEffectiveness(both).filter((r) => r.kind === 'deployment-health')).toEqual([
      {
        metric: 'RISK_PREDICTION',
        kind: 'deployment-health',
        source: 'deterministic',
        samples: 5,
        value: 4 / 5,
        target: 0.8,
        met: false,
      },
    ]);
    expect(
      tooFewOutcomes(both)
        .filter((t) => t.kind === 'deployment-health')
        .map((t) => t.source),
    ).toEqual(['ai']);
  });
});
