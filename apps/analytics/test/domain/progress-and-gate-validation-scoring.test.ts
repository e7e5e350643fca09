import { describe, expect, it } from 'vitest';
import { aiEffectiveness, effectivenessSamples, tooFewOutcomes } from '../../src/domain/index.js';
import { NOT_SCORABLE } from '../../src/domain/ai-effectiveness.js';
import { historyOf, Story } from './history-builder.js';

const march = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
const FC = '2026-03-10T00:00:00Z';

describe('progress assessments scored against when the release reached feature complete', () => {
  it('on time (≥ 0.5) is right when feature complete (or a later status) came by the date; late when it did not or has not', () => {
    const s = new Story()
      // reached CODE_FREEZE (skipping FEATURE_COMPLETE) on 8 March: on time
      .release('early', '2026-02-01T00:00:00Z')
      .progress('early', 'ai', 0.8, FC, '2026-03-01T00:00:00Z') // right
      .progress('early', 'deterministic', 0.3, FC, '2026-03-02T00:00:00Z') // wrong
      .status('early', 'CODE_FREEZE', '2026-03-08T00:00:00Z')
      // reached FEATURE_COMPLETE on 12 March: late
      .release('late', '2026-02-01T00:00:00Z')
      .progress('late', 'ai', 0.9, FC, '2026-03-01T00:00:00Z') // wrong
      .progress('late', 'deterministic', 0.2, FC, '2026-03-02T00:00:00Z') // right
      .status('late', 'FEATURE_COMPLETE', '2026-03-12T00:00:00Z')
      // never got there, and the date has passed by the window's end: late
      .release('stuck', '2026-02-01T00:00:00Z')
      .progress('stuck', 'ai', 0.1, FC, '2026-03-01T00:00:00Z') // right
      // the date is after the window's end and not reached: not known yet
      .release('ahead', '2026-02-01T00:00:00Z')
      .progress('ahead', 'ai', 0.9, '2026-05-01T00:00:00Z', '2026-03-01T00:00:00Z')
      // cancelled before feature complete: no outcome
      .release('cancelled', '2026-02-01T00:00:00Z')
      .progress('cancelled', 'deterministic', 0.9, FC, '2026-03-01T00:00:00Z')
      .status('cancelled', 'CANCELLED', '2026-03-05T00:00:00Z');
    const rows = aiEffectiveness(historyOf(s.events), {}, march, 1).filter((r) => r.kind === 'progress-assessment');
    expect(rows).toEqual([
      {
        metric: 'RISK_PREDICTION',
        kind: 'progress-assessment',
        source: 'ai',
        samples: 3,
        value: 2 / 3,
        target: 0.8,
        met: false,
      },
      {
        metric: 'RISK_PREDICTION',
        kind: 'progress-assessment',
        source: 'deterministic',
        samples: 2,
        value: 0.5,
        target: 0.8,
        met: false,
      },
    ]);
  });
});

describe('gate validations scored against the gate’s next outcome', () => {
  it("a verdict is right when the same gate's next evaluation after it had that outcome; none yet, no score", () => {
    const s = new Story()
      .release('r1', '2026-02-01T00:00:00Z')
      .gate('r1', 'BETA', 'FAIL', '2026-03-01T00:00:00Z')
      .validation('r1', 'BETA', 'FAIL', 'deterministic', '2026-03-01T01:00:00Z') // wrong: BETA passed next
      .validation('r1', 'BETA', 'PASS', 'ai', '2026-03-01T02:00:00Z') // right
      .gate('r1', 'ALPHA', 'FAIL', '2026-03-02T00:00:00Z') // another gate: not BETA's outcome
      .gate('r1', 'BETA', 'PASS', '2026-03-03T00:00:00Z')
      .validation('r1', 'BETA', 'PASS', 'ai', '2026-03-04T00:00:00Z'); // no evaluation after it: not scored
    const rows = aiEffectiveness(historyOf(s.events), {}, march, 1).filter((r) => r.kind === 'gate-validation');
    expect(rows).toEqual([
      {
        metric: 'QUALITY_GATE_PREDICTION',
        kind: 'gate-validation',
        source: 'ai',
        samples: 1,
        value: 1,
        target: 0.9,
        met: true,
      },
      {
        metric: 'QUALITY_GATE_PREDICTION',
        kind: 'gate-validation',
        source: 'deterministic',
        samples: 1,
        value: 0,
        target: 0.9,
        met: false,
      },
    ]);
    // Below the minimum of 5 they are listed as too few outcomes, with how many there are so far.
    const parts = [effectivenessSamples(historyOf(s.events), {}, march)];
    expect(tooFewOutcomes(parts).filter((t) => t.kind === 'gate-validation')).toEqual([
      { metric: 'QUALITY_GATE_PREDICTION', kind: 'gate-validation', source: 'ai', samples: 1, minimum: 5 },
      { metric: 'QUALITY_GATE_PREDICTION', kind: 'gate-validation', source: 'deterministic', samples: 1, minimum: 5 },
    ]);
  });
});

describe('advice kinds with no honest outcome', () => {
  it('are named with the reason instead of a score', () => {
    expect(NOT_SCORABLE.map((n) => n.kind)).toEqual(['test-planning', 'post-release']);
    for (const n of NOT_SCORABLE) expect(n.reason.length).toBeGreaterThan(20);
  });
});
