import { describe, expect, it } from 'vitest';
import { dailyDigestDue } from '../../src/domain/communication-plan.js';
import { dailyDigest } from '../../src/domain/daily-digest.js';
import { releaseHealth } from '../../src/domain/release-health.js';
import { addFeature, changeStatus, planRelease, updateFeature, type Release } from '../../src/domain/release.js';
import { planTimeline } from '../../src/domain/timeline.js';

const now = new Date('2026-05-01T09:00:00Z');
const actor = { by: 'alice', byName: 'Alice', at: new Date('2026-04-01T09:00:00Z') };
const values = { businessValue: 8, timeCriticality: 5, riskReduction: 3 };

function digestOf(r: Release): string {
  const timeline = planTimeline(r, r.team, now);
  return dailyDigest({ release: r, health: releaseHealth(r, timeline, now), timeline, now });
}

function shop(): Release {
  let r = planRelease(
    'r1',
    {
      product: 'shop',
      version: '2.6.0',
      theme: 'Faster checkout',
      owner: 'rita',
      targetDate: new Date('2026-07-01T12:00:00Z'),
      team: { velocityHistory: [10, 10, 10, 10] },
    },
    [],
    actor,
  );
  const add = (id: string, over: Parameters<typeof addFeature>[2]) => (r = addFeature(r, id, over, actor).release);
  add('pay', { title: 'One-click pay', priority: 'MUST', ...values, effort: 8 });
  add('api', { title: 'Orders API v2', priority: 'SHOULD', ...values, effort: 5 });
  add('fix', { title: 'Totals round half-even', priority: 'COULD', ...values, effort: 2 });
  r = changeStatus(r, 'IN_DEVELOPMENT', actor, 'planned').release;
  return r;
}

describe('the daily digest', () => {
  it('gives progress, blockers and quality from the release’s state', () => {
    let r = shop();
    r = updateFeature(r, 'pay', { status: 'DONE' }, { ...actor, at: new Date('2026-04-30T15:00:00Z') }).release;
    r = updateFeature(r, 'api', { status: 'IN_REVIEW' }, actor).release;
    r = {
      ...r,
      signals: { ...r.signals, gates: { FEATURE_COMPLETE: 'FAIL' } },
      gateResults: [
        { gate: 'FEATURE_COMPLETE', outcome: 'PASS', evaluationId: 'e0', at: new Date('2026-04-20T10:00:00Z') },
        {
          gate: 'FEATURE_COMPLETE',
          outcome: 'FAIL',
          evaluationId: 'e1',
          at: new Date('2026-04-30T10:00:00Z'),
          reasons: ['coverage 71% is under 80%', '2 critical bugs open'],
        },
      ],
    };
    const doc = digestOf(r);
    expect(doc.split('\n').filter((l) => l.startsWith('#') || l.startsWith('**'))).toEqual([
      '# Daily digest: shop 2.6.0 — 2026-05-01',
      '**Overall status:** 🔴 Off track (in development)',
      '## Progress',
      '## Blockers',
      '## Quality',
    ]);
    expect(doc).toContain('- Features done: 1/3; 8 of 15 story points');
    expect(doc).toContain('- One-click pay done\n- Orders API v2: in review (5 points)');
    expect(doc).toMatch(/## Blockers\n\n- RED: the FEATURE_COMPLETE gate failed\n/);
    expect(doc).toContain(
      '## Quality\n\n- feature complete gate: FAIL on 2026-04-30 (evaluation e1): coverage 71% is under 80%; 2 critical bugs open\n- alpha gate: not evaluated yet',
    );
  });

  it('says when nothing blocks and nothing moved', () => {
    const doc = digestOf(shop());
    expect(doc).toContain('**Overall status:** 🟢 On track');
    expect(doc).toContain('## Blockers\n\n- None: every health rule held.');
    expect(doc).toContain('- Nothing finished since yesterday and nothing in progress.');
  });

  it('names the open features of a critical path that ends after feature complete', () => {
    let r = shop();
    r = updateFeature(r, 'api', { dependsOn: ['pay'] }, actor).release;
    r = updateFeature(r, 'fix', { dependsOn: ['api'] }, actor).release;
    r = updateFeature(r, 'pay', { status: 'DONE' }, actor).release;
    // Feature complete on 4 May; the 15-point chain at 10 points a week ends about a week later.
    r = { ...r, targetDate: new Date('2026-05-25T12:00:00Z') };
    const doc = digestOf(r);
    expect(doc).toMatch(/- YELLOW: the critical path ends [\d.]+ days after feature complete/);
    expect(doc).toContain(
      '- Orders API v2 (todo, 5 points) is on the late critical path\n- Totals round half-even (todo, 2 points) is on the late critical path',
    );
    expect(doc).not.toContain('One-click pay (');
  });
});

describe('when the daily digest is due', () => {
  it('weekdays from 09:00 UTC, never at weekends', () => {
    expect(dailyDigestDue(new Date('2026-12-04T08:59:59Z'))).toBeUndefined();
    expect(dailyDigestDue(new Date('2026-12-04T09:00:00Z'))).toBe('2026-12-04');
    expect(dailyDigestDue(new Date('2026-12-04T23:59:00Z'))).toBe('2026-12-04');
    expect(dailyDigestDue(new Date('2026-12-05T10:00:00Z'))).toBeUndefined();
    expect(dailyDigestDue(new Date('2026-12-06T10:00:00Z'))).toBeUndefined();
    expect(dailyDigestDue(new Date('2026-12-07T09:00:00Z'))).toBe('2026-12-07');
  });
});
