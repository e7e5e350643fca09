import { describe, expect, it } from 'vitest';
import { checkDependencies, checkFeature, diffFeature, findCycle } from '../../src/domain/scope.js';
import { feature } from './features.js';

describe('scope items', () => {
  it('refuses out-of-range values naming the field', () => {
    expect(() => checkFeature(feature('a', { effort: 0 }))).toThrow('effort must be a number from 0.5 to 1000, got 0');
    expect(() => checkFeature(feature('a', { businessValue: -1 }))).toThrow(/businessValue/);
    expect(() => checkFeature(feature('a', { title: '  ' }))).toThrow('a feature needs a title');
    expect(() => checkFeature(feature('a', { dependsOn: ['a'] }))).toThrow('cannot depend on itself');
  });

  it('finds no cycle in a DAG', () => {
    expect(
      findCycle([feature('a', { dependsOn: ['b', 'c'] }), feature('b', { dependsOn: ['c'] }), feature('c')]),
    ).toBeUndefined();
  });

  it('finds a cycle and names it from its first repeated feature', () => {
    const cycle = findCycle([
      feature('a', { dependsOn: ['b'] }),
      feature('b', { dependsOn: ['c'] }),
      feature('c', { dependsOn: ['a'] }),
      feature('d', { dependsOn: ['a'] }),
    ]);
    expect(cycle).toEqual(['a', 'b', 'c', 'a']);
  });

  it('survives a 20000-deep chain without recursion', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => feature(`f${i}`, { dependsOn: i > 0 ? [`f${i - 1}`] : [] }));
    expect(findCycle(chain)).toBeUndefined();
    chain[0] = feature('f0', { dependsOn: ['f19999'] });
    expect(findCycle(chain)).toHaveLength(20_001);
  });

  it('refuses a cycle with the titles along it', () => {
    const fs = [
      feature('a', { title: 'Login', dependsOn: ['b'] }),
      feature('b', { title: 'Sessions', dependsOn: ['a'] }),
    ];
    expect(() => checkDependencies(fs)).toThrow("dependencies would form a cycle: 'Login' → 'Sessions' → 'Login'");
  });

  it('refuses a dependency on a feature outside the release', () => {
    expect(() => checkDependencies([feature('a', { title: 'Login', dependsOn: ['zzz'] })])).toThrow(
      "'Login' depends on feature zzz, which is not in this release's scope",
    );
  });

  it('lists the changed fields of an update', () => {
    expect(diffFeature(feature('a'), feature('a', { effort: 8, status: 'DONE' }))).toEqual([
      { field: 'effort', from: 5, to: 8 },
      { field: 'status', from: 'TODO', to: 'DONE' },
    ]);
  });
});
