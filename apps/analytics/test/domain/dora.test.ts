import { describe, expect, it } from 'vitest';
import { calendarDays, doraMetrics, localDate, median, zoneOffsetMs } from '../../src/domain/index.js';
import { historyOf, iso, Story } from './history-builder.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const march = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-31T00:00:00Z') };

describe('DORA four keys', () => {
  it('an empty window: no deployments, every other key without data', () => {
    const m = doraMetrics(historyOf([]), {}, march);
    expect(m.deploymentFrequency).toEqual({ deployments: 0, days: 30, perDay: 0, deploymentDays: 0, level: 'LOW' });
    expect(m.leadTimeForChanges).toEqual({
      releases: 0,
      medianMs: undefined,
      codeFreezeToProductionMedianMs: undefined,
      level: 'NO_DATA',
    });
    expect(m.changeFailureRate).toEqual({ deployments: 0, failed: 0, rate: undefined, level: 'NO_DATA' });
    expect(m.recoveryTime).toEqual({ failures: 0, recovered: 0, medianMs: undefined, level: 'NO_DATA' });
  });

  it('a window of no length has no frequency at all', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    expect(doraMetrics(historyOf([]), {}, { from: at, to: at }).deploymentFrequency).toMatchObject({
      days: 0,
      perDay: undefined,
      level: 'NO_DATA',
    });
  });

  it('a single deployment: 1 in 30 days, lead time from the first change and from code freeze', () => {
    // Work starts 2 March 09:00, code freeze 10 March 09:00, production 12 March 09:00:
    // lead time 10 days (MEDIUM: under a month), code freeze → production 2 days, 1/30 per day (MEDIUM: monthly).
    const s = new Story()
      .release('r1', '2026-03-01T09:00:00Z')
      .feature('r1', 'f1', 'IN_PROGRESS', '2026-03-02T09:00:00Z')
      .status('r1', 'CODE_FREEZE', '2026-03-10T09:00:00Z')
      .rollout('r1', 'ro1', '2026-03-12T08:00:00Z', { succeededAt: '2026-03-12T09:00:00Z' });
    const m = doraMetrics(historyOf(s.events), { product: 'shop' }, march);
    expect(m.deploymentFrequency).toMatchObject({
      deployments: 1,
      days: 30,
      perDay: 1 / 30,
      deploymentDays: 1,
      level: 'MEDIUM',
    });
    expect(m.leadTimeForChanges).toEqual({
      releases: 1,
      medianMs: 10 * DAY,
      codeFreezeToProductionMedianMs: 2 * DAY,
      level: 'MEDIUM',
    });
    expect(m.changeFailureRate).toEqual({ deployments: 1, failed: 0, rate: 0, level: 'ELITE' });
    expect(doraMetrics(historyOf(s.events), { product: 'other' }, march).deploymentFrequency.deployments).toBe(0);
  });

  it('change failure: rolled back, incident within 48 h, hotfix within 48 h; not past 48 h; recovery is the median', () => {
    const s = new Story()
      .release('r1', '2026-03-01T00:00:00Z', { version: '1.1.0' })
      // 1: fine; an incident on its workload 49 h later is another rollout's problem (or none)
      .rollout('r1', 'ro1', '2026-03-02T10:00:00Z', { succeededAt: '2026-03-02T11:00:00Z' }, { deployment: 'web' })
      .incident('i-late', '2026-03-04T12:00:00Z', { workload: 'shop/web', resolvedAt: '2026-03-04T13:00:00Z' })
      // 2: rolled back after 30 minutes → failed, recovered in 30 min
      .rollout('r1', 'ro2', '2026-03-05T10:00:00Z', { rolledBackAt: '2026-03-05T10:30:00Z' })
      // 3: succeeded, then a critical incident 5 h later resolved in 2 h → failed, recovered in 2 h
      .rollout('r1', 'ro3', '2026-03-06T10:00:00Z', { succeededAt: '2026-03-06T11:00:00Z' })
      .incident('i1', '2026-03-06T16:00:00Z', { resolvedAt: '2026-03-06T18:00:00Z' })
      // 4: on another workload, a hotfix of 1.1.0 is created 50 h after it → not a failure
      .release('r2', '2026-03-10T00:00:00Z', { version: '1.2.0' })
      .rollout('r2', 'ro4', '2026-03-10T10:00:00Z', { succeededAt: '2026-03-10T11:00:00Z' }, { deployment: 'cart' })
      .release('hf', '2026-03-12T13:00:00Z', { version: '1.2.1-hotfix.1', type: 'HOTFIX', baseVersion: '1.2.0' });
    const m = doraMetrics(historyOf(s.events), { product: 'shop' }, march);
    expect(m.changeFailureRate).toEqual({ deployments: 4, failed: 2, rate: 0.5, level: 'LOW' });
    expect(m.recoveryTime).toEqual({ failures: 2, recovered: 2, medianMs: 75 * 60_000, level: 'HIGH' });
    expect(m.deploymentFrequency.deployments).toBe(3);

    // The hotfix 47 h after rollout 4 makes it a failure, restored when the hotfix reached production.
    const s2 = new Story()
      .release('r2', '2026-03-10T00:00:00Z', { version: '1.2.0' })
      .rollout('r2', 'ro4', '2026-03-10T10:00:00Z', { succeededAt: '2026-03-10T11:00:00Z' });
    s2.release('hf', '2026-03-12T10:00:00Z', {
      version: '1.2.1-hotfix.1',
      type: 'HOTFIX',
      baseVersion: '1.2.0',
    }).rollout('hf', 'ro5', '2026-03-12T11:00:00Z', { succeededAt: '2026-03-12T12:00:00Z' });
    const m2 = doraMetrics(historyOf(s2.events), {}, march);
    expect(m2.changeFailureRate).toMatchObject({ deployments: 2, failed: 1, rate: 0.5 });
    expect(m2.recoveryTime).toMatchObject({ recovered: 1, medianMs: 49 * HOUR, level: 'MEDIUM' });
  });

  it('a rollout failed in place is restored by the next successful rollout of its workload', () => {
    const s = new Story()
      .release('r1', '2026-03-01T00:00:00Z')
      .rollout('r1', 'ro1', '2026-03-02T10:00:00Z', { failedAt: '2026-03-02T10:20:00Z' })
      .rollout('r1', 'ro2', '2026-03-02T10:30:00Z', { succeededAt: '2026-03-02T10:50:00Z' });
    const m = doraMetrics(historyOf(s.events), {}, march);
    expect(m.changeFailureRate).toMatchObject({ deployments: 2, failed: 1, rate: 0.5 });
    expect(m.recoveryTime).toMatchObject({ recovered: 1, medianMs: 50 * 60_000, level: 'ELITE' });
  });

  it('elite bands: daily deployments, lead time under a day, no failures', () => {
    const s = new Story()
      .release('r1', '2026-03-01T00:00:00Z')
      .feature('r1', 'f', 'IN_PROGRESS', '2026-03-01T01:00:00Z');
    for (let d = 1; d <= 7; d++)
      s.rollout('r1', `ro${d}`, iso(Date.UTC(2026, 2, d, 9)), { succeededAt: iso(Date.UTC(2026, 2, d, 10)) });
    const m = doraMetrics(
      historyOf(s.events),
      {},
      { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') },
    );
    expect(m.deploymentFrequency).toMatchObject({ deployments: 7, perDay: 1, deploymentDays: 7, level: 'ELITE' });
    // the release counts once, at its first production rollout: 1 March 10:00 − 01:00 = 9 h
    expect(m.leadTimeForChanges).toMatchObject({ releases: 1, medianMs: 9 * HOUR, level: 'ELITE' });
  });

  it('counts days in the time zone: a DST day in Berlin is one day of 23 or 25 hours', () => {
    // 29 March 2026: Berlin moves from UTC+1 to UTC+2; local midnight to midnight is 23 elapsed hours.
    const spring = {
      from: new Date('2026-03-28T23:00:00Z'),
      to: new Date('2026-03-29T22:00:00Z'),
      timeZone: 'Europe/Berlin',
    };
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * HOUR);
    expect(calendarDays(spring)).toBe(1);
    // 25 October 2026: back to UTC+1, 25 elapsed hours.
    expect(
      calendarDays({
        from: new Date('2026-10-24T22:00:00Z'),
        to: new Date('2026-10-25T23:00:00Z'),
        timeZone: 'Europe/Berlin',
      }),
    ).toBe(1);
    // the same instants counted in UTC are 23/24 of a day
    expect(calendarDays({ ...spring, timeZone: 'UTC' })).toBeCloseTo(23 / 24, 10);

    const s = new Story()
      .release('r1', '2026-03-20T00:00:00Z')
      .rollout('r1', 'ro1', '2026-03-29T05:00:00Z', { succeededAt: '2026-03-29T06:00:00Z' });
    expect(doraMetrics(historyOf(s.events), {}, spring).deploymentFrequency).toMatchObject({
      deployments: 1,
      days: 1,
      perDay: 1,
      level: 'ELITE',
    });
  });

  it('deployment days are local dates: 23:30 UTC is the next day in Berlin', () => {
    const s = new Story()
      .release('r1', '2026-03-01T00:00:00Z')
      .rollout('r1', 'a', '2026-03-10T11:00:00Z', { succeededAt: '2026-03-10T12:00:00Z' })
      .rollout('r1', 'b', '2026-03-10T23:00:00Z', { succeededAt: '2026-03-10T23:30:00Z' });
    const h = historyOf(s.events);
    expect(doraMetrics(h, {}, { ...march, timeZone: 'UTC' }).deploymentFrequency.deploymentDays).toBe(1);
    expect(doraMetrics(h, {}, { ...march, timeZone: 'Europe/Berlin' }).deploymentFrequency.deploymentDays).toBe(2);
    expect(localDate(new Date('2026-03-10T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-11');
    expect(zoneOffsetMs(new Date('2026-07-01T00:00:00Z'), 'America/New_York')).toBe(-4 * HOUR);
  });

  it('only production rollouts count, and a team is the workload namespace', () => {
    const s = new Story()
      .release('r1', '2026-03-01T00:00:00Z')
      .rollout(
        'r1',
        'stg',
        '2026-03-02T10:00:00Z',
        { rolledBackAt: '2026-03-02T10:10:00Z' },
        { environment: 'staging' },
      )
      .rollout('r1', 'p1', '2026-03-03T10:00:00Z', { succeededAt: '2026-03-03T10:10:00Z' }, { namespace: 'payments' })
      .rollout(
        'r1',
        'p2',
        '2026-03-04T10:00:00Z',
        { succeededAt: '2026-03-04T10:10:00Z' },
        { namespace: 'storefront' },
      );
    const h = historyOf(s.events);
    expect(doraMetrics(h, {}, march).changeFailureRate).toMatchObject({ deployments: 2, failed: 0 });
    expect(doraMetrics(h, { team: 'payments' }, march).deploymentFrequency.deployments).toBe(1);
    expect(doraMetrics(h, { product: 'shop', team: 'nobody' }, march).deploymentFrequency.deployments).toBe(0);
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});
