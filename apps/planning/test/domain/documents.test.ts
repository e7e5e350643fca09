import { describe, expect, it } from 'vitest';
import {
  addFeature,
  changeStatus,
  updateDetails,
  updateFeature,
  planRelease,
  type Release,
} from '../../src/domain/release.js';
import { releaseNotes, scopeDocument, weeklyStatus } from '../../src/domain/documents.js';
import { assessHealth } from '../../src/domain/health.js';
import { releaseHealth } from '../../src/domain/release-health.js';
import { planTimeline } from '../../src/domain/timeline.js';

const now = new Date('2026-05-01T09:00:00Z');
const actor = { by: 'alice', byName: 'Alice', at: now };
const values = { businessValue: 8, timeCriticality: 5, riskReduction: 3 };

/** A minor release with one feature of each kind, a breaking change, an excluded feature and considerations. */
function shop(): Release {
  let r = planRelease(
    'r1',
    {
      product: 'shop',
      version: '2.6.0',
      theme: 'Faster checkout',
      owner: 'rita',
      targetDate: new Date('2026-07-01T12:00:00Z'),
    },
    ['2.5.0'],
    actor,
  );
  r = updateDetails(
    r,
    {
      team: { velocityHistory: [10, 10, 10, 10] },
      considerations: {
        architectureChanges: ['Payments move to their own service'],
        dependencies: ['Stripe API 2026-03'],
        migrations: ['orders.payment_id becomes a string'],
        successCriteria: ['Checkout p95 under 400 ms', 'Conversion +2%'],
      },
    },
    actor,
  );
  const add = (id: string, over: Parameters<typeof addFeature>[2]) => (r = addFeature(r, id, over, actor).release);
  add('pay', { title: 'One-click pay', description: 'Pay with one tap', priority: 'MUST', ...values, effort: 8 });
  add('api', {
    title: 'Orders API v2',
    description: 'Cursor pages',
    priority: 'SHOULD',
    ...values,
    effort: 5,
    kind: 'IMPROVEMENT',
    breakingChange: 'GET /orders pages by cursor instead of offset',
    migration: 'Read `next` from each page and pass it as `cursor`.',
  });
  add('fix', { title: 'Totals round half-even', priority: 'COULD', ...values, effort: 2, kind: 'FIX' });
  add('wish', {
    title: 'Wishlist',
    priority: 'WONT',
    ...values,
    effort: 13,
    exclusion: { reason: 'needs the new catalogue', targetRelease: '2.7.0' },
  });
  return r;
}

describe('the scope document', () => {
  it('has every section of the process template', () => {
    const r = shop();
    const doc = scopeDocument(r, planTimeline(r, r.team, now));
    const sections = doc.split('\n').filter((l) => l.startsWith('#'));
    expect(sections).toEqual([
      '# Release scope: shop 2.6.0',
      '## Release overview',
      '## Features included',
      '### Must have',
      '### Should have',
      '### Could have',
      '## Features excluded',
      '## Technical considerations',
      '### Architecture changes',
      '### Breaking changes',
      '### Dependencies',
      '### Database migrations',
      '## Success criteria',
      '## Prioritisation (WSJF)',
      '## Milestones',
    ]);
    expect(doc).toContain(
      '- **Version:** 2.6.0\n- **Release date:** 2026-07-01\n- **Release type:** Minor\n- **Theme:** Faster checkout',
    );
    expect(doc).toContain(
      '### Must have\n\n1. **One-click pay**\n   - Description: Pay with one tap\n   - Business value: 8 (time criticality 5, risk reduction 3; WSJF 2.00)\n   - Effort: 8 story points',
    );
    expect(doc).toContain('- **Wishlist** — reason: needs the new catalogue; target release: 2.7.0');
    expect(doc).toContain('### Breaking changes\n\n- Orders API v2: GET /orders pages by cursor instead of offset');
    expect(doc).toContain('### Database migrations\n\n- orders.payment_id becomes a string');
    expect(doc).toContain('## Success criteria\n\n- Checkout p95 under 400 ms\n- Conversion +2%');
  });
});

