import { describe, expect, it } from 'vitest';
import { runPlanningDomainBench, syntheticScope } from '../src/planning-domain.js';

describe('planning-domain benchmark', () => {
  it('builds an acyclic scope with the edges asked for', () => {
    const scope = syntheticScope(200, 400);
    expect(scope.reduce((a, f) => a + f.dependsOn.length, 0)).toBe(400);
    scope.forEach((f, i) => f.dependsOn.forEach((d) => expect(Number(d.slice(1))).toBeLessThan(i)));
  });

  it('runs end to end at a tiny size: a recommended scope within capacity, dependencies first; a forecast over every run', () => {
    const r = runPlanningDomainBench({ features: 200, edges: 400, runs: 100, forecastFeatures: 20, repeats: 1 });
    expect(r.prioritize.selected).toBeGreaterThan(0);
    expect(r.prioritize.selectedEffort).toBeLessThanOrEqual(r.prioritize.capacity);
    expect(r.prioritize.dependenciesFirst).toBe(true);
    expect(r.forecast.simulatedRuns).toBe(100);
    expect(r.forecast.remainingPoints).toBeGreaterThan(0);
  });
});
