import { describe, expect, it } from 'vitest';
import { aiEffectiveness } from '../../src/domain/index.js';
import { historyOf, Story } from './history-builder.js';

const march = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };

describe('timeline-risk advice scored per source against the release date', () => {
  it('a HIGH-likelihood risk is right when the release reached production after its target; a forecast without advice counts by its own probability', () => {
    const s = new Story()
      // late: target 10 March, released 12 March
      .release('late', '2026-02-01T00:00:00Z', { target: '2026-03-10T00:00:00Z' })
      .forecast('late', '2026-03-01T00:00:00Z', '2026-03-11T00:00:00Z', '2026-03-10T00:00:00Z', 0.6, {
        source: 'ai',
        flagsSlip: true,
      })
      .forecast('late', '2026-03-02T00:00:00Z', '2026-03-11T00:00:00Z', '2026-03-10T00:00:00Z', 0.4, {
        source: 'deterministic',
        flagsSlip: true,
      })
      // no HIGH risk named: no slip predicted, nothing to score (risk prediction counts the risks predicted)
      .forecast('late', '2026-03-03T00:00:00Z', '2026-03-11T00:00:00Z', '2026-03-10T00:00:00Z', 0.9, {
        source: 'ai',
        flagsSlip: false,
      })
      .status('late', 'RELEASED', '2026-03-12T00:00:00Z')
      // on time: target 20 March, released 15 March
      .release('ontime', '2026-02-01T00:00:00Z', { target: '2026-03-20T00:00:00Z' })
      .forecast('ontime', '2026-03-01T00:00:00Z', '2026-03-16T00:00:00Z', '2026-03-20T00:00:00Z', 0.7, {
        source: 'ai',
        flagsSlip: true,
      })
      // published before planning named the advice: the forecast's own < 50 % stands for a deterministic prediction
      .forecast('ontime', '2026-03-02T00:00:00Z', '2026-03-16T00:00:00Z', '2026-03-20T00:00:00Z', 0.3)
      .status('ontime', 'RELEASED', '2026-03-15T00:00:00Z');
    const rows = aiEffectiveness(historyOf(s.events), {}, march, 1).filter(
      (r) => r.kind === 'timeline-risk' && r.metric === 'RISK_PREDICTION',
    );
    expect(rows).toEqual([
      {
        metric: 'RISK_PREDICTION',
        kind: 'timeline-risk',
        source: 'ai',
        samples: 2,
        value: 0.5,
        target: 0.8,
        met: false,
      },
      {
        metric: 'RISK_PREDICTION',
        kind: 'timeline-risk',
        source: 'deterministic',
        samples: 2,
        value: 0.5,
        target: 0.8,
        met: false,
      },
    ]);
    // the variance stays the forecasts' (Monte Carlo, deterministic), all five of them
    expect(
      aiEffectiveness(historyOf(s.events), {}, march, 1).find((r) => r.metric === 'TIMELINE_VARIANCE'),
    ).toMatchObject({ source: 'deterministic', samples: 5 });
  });
});
