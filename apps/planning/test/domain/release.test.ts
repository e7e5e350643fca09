import { describe, expect, it } from 'vitest';
import {
  addFeature,
  changeStatus,
  planRelease,
  recordProductionRollout,
  removeFeature,
  updateDetails,
  updateFeature,
  type Release,
} from '../../src/domain/release.js';
import { releaseNotes, scopeDocument, weeklyStatus } from '../../src/domain/documents.js';
import { assessHealth } from '../../src/domain/health.js';
import { planTimeline } from '../../src/domain/timeline.js';
import { prioritize } from '../../src/domain/selection.js';

const now = new Date('2026-05-01T09:00:00Z');
const actor = { by: 'alice', at: now };
const base = {
  product: 'checkout-api',
  theme: 'Faster checkout',
  owner: 'alice',
  targetDate: new Date('2026-07-01T12:00:00Z'),
};
const feat = {
  title: 'One-click pay',
  priority: 'MUST' as const,
  businessValue: 8,
  timeCriticality: 5,
  riskReduction: 3,
  effort: 5,
};

function release(): Release {
  return planRelease('r1', { ...base, version: '1.3.0' }, ['1.2.0'], actor);
}

describe('planning a release', () => {
  it('decides the type and starts in PLANNING', () => {
    const r = release();
    expect(r).toMatchObject({
      id: 'r1',
      type: 'MINOR',
      status: 'PLANNING',
      version: '1.3.0',
      team: { velocityHistory: [] },
    });
  });

  it('refuses a bad product, a past target date and a hotfix without a reason', () => {
    expect(() => planRelease('x', { ...base, product: 'Checkout API', version: '1.0.0' }, [], actor)).toThrow(
      /product 'Checkout API'/,
    );
    expect(() =>
      planRelease('x', { ...base, targetDate: new Date('2026-04-01'), version: '1.0.0' }, [], actor),
    ).toThrow(/not in the future/);
    expect(() => planRelease('x', { ...base, version: '1.2.1-hotfix.1' }, ['1.2.0'], actor)).toThrow(
      /qualifying reason/,
    );
    const h = planRelease(
      'x',
      {
        ...base,
        version: '1.2.1-hotfix.1',
        hotfixReason: 'PRODUCTION_DOWN',
        hotfixDetails: 'payments fail since 08:10',
      },
      ['1.2.0'],
      actor,
    );
    expect(h).toMatchObject({ type: 'HOTFIX', baseVersion: '1.2.0', hotfix: { reason: 'PRODUCTION_DOWN' } });
    expect(() =>
      planRelease('x', { ...base, version: '1.3.0', hotfixReason: 'PRODUCTION_DOWN' }, ['1.2.0'], actor),
    ).toThrow(/only applies to HOTFIX/);
  });

  it('updates details and team capacity', () => {
    const r = updateDetails(release(), { theme: 'Even faster', team: { velocityHistory: [10, 12] } }, actor);
    expect(r.theme).toBe('Even faster');
    expect(r.team.velocityHistory).toEqual([10, 12]);
    expect(() => updateDetails(release(), { team: { velocityHistory: [-3] } }, actor)).toThrow(/each week is 0…10000/);
  });
});

