import { describe, expect, it } from 'vitest';
import { AnalyticsQueries } from '../../src/application/queries.js';
import { factsOf } from '../../src/application/project-event.js';
import { MemoryProjectionStore } from '../../src/adapters/memory/memory-projection-store.js';
import { calendarPeriods, doraMetrics, instantOfWallClock, type Window } from '../../src/domain/index.js';
import { historyOf, Story } from './history-builder.js';

const bounds = (ws: Window[]) => ws.map((w) => [w.from.toISOString(), w.to.toISOString()]);

describe('calendar periods of a window', () => {
  it('weeks start on a local Monday midnight, across the March DST change in Berlin, clipped to the window', () => {
    const march = {
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-04-01T00:00:00Z'),
      timeZone: 'Europe/Berlin',
    };
    expect(bounds(calendarPeriods(march, 'WEEK'))).toEqual([
      // Sunday 1 March 01:00 in Berlin, up to Monday 2 March 00:00 CET
      ['2026-03-01T00:00:00.000Z', '2026-03-01T23:00:00.000Z'],
      ['2026-03-01T23:00:00.000Z', '2026-03-08T23:00:00.000Z'],
      ['2026-03-08T23:00:00.000Z', '2026-03-15T23:00:00.000Z'],
      ['2026-03-15T23:00:00.000Z', '2026-03-22T23:00:00.000Z'],
      // clocks go forward on Sunday 29 March: Monday 30 March 00:00 is CEST, 22:00 UTC
      ['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-29T22:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ]);
  });

  it('days are local: the DST day is 23 hours long', () => {
    const w = {
      from: new Date('2026-03-27T23:00:00Z'),
      to: new Date('2026-03-30T22:00:00Z'),
      timeZone: 'Europe/Berlin',
    };
    const days = calendarPeriods(w, 'DAY');
    expect(days.map((d) => (d.to.getTime() - d.from.getTime()) / 3_600_000)).toEqual([24, 23, 24]);
  });

  it('months start on the 1st; one period when the window is inside a month; none for an empty window', () => {
    const w = { from: new Date('2026-01-15T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') };
    expect(bounds(calendarPeriods(w, 'MONTH'))).toEqual([
      ['2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      ['2026-03-01T00:00:00.000Z', '2026-03-10T00:00:00.000Z'],
    ]);
    expect(
      calendarPeriods({ from: new Date('2026-02-03T00:00:00Z'), to: new Date('2026-02-05T00:00:00Z') }, 'MONTH'),
    ).toHaveLength(1);
    expect(
      calendarPeriods({ from: new Date('2026-02-03T00:00:00Z'), to: new Date('2026-02-03T00:00:00Z') }, 'DAY'),
    ).toEqual([]);
  });

  it('finds the instant of a local wall-clock time on both sides of a DST change', () => {
    expect(instantOfWallClock(Date.UTC(2026, 2, 29, 0), 'Europe/Berlin').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(instantOfWallClock(Date.UTC(2026, 2, 30, 0), 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T22:00:00.000Z',
    );
    expect(instantOfWallClock(Date.UTC(2026, 9, 26, 0), 'America/New_York').toISOString()).toBe(
      '2026-10-26T04:00:00.000Z',
    );
  });
});

describe('doraTrend', () => {
  it('gives each week the four keys of that week, which add up to the whole window', async () => {
    const s = new Story()
      .release('r1', '2026-03-01T00:00:00Z')
      .rollout('r1', 'a', '2026-03-02T10:00:00Z', { succeededAt: '2026-03-02T11:00:00Z' })
      .rollout('r1', 'b', '2026-03-10T10:00:00Z', { rolledBackAt: '2026-03-10T10:30:00Z' })
      .rollout('r1', 'c', '2026-03-11T10:00:00Z', { succeededAt: '2026-03-11T11:00:00Z' })
      .rollout('r1', 'd', '2026-03-12T10:00:00Z', { succeededAt: '2026-03-12T11:00:00Z' });
    const store = new MemoryProjectionStore();
    for (const e of s.events) for (const u of factsOf(e)) store.applySync(u);
    const queries = new AnalyticsQueries({ store, clock: { now: () => new Date('2026-04-01T00:00:00Z') } });
    const window = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z') };
    const trend = await queries.doraTrend({ product: 'shop' }, window, 'WEEK');
    expect(
      trend.points.map((p) => [
        p.deploymentFrequency.deployments,
        p.changeFailureRate.failed,
        p.changeFailureRate.deployments,
      ]),
    ).toEqual([
      [1, 0, 1],
      [2, 1, 3],
    ]);
    // each point is exactly doraMetrics of its week
    const history = historyOf(s.events);
    for (const p of trend.points) expect(p).toEqual(doraMetrics(history, { product: 'shop' }, p.window));
    // and the organisation's trend says the same for a one-product organisation
    expect((await queries.doraTrend({}, window, 'WEEK')).points).toEqual(trend.points);
  });

  it('refuses more than 400 points, saying what to ask for instead', async () => {
    const queries = new AnalyticsQueries({
      store: new MemoryProjectionStore(),
      clock: { now: () => new Date('2026-04-01T00:00:00Z') },
    });
    await expect(
      queries.doraTrend({}, { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') }, 'DAY'),
    ).rejects.toThrow(
      /731 days from 2024-01-01T00:00:00.000Z to 2026-01-01T00:00:00.000Z are more than the 400 points a trend gives; ask for a longer interval or a shorter window/,
    );
    expect(
      (
        await queries.doraTrend(
          {},
          { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') },
          'MONTH',
        )
      ).points,
    ).toHaveLength(24);
  });
});