describe('the release notes', () => {
  it('list what was delivered by kind, the breaking changes and the migration guide', () => {
    let r = shop();
    for (const id of ['pay', 'api', 'fix']) r = updateFeature(r, id, { status: 'DONE' }, actor).release;
    const notes = releaseNotes(r);
    expect(notes).toContain('## New features\n\n- **One-click pay** — Pay with one tap');
    expect(notes).toContain('## Improvements\n\n- **Orders API v2** — Cursor pages');
    expect(notes).toContain('## Fixes\n\n- **Totals round half-even**');
    expect(notes).toContain(
      '## Breaking changes\n\n- **Orders API v2** — GET /orders pages by cursor instead of offset',
    );
    expect(notes).toContain(
      '## Migration guide\n\n### Orders API v2\n\nRead `next` from each page and pass it as `cursor`.',
    );
    expect(notes).not.toContain('Wishlist');
  });

  it('leave out what is not done, and say when nothing breaks', () => {
    const notes = releaseNotes(shop());
    expect(notes).toContain('## New features\n\n- None.');
    expect(notes).toContain('None: this release is compatible with the one before.');
    expect(notes).toContain('No migration needed.');
  });

  it('notes stay editable after the scope freezes; scope does not', () => {
    let r = shop();
    for (const to of ['IN_DEVELOPMENT', 'FEATURE_COMPLETE'] as const) r = changeStatus(r, to, actor, 'next').release;
    r = { ...r, signals: { ...r.signals, gates: { FEATURE_COMPLETE: 'PASS' } } };
    r = changeStatus(r, 'CODE_FREEZE', actor, 'freeze').release;
    expect(
      updateFeature(
        r,
        'fix',
        { breakingChange: 'rounding differs by a cent', migration: 'Recompute stored totals.' },
        actor,
      ).feature.migration,
    ).toBe('Recompute stored totals.');
    expect(() => updateFeature(r, 'fix', { effort: 3 }, actor)).toThrow(/scope is frozen/);
    expect(() => updateFeature(r, 'fix', { migration: 'x' }, actor)).toThrow(
      'a migration guide belongs to a breaking change: give breakingChange too',
    );
  });
});

describe('the weekly status update', () => {
  it('follows the template with real figures', () => {
    let r = shop();
    r = updateFeature(r, 'pay', { status: 'DONE' }, { ...actor, at: new Date('2026-04-29T10:00:00Z') }).release;
    r = {
      ...r,
      signals: { ...r.signals, gates: { FEATURE_COMPLETE: 'FAIL' } },
      gateResults: [
        { gate: 'FEATURE_COMPLETE', outcome: 'FAIL', evaluationId: 'e1', at: new Date('2026-04-30T10:00:00Z') },
      ],
    };
    const timeline = planTimeline(r, r.team, now);
    const health = releaseHealth(r, timeline, now);
    const doc = weeklyStatus({ release: r, health, timeline, now });
    expect(doc.split('\n').filter((l) => l.startsWith('#') || l.startsWith('**'))).toEqual([
      '# Weekly release status: shop 2.6.0 — week of 2026-05-01',
      '**Overall status:** 🔴 Off track',
      '## Progress summary',
      "## This week's accomplishments",
      '## Risks and issues',
      "## Next week's focus",
      '## Support needed',
      '**Next update:** 2026-05-08',
    ]);
    expect(doc).toContain('- Features complete: 1/3 (33.3%); 8 of 15 story points');
    expect(doc).toContain('- Testing progress: 0% (0 of 4 quality gates passed)');
    expect(doc).toContain('- Quality score: 0/10');
    expect(doc).toContain('- One-click pay done');
    expect(doc).toContain(
      "- Issue: the FEATURE_COMPLETE gate failed. Mitigation: fix what the gate's failing criteria name and evaluate it again, or take the failing scope out.",
    );
    expect(doc).toContain('## Support needed\n\n- Technical Lead and QA Lead: a plan for the failed gate');
    expect(doc).toMatch(/## Next week's focus\n\n- Orders API v2 \(todo, 5 points/);
  });

  it('says by how many days the forecast misses feature complete', () => {
    const r = shop();
    const timeline = planTimeline(r, r.team, now);
    const forecast = {
      p50: new Date(timeline.featureComplete.getTime() + 3 * 86_400_000),
      p85: new Date(timeline.featureComplete.getTime() + 6 * 86_400_000),
      p95: new Date(timeline.featureComplete.getTime() + 9 * 86_400_000),
      probabilityOnTime: 0.3,
    };
    const health = assessHealth({
      createdAt: r.createdAt,
      status: r.status,
      targetDate: r.targetDate,
      features: r.features,
      gates: {},
      velocityHistory: r.team.velocityHistory,
      timeline,
      now,
    });
    expect(weeklyStatus({ release: r, health, timeline, now, forecast: forecast as never })).toContain(
      '- Timeline: +3 days (P50 forecast against feature complete)',
    );
  });
});