describe('scope changes', () => {
  it('keeps every change with who, when and what', () => {
    let r = release();
    r = addFeature(r, 'f1', feat, actor, 'customer request').release;
    r = addFeature(r, 'f2', { ...feat, title: 'Receipts', priority: 'SHOULD', dependsOn: ['f1'] }, actor).release;
    const u = updateFeature(r, 'f2', { effort: 8 }, { by: 'bob', at: now });
    r = u.release;
    const s = updateFeature(r, 'f1', { status: 'DONE' }, actor);
    expect(s.statusChanged).toEqual({ from: 'TODO', to: 'DONE' });
    r = s.release;
    expect(() => removeFeature(r, 'f1', actor)).toThrow("'One-click pay' cannot be removed: 'Receipts' depend on it");
    r = removeFeature(r, 'f2', actor, 'out of time').release;
    expect(r.scopeChanges.map((c) => [c.kind, c.featureId, c.by])).toEqual([
      ['ADDED', 'f1', 'alice'],
      ['ADDED', 'f2', 'alice'],
      ['UPDATED', 'f2', 'bob'],
      ['STATUS_CHANGED', 'f1', 'alice'],
      ['REMOVED', 'f2', 'alice'],
    ]);
    expect(r.scopeChanges[2]!.changes).toEqual([{ field: 'effort', from: 5, to: 8 }]);
    expect(r.scopeChanges[0]!.reason).toBe('customer request');
  });

  it('refuses a dependency cycle introduced by an update', () => {
    let r = addFeature(release(), 'f1', feat, actor).release;
    r = addFeature(r, 'f2', { ...feat, title: 'B', dependsOn: ['f1'] }, actor).release;
    expect(() => updateFeature(r, 'f1', { dependsOn: ['f2'] }, actor)).toThrow(
      "cycle: 'One-click pay' → 'B' → 'One-click pay'",
    );
  });

  it('freezes scope at code freeze except for MUSTs, and still lets work progress', () => {
    let r = addFeature(release(), 'f1', { ...feat, priority: 'SHOULD' }, actor).release;
    r = { ...r, status: 'CODE_FREEZE' };
    expect(() => addFeature(r, 'f2', { ...feat, priority: 'COULD' }, actor)).toThrow(/scope is frozen/);
    expect(addFeature(r, 'f2', feat, actor).release.features).toHaveLength(2);
    expect(updateFeature(r, 'f1', { status: 'DONE' }, actor).release.features[0]!.status).toBe('DONE');
  });

  it('transitions the status and keeps the history', () => {
    const r = changeStatus(release(), 'IN_DEVELOPMENT', actor, 'kickoff held').release;
    expect(r.status).toBe('IN_DEVELOPMENT');
    expect(r.transitions).toEqual([
      { from: 'PLANNING', to: 'IN_DEVELOPMENT', by: 'alice', at: now, reason: 'kickoff held' },
    ]);
  });
});

describe('production rollouts reported by deployment', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 4, 1, 10, minute));
  const apply = (...results: [string, boolean, number][]) =>
    results.reduce(
      (r, [rolloutId, succeeded, minute]) => recordProductionRollout(r, { rolloutId, succeeded, at: at(minute) }),
      release(),
    ).signals.productionRolloutSucceeded;

  it('keeps one workload in production when another workload of the release is rolled back, in either arrival order', () => {
    expect(apply(['web', true, 5], ['api', false, 9])).toBe(true);
    expect(apply(['api', false, 9], ['web', true, 5])).toBe(true);
  });

  it('counts each rollout by its latest outcome by event time: a rollback after promotion undoes it, a retry that succeeds later counts', () => {
    expect(apply(['web', true, 5], ['web', false, 20])).toBe(false);
    expect(apply(['web', false, 20], ['web', true, 5])).toBe(false);
    expect(apply(['web', false, 5], ['web', true, 20])).toBe(true);
    expect(apply(['web', true, 5], ['web', false, 5])).toBe(false);
  });
});

describe('documents', () => {
  it('renders scope, weekly status and release notes from the release', () => {
    let r = updateDetails(release(), { team: { velocityHistory: [10, 10, 10] } }, actor);
    r = addFeature(r, 'f1', { ...feat, description: 'Pay with one tap' }, actor).release;
    r = addFeature(r, 'f2', { ...feat, title: 'Legacy | import', priority: 'WONT' }, actor).release;
    r = updateFeature(r, 'f1', { status: 'DONE' }, actor).release;
    const timeline = planTimeline(r, r.team, now);
    const scope = scopeDocument(r, timeline, prioritize(r.features, { capacity: 20 }).recommended);
    expect(scope).toContain('# Release scope: checkout-api 1.3.0');
    expect(scope).toContain('| One-click pay | MUST | 5 | 16 | 3.20 | DONE | — |');
    expect(scope).toContain("- **Legacy | import** — reason: won't have in this release; target release: not decided");
    expect(scope).toContain('priority WONT');
    const health = assessHealth({ ...r, gates: {}, velocityHistory: r.team.velocityHistory, timeline, now });
    const weekly = weeklyStatus({ release: r, health, timeline, now });
    expect(weekly).toContain('Features complete: 1/1 (100%)');
    expect(weekly).toContain('- One-click pay done');
    expect(releaseNotes(r)).toContain('- **One-click pay** — Pay with one tap');
  });
});
