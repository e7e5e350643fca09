import { describe, expect, it } from 'vitest';
import { milestonesFor } from '../../src/domain/calendar.js';
import { criticalPath } from '../../src/domain/critical-path.js';
import { forecastCompletion } from '../../src/domain/forecast.js';
import { seededRandom } from '../../src/domain/random.js';
import { planTimeline } from '../../src/domain/timeline.js';
import { feature } from './features.js';

const target = new Date('2026-06-30T12:00:00Z');
const day = (d: Date) => d.toISOString().slice(0, 10);

describe('release calendar', () => {
  it('places a minor release on the calendar, kickoff a planning time before feature complete', () => {
    const ms = Object.fromEntries(milestonesFor('MINOR', target).map((m) => [m.name, day(m.date)]));
    expect(ms).toEqual({
      KICKOFF: '2026-05-12',
      ALPHA: '2026-06-02',
      FEATURE_COMPLETE: '2026-06-09',
      CODE_FREEZE: '2026-06-16',
      BETA: '2026-06-16',
      RELEASE_CANDIDATE: '2026-06-23',
      PRODUCTION: '2026-06-30',
      POST_RELEASE_SUPPORT_END: '2026-07-07',
    });
  });

  it('gives a major release 8 weeks of planning time', () => {
    expect(day(milestonesFor('MAJOR', target)[0]!.date)).toBe('2026-04-14');
  });

  it('compresses a patch to its testing time and a hotfix to hours', () => {
    const patch = milestonesFor('PATCH', target).map((m) => m.name);
    expect(patch).not.toContain('ALPHA');
    expect(day(milestonesFor('PATCH', target).find((m) => m.name === 'CODE_FREEZE')!.date)).toBe('2026-06-25');
    const hotfix = milestonesFor('HOTFIX', target);
    expect(hotfix.find((m) => m.name === 'CODE_FREEZE')!.date.toISOString()).toBe('2026-06-30T04:00:00.000Z');
    expect(hotfix[0]!.name).toBe('KICKOFF');
    expect(hotfix[0]!.date.toISOString()).toBe('2026-06-29T04:00:00.000Z');
  });
});

describe('critical path', () => {
  it('is the longest chain of open work, dependencies first', () => {
    const features = [
      feature('a', { effort: 3 }),
      feature('b', { effort: 8, dependsOn: ['a'] }),
      feature('c', { effort: 2, dependsOn: ['a'] }),
      feature('d', { effort: 5, dependsOn: ['b', 'c'] }),
      feature('e', { effort: 13 }),
    ];
    expect(criticalPath(features)).toEqual({ featureIds: ['a', 'b', 'd'], points: 16 });
  });

  it('ignores done, dropped and WONT work', () => {
    const features = [
      feature('a', { effort: 30, status: 'DONE' }),
      feature('b', { effort: 2, dependsOn: ['a'] }),
      feature('c', { effort: 40, priority: 'WONT' }),
    ];
    expect(criticalPath(features)).toEqual({ featureIds: ['b'], points: 2 });
  });

  it('is empty without open work', () => {
    expect(criticalPath([])).toEqual({ featureIds: [], points: 0 });
  });
});

describe('Monte Carlo forecast', () => {
  const base = { start: new Date('2026-05-01T00:00:00Z'), deadline: new Date('2026-05-29T00:00:00Z'), runs: 10_000 };

  it('is exact when velocity never varies', () => {
    const f = forecastCompletion({ ...base, remainingPoints: 30, velocityHistory: [10], random: seededRandom(1) });
    expect(day(f.p50)).toBe('2026-05-22');
    expect(f.p85).toEqual(f.p50);
    expect(f.probabilityOnTime).toBe(1);
    expect(f.bufferDays).toBe(7);
    expect(f.recommendedBufferDays).toBe(0);
  });

  it('repeats exactly with the same seed and spreads with varying velocity', () => {
    const input = { ...base, remainingPoints: 40, velocityHistory: [4, 8, 10, 12, 16] };
    const a = forecastCompletion({ ...input, random: seededRandom(42) });
    const b = forecastCompletion({ ...input, random: seededRandom(42) });
    expect(a).toEqual(b);
    expect(a.p85.getTime()).toBeGreaterThan(a.p50.getTime());
    expect(a.p95.getTime()).toBeGreaterThanOrEqual(a.p85.getTime());
    // mean velocity 10 → 4 weeks on average, so the deadline at 4 weeks is roughly a coin flip
    expect(a.probabilityOnTime).toBeGreaterThan(0.35);
    expect(a.probabilityOnTime).toBeLessThan(0.75);
  });

  it('falls back to the planned velocity and says so', () => {
    const f = forecastCompletion({
      ...base,
      remainingPoints: 20,
      velocityHistory: [],
      plannedVelocity: 5,
      random: seededRandom(3),
    });
    expect(f.basis).toBe('PLANNED_VELOCITY');
    expect(day(f.p50)).toBe('2026-05-29');
  });

  it('refuses a forecast without any positive velocity', () => {
    expect(() =>
      forecastCompletion({ ...base, remainingPoints: 20, velocityHistory: [0, 0], random: seededRandom(3) }),
    ).toThrow(/at least one week above 0/);
    expect(() =>
      forecastCompletion({ ...base, remainingPoints: 20, velocityHistory: [5], runs: 0, random: seededRandom(3) }),
    ).toThrow(/runs must be/);
  });
});

describe('timeline', () => {
  it('computes the capacity left before feature complete and the critical-path delay', () => {
    const now = new Date('2026-05-26T12:00:00Z'); // two weeks before feature complete of the minor above
    const features = [
      feature('a', { effort: 10 }),
      feature('b', { effort: 20, dependsOn: ['a'] }),
      feature('c', { effort: 5, status: 'DONE' }),
    ];
    const t = planTimeline({ type: 'MINOR', targetDate: target, features }, { velocityHistory: [10, 10] }, now);
    expect(t.developmentWeeks).toBe(2);
    expect(t.capacityPoints).toBe(20);
    expect(t.scopePoints).toBe(35);
    expect(t.remainingPoints).toBe(30);
    expect(t.criticalPath).toEqual({ featureIds: ['a', 'b'], points: 30, weeks: 3 });
    expect(t.criticalPathDelayDays).toBe(7);
    expect(t.warnings.join('\n')).toContain('30 points remain but the team can deliver about 20');
  });

  it('warns when velocity is unknown', () => {
    const t = planTimeline(
      { type: 'PATCH', targetDate: target, features: [] },
      { velocityHistory: [] },
      new Date('2026-06-01T00:00:00Z'),
    );
    expect(t.warnings[0]).toContain('no velocity history');
  });
});
