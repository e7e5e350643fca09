import { describe, expect, it } from 'vitest';
import { aiEffectiveness, analyseRelease, type EffectivenessRow } from '../../src/domain/index.js';
import { historyOf, Story } from './history-builder.js';

const march = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
const planningRows = (s: Story, window = march): EffectivenessRow[] =>
  aiEffectiveness(historyOf(s.events), {}, window, 1).filter((r) => r.metric === 'PLANNING_ACCURACY');

/** Release r: f1…f4 planned, frozen 1 March; f1, f2, f3 DONE and f4 not by its release on 12 March. */
const frozenRelease = () =>
  new Story()
    .release('r', '2026-02-01T00:00:00Z', { target: '2026-03-15T00:00:00Z' })
    .scope('r', 'f1', 'ADDED', '2026-02-02T00:00:00Z')
    .scope('r', 'f2', 'ADDED', '2026-02-02T00:00:00Z')
    .scope('r', 'f3', 'ADDED', '2026-02-02T00:00:00Z')
    .scope('r', 'f4', 'ADDED', '2026-02-02T00:00:00Z')
    .feature('r', 'f1', 'DONE', '2026-02-20T00:00:00Z')
    .feature('r', 'f2', 'DONE', '2026-02-25T00:00:00Z')
    .status('r', 'CODE_FREEZE', '2026-03-01T00:00:00Z')
    .feature('r', 'f3', 'DONE', '2026-03-05T00:00:00Z')
    .feature('r', 'f4', 'IN_PROGRESS', '2026-03-05T00:00:00Z')
    .status('r', 'RELEASED', '2026-03-12T00:00:00Z')
    .rollout('r', 'ro', '2026-03-11T23:00:00Z', { succeededAt: '2026-03-12T00:00:00Z' });

describe('planning accuracy per source (AI vs deterministic)', () => {
  it('gives the AI and the deterministic recommendation of one release separate rows, from the last of each before code freeze', () => {
    const s = frozenRelease()
      // deterministic: 3 of 3 would have been delivered, but it changed its mind to f1, f2, f4 before the freeze: 2 of 3
      .recommend('r', 'deterministic', ['f1', 'f2', 'f3'], '2026-02-10T00:00:00Z', { leftOut: ['f4'] })
      .recommend('r', 'deterministic', ['f1', 'f2', 'f4'], '2026-02-20T00:00:00Z', { leftOut: ['f3'] })
      // AI: f1 and f4 before the freeze (1 of 2); its f3 after the freeze is too late to count
      .recommend('r', 'ai', ['f1', 'f4'], '2026-02-15T00:00:00Z', { leftOut: ['f2', 'f3'] })
      .recommend('r', 'ai', ['f3'], '2026-03-02T00:00:00Z', { leftOut: ['f1', 'f2', 'f4'] });
    expect(planningRows(s)).toEqual([
      // the team's plan: f1…f4 in scope at the freeze, 3 DONE at release
      { metric: 'PLANNING_ACCURACY', kind: 'prioritisation', samples: 1, value: 0.75, target: 0.85, met: false },
      {
        metric: 'PLANNING_ACCURACY',
        kind: 'prioritisation',
        source: 'ai',
        samples: 1,
        value: 0.5,
        target: 0.85,
        met: false,
      },
      {
        metric: 'PLANNING_ACCURACY',
        kind: 'prioritisation',
        source: 'deterministic',
        samples: 1,
        value: 2 / 3,
        target: 0.85,
        met: false,
      },
    ]);
  });

  it("lists each source's scope recommendation in the release analysis, against what was done at release", () => {
    const s = frozenRelease()
      .recommend('r', 'deterministic', ['f1', 'f2', 'f3'], '2026-02-10T00:00:00Z')
      .recommend('r', 'ai', ['f1', 'f4'], '2026-02-15T00:00:00Z');
    const h = historyOf(s.events);
    const scope = analyseRelease(h.releases.get('r')!, h).predictions.filter((p) => p.what === 'scope');
    expect(scope).toEqual([
      {
        what: 'scope',
        source: 'ai',
        predicted: '2 feature(s) deliverable: f1, f4',
        actual: '1 of them done at release (50%)',
        hit: false,
      },
      {
        what: 'scope',
        source: 'deterministic',
        predicted: '3 feature(s) deliverable: f1, f2, f3',
        actual: '3 of them done at release (100%)',
        hit: true,
      },
    ]);
  });

  it('counts a recommendation made after code freeze for nothing, so a source with only late ones has no row', () => {
    const s = frozenRelease().recommend('r', 'ai', ['f1', 'f2', 'f3'], '2026-03-01T00:00:01Z');
    expect(planningRows(s).map((r) => r.source)).toEqual([undefined]);
  });

  it('takes the last recommendation before release when the release never froze, and averages per release', () => {
    const s = frozenRelease()
      .recommend('r', 'ai', ['f1', 'f2', 'f3'], '2026-02-10T00:00:00Z')
      // n never froze: the AI's g1, g2 on 10 March count (g1 DONE, g2 not: 1 of 2); its g1 after the release does not
      .release('n', '2026-02-01T00:00:00Z', { target: '2026-03-20T00:00:00Z' })
      .scope('n', 'g1', 'ADDED', '2026-02-02T00:00:00Z')
      .scope('n', 'g2', 'ADDED', '2026-02-02T00:00:00Z')
      .recommend('n', 'ai', ['g1', 'g2'], '2026-03-10T00:00:00Z')
      .feature('n', 'g1', 'DONE', '2026-03-15T00:00:00Z')
      .status('n', 'RELEASED', '2026-03-20T00:00:00Z')
      .recommend('n', 'ai', ['g1'], '2026-03-21T00:00:00Z');
    // team plan: r 3/4, n 1/2; AI: r 3/3, n 1/2
    expect(planningRows(s)).toEqual([
      {
        metric: 'PLANNING_ACCURACY',
        kind: 'prioritisation',
        samples: 2,
        value: (0.75 + 0.5) / 2,
        target: 0.85,
        met: false,
      },
      {
        metric: 'PLANNING_ACCURACY',
        kind: 'prioritisation',
        source: 'ai',
        samples: 2,
        value: (1 + 0.5) / 2,
        target: 0.85,
        met: false,
      },
    ]);
  });

  it('a release with no recommendation gives no source row, only the team plan', () => {
    expect(planningRows(frozenRelease())).toEqual([
      { metric: 'PLANNING_ACCURACY', kind: 'prioritisation', samples: 1, value: 0.75, target: 0.85, met: false },
    ]);
  });

  it('counts only releases in production in the window, as the team plan does', () => {
    const s = frozenRelease().recommend('r', 'deterministic', ['f1', 'f2'], '2026-02-10T00:00:00Z');
    const april = { from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z') };
    expect(planningRows(s, april)).toEqual([]);
    expect(planningRows(s)).toContainEqual({
      metric: 'PLANNING_ACCURACY',
      kind: 'prioritisation',
      source: 'deterministic',
      samples: 1,
      value: 1,
      target: 0.85,
      met: true,
    });
  });
});
