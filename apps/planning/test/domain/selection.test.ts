import { describe, expect, it } from 'vitest';
import { prioritize } from '../../src/domain/selection.js';
import { rankByWsjf, wsjf } from '../../src/domain/wsjf.js';
import { feature } from './features.js';

describe('WSJF', () => {
  it('divides the cost of delay by effort', () => {
    expect(wsjf({ businessValue: 8, timeCriticality: 5, riskReduction: 3, effort: 4 })).toBe(4);
  });

  it('ranks the highest WSJF first, ties by priority', () => {
    const ranked = rankByWsjf([
      feature('low', { effort: 10 }),
      feature('could', { priority: 'COULD', effort: 2 }),
      feature('must', { priority: 'MUST', effort: 2 }),
    ]);
    expect(ranked.map((r) => [r.featureId, r.rank])).toEqual([
      ['must', 1],
      ['could', 2],
      ['low', 3],
    ]);
  });
});

describe('capacity-constrained selection', () => {
  it('keeps MUSTs, then fills the capacity by WSJF, with reasons for what is left out', () => {
    const features = [
      feature('must', { title: 'Checkout', priority: 'MUST', effort: 8 }), // wsjf 1.25
      feature('quick', { title: 'Dark mode', businessValue: 8, effort: 2 }), // wsjf 6.5
      feature('big', { title: 'Reports', businessValue: 20, effort: 13 }), // wsjf 1.92
      feature('mid', { title: 'Export', effort: 3 }), // wsjf 3.33
    ];
    const { recommended, mvp, extended } = prioritize(features, { capacity: 15, stretch: 1 });
    expect(recommended.selected.sort()).toEqual(['mid', 'must', 'quick']);
    expect(recommended.totalEffort).toBe(13);
    expect(recommended.leftOut).toEqual([
      { featureId: 'big', title: 'Reports', reason: 'needs 13 points, more than the 2 of 15 left' },
    ]);
    expect(mvp.selected).toEqual(['must']);
    expect(mvp.leftOut.map((l) => l.featureId).sort()).toEqual(['big', 'mid', 'quick']);
    expect(mvp.leftOut[0]!.reason).toMatch(/^not a MUST and no MUST depends on it/);
    expect(extended.capacity).toBe(30);
    expect(extended.selected).toHaveLength(4);
    expect(extended.leftOut).toEqual([]);
  });

  it('takes a feature only with its dependencies, and orders them first', () => {
    const features = [
      feature('api', { title: 'API', businessValue: 1, timeCriticality: 0, riskReduction: 0, effort: 5 }),
      feature('ui', { title: 'UI', businessValue: 30, effort: 2, dependsOn: ['api'] }),
      feature('docs', { title: 'Docs', businessValue: 3, effort: 4 }),
    ];
    const { recommended } = prioritize(features, { capacity: 8 });
    expect(recommended.selected).toEqual(['api', 'ui']);
    expect(recommended.leftOut).toEqual([
      { featureId: 'docs', title: 'Docs', reason: 'needs 4 points, more than the 1 of 8 left' },
    ]);
  });

  it('says when a feature only misses out because of its dependencies', () => {
    const features = [
      feature('api', { effort: 6, businessValue: 0, timeCriticality: 0, riskReduction: 0 }),
      feature('ui', { title: 'UI', effort: 1, dependsOn: ['api'] }),
    ];
    expect(prioritize(features, { capacity: 4 }).recommended.leftOut.find((l) => l.featureId === 'ui')!.reason).toBe(
      'needs its 1 points plus unselected dependencies, more than the 4 of 4 points left',
    );
  });

  it('pulls the dependencies of a MUST into the MVP', () => {
    const features = [
      feature('lib', { priority: 'COULD', effort: 3 }),
      feature('must', { priority: 'MUST', dependsOn: ['lib'] }),
    ];
    expect(prioritize(features, { capacity: 100 }).mvp.selected).toEqual(['lib', 'must']);
  });

  it('keeps MUSTs beyond capacity and says so', () => {
    const { recommended } = prioritize([feature('a', { priority: 'MUST', effort: 20 }), feature('b', { effort: 1 })], {
      capacity: 10,
    });
    expect(recommended.selected).toEqual(['a']);
    expect(recommended.overCapacity).toBe(true);
    expect(recommended.notes[0]).toContain('need 20 points, more than the capacity of 10');
    expect(recommended.leftOut[0]!.reason).toContain('no capacity left');
  });

  it('leaves out WONTs, dropped features and what depends on them', () => {
    const features = [
      feature('wont', { title: 'Legacy import', priority: 'WONT' }),
      feature('dropped', { title: 'Old UI', status: 'DROPPED' }),
      feature('needs', { title: 'Importer UI', dependsOn: ['wont'] }),
      feature('must', { title: 'Must', priority: 'MUST', dependsOn: ['dropped'] }),
    ];
    const { recommended } = prioritize(features, { capacity: 100 });
    expect(recommended.selected).toEqual([]);
    const why = Object.fromEntries(recommended.leftOut.map((l) => [l.featureId, l.reason]));
    expect(why.wont).toContain('priority WONT');
    expect(why.dropped).toBe('dropped from the release');
    expect(why.needs).toBe(
      "depends on 'Legacy import', which is out of scope (priority WONT: agreed not to be in this release)",
    );
    expect(recommended.notes[0]).toContain("MUST 'Must' cannot be delivered");
  });

  it('reports the share of value each alternative delivers', () => {
    const features = [
      feature('a', { businessValue: 10, timeCriticality: 0, riskReduction: 0, effort: 1 }),
      feature('b', { businessValue: 30, timeCriticality: 0, riskReduction: 0, effort: 10 }),
    ];
    const { recommended, extended } = prioritize(features, { capacity: 5, stretch: 1.5 });
    expect(recommended.valueShare).toBe(0.25);
    expect(extended.valueShare).toBe(1);
  });

  it('refuses a negative capacity and a cycle', () => {
    expect(() => prioritize([], { capacity: -1 })).toThrow('capacity must be a number of story points ≥ 0, got -1');
    expect(() =>
      prioritize([feature('a', { dependsOn: ['b'] }), feature('b', { dependsOn: ['a'] })], { capacity: 1 }),
    ).toThrow(/cycle/);
  });

  it('never exceeds capacity beyond the MUSTs and always respects dependencies (random scopes)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 30; trial++) {
      const n = 40;
      const features = Array.from({ length: n }, (_, i) =>
        feature(`f${i}`, {
          priority: rnd() < 0.1 ? 'MUST' : rnd() < 0.1 ? 'WONT' : 'SHOULD',
          effort: 1 + Math.floor(rnd() * 13),
          businessValue: Math.floor(rnd() * 20),
          dependsOn: i > 2 && rnd() < 0.5 ? [`f${Math.floor(rnd() * i)}`] : [],
        }),
      );
      const capacity = Math.floor(rnd() * 150);
      const { recommended } = prioritize(features, { capacity });
      const chosen = new Set(recommended.selected);
      const position = new Map(recommended.selected.map((id, i) => [id, i]));
      for (const id of chosen) {
        for (const d of features.find((f) => f.id === id)!.dependsOn) {
          expect(chosen.has(d)).toBe(true);
          expect(position.get(d)!).toBeLessThan(position.get(id)!);
        }
      }
      if (!recommended.overCapacity) expect(recommended.totalEffort).toBeLessThanOrEqual(capacity);
      expect(chosen.size + recommended.leftOut.length).toBe(n);
    }
  });
});
