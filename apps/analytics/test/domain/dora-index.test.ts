import { describe, expect, it } from 'vitest';
import { factsOf } from '../../src/application/project-event.js';
import { AnalyticsQueries } from '../../src/application/queries.js';
import { MemoryProjectionStore } from '../../src/adapters/memory/memory-projection-store.js';
import {
  aiEffectiveness,
  doraIndex,
  doraMetrics,
  effectivenessSamples,
  releaseKpis,
  tooFewOutcomes,
  type Scope,
  type Window,
} from '../../src/domain/index.js';
import { historyOf, iso, Story } from './history-builder.js';

/** mulberry32: a failure can be reproduced from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const HOUR = 3_600_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const PRODUCTS = ['shop', 'search', 'billing'];
const TEAMS = ['payments', 'storefront'];

/**
 * Three months of three products: releases (some frozen, some hotfixes of the previous version, one released
 * without any rollout), production and staging rollouts succeeding, rolled back or failing in place (some of
 * those later succeeding), rollouts around midnight and DST changes, incidents on workloads (some unresolved).
 */
function organisation(seed: number, opts: { failThenSucceed: boolean }) {
  const rnd = random(seed);
  const at = (t: number) => iso(t);
  const s = new Story();
  let n = 0;
  for (const product of PRODUCTS) {
    for (let cycle = 0; cycle < 6; cycle++) {
      const releaseId = `${product}-r${cycle}`;
      const t0 = START + cycle * 14 * 24 * HOUR + Math.floor(rnd() * 48) * HOUR;
      const hotfix = cycle > 0 && rnd() < 0.25;
      s.release(releaseId, at(t0), {
        product,
        version: `1.${cycle}.0`,
        ...(hotfix ? { type: 'HOTFIX' as const, baseVersion: `1.${cycle - 1}.0` } : {}),
      });
      if (rnd() < 0.8) s.feature(releaseId, `${releaseId}-f`, 'IN_PROGRESS', at(t0 + 5 * HOUR));
      if (rnd() < 0.7) s.status(releaseId, 'CODE_FREEZE', at(t0 + 7 * 24 * HOUR), { product });
      if (rnd() < 0.9) s.status(releaseId, 'RELEASED', at(t0 + 10 * 24 * HOUR), { product });
      // advice to hold against what happened (no randomness drawn: the rest of the history stays as it was)
      s.readiness(
        releaseId,
        cycle % 3 === 0 ? 'NO_GO' : 'GO',
        cycle % 2 ? 'ai' : 'deterministic',
        at(t0 + 8 * 24 * HOUR),
      );
      s.gate(releaseId, 'PRODUCTION', cycle % 4 === 0 ? 'FAIL' : 'PASS', at(t0 + 9 * 24 * HOUR));
      s.forecast(
        releaseId,
        at(t0 + 2 * 24 * HOUR),
        at(t0 + 9 * 24 * HOUR),
        at(t0 + 10 * 24 * HOUR),
        cycle % 2 ? 0.4 : 0.8,
      );
      if (cycle === 5 && product === 'billing') continue; // released without a rollout: production time from planning
      const rollouts = 4 + Math.floor(rnd() * 12);
      for (let k = 0; k < rollouts; k++) {
        const id = `ro-${++n}`;
        const start = t0 + 8 * 24 * HOUR + Math.floor(rnd() * 6 * 24 * 60) * 60_000;
        const namespace = TEAMS[Math.floor(rnd() * TEAMS.length)]!;
        const deployment = `${product}-svc${Math.floor(rnd() * 3)}`;
        const environment = rnd() < 0.15 ? 'staging' : 'production';
        const r = rnd();
        const end =
          r < 0.12
            ? { rolledBackAt: at(start + 20 * 60_000) }
            : r < 0.2
              ? {
                  failedAt: at(start + 30 * 60_000),
                  ...(opts.failThenSucceed && rnd() < 0.5 ? { succeededAt: at(start + (30 + rnd() * 60) * HOUR) } : {}),
                }
              : r < 0.97
                ? { succeededAt: at(start + Math.floor(rnd() * 90) * 60_000) }
                : {};
        s.rollout(releaseId, id, at(start), end, { namespace, deployment, environment });
        if (rnd() < 0.1)
          s.incident(`inc-${n}`, at(start + Math.floor(rnd() * 60) * HOUR), {
            workload: `${namespace}/${deployment}`,
            ...(rnd() < 0.8 ? { resolvedAt: at(start + 70 * HOUR) } : {}),
          });
      }
    }
  }
  // rollouts either side of midnight in Berlin, New York and Kolkata, and on DST days
  for (const t of [
    '2026-03-08T06:30:00Z',
    '2026-03-08T07:30:00Z',
    '2026-03-28T22:59:00Z',
    '2026-03-28T23:01:00Z',
    '2026-03-29T00:30:00Z',
    '2026-02-10T18:29:00Z',
    '2026-02-10T18:31:00Z',
  ]) {
    s.rollout(
      'shop-r4',
      `ro-edge-${++n}`,
      iso(Date.parse(t) - 10 * 60_000),
      { succeededAt: t },
      { namespace: 'payments', deployment: 'shop-svc0' },
    );
  }
  const events = s.events;
  const delivery = shuffled([...events, ...events.filter(() => rnd() < 0.3)], rnd);
  return { events, delivery };
}

const ZONES = [
  undefined,
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];
const SCOPES: Scope[] = [
  {},
  { product: 'shop' },
  { product: 'billing' },
  { team: 'payments' },
  { product: 'search', team: 'storefront' },
  { product: 'nothing' },
  { team: 'nobody' },
];

/** `anchors`: instants at which something happened, so that some windows start or end exactly on an event. */
function windows(seed: number, anchors: number[] = []): Window[] {
  const rnd = random(seed);
  const day = 24 * HOUR;
  const fixed: Window[] = [
    { from: new Date(START - 365 * day), to: new Date(START + 365 * day) }, // everything
    { from: new Date(START - 30 * day), to: new Date(START) }, // before any event: empty
    { from: new Date(START + 300 * day), to: new Date(START + 330 * day) }, // after every event: empty
    { from: new Date(START + 40 * day), to: new Date(START + 40 * day) }, // zero length
    { from: new Date('2026-03-28T23:00:00Z'), to: new Date('2026-03-29T22:00:00Z') }, // the Berlin spring-forward day
  ];
  const random_: Window[] = Array.from({ length: 40 }, () => {
    const from = START - 5 * day + Math.floor(rnd() * 110 * day);
    return { from: new Date(from), to: new Date(from + Math.floor(rnd() * 60 * day) + 1) };
  });
  const onEvents: Window[] = anchors.flatMap((a, i) =>
    i % 2 ? [] : [{ from: new Date(a), to: new Date(Math.max(a, anchors[(i * 7) % anchors.length]!)) }],
  );
  return [...fixed, ...random_, ...onEvents].flatMap((w) =>
    ZONES.map((timeZone) => (timeZone ? { ...w, timeZone } : w)),
  );
}

describe('DoraIndex gives exactly what doraMetrics recomputes', () => {
  for (const failThenSucceed of [false, true]) {
    it(`on a shuffled, duplicated history, for every scope, window and time zone${failThenSucceed ? ' (with rollouts that failed in place and later succeeded)' : ''}`, () => {
      const { events, delivery } = organisation(failThenSucceed ? 7 : 3, { failThenSucceed });
      const history = historyOf(delivery);
      expect(history.rollouts.length).toBeGreaterThan(100);
      const anchors = history.rollouts.flatMap((r, i) => (i % 9 === 0 && r.finishedAt ? [r.finishedAt.getTime()] : []));
      anchors.push(...[...history.releases.values()].flatMap((r) => (r.releasedAt ? [r.releasedAt.getTime()] : [])));
      let withData = 0;
      for (const scope of SCOPES) {
        const index = doraIndex(history, scope);
        expect(doraIndex(history, scope)).toBe(index);
        for (const window of windows(11, anchors)) {
          const expected = doraMetrics(history, scope, window);
          expect(index.metrics(window)).toEqual(expected);
          if (expected.changeFailureRate.failed > 0 && expected.leadTimeForChanges.releases > 1) withData++;
        }
      }
      // the comparison covered non-trivial answers, not only empty ones
      expect(withData).toBeGreaterThan(100);
      // and the in-order history answers the same
      expect(doraIndex(historyOf(events), {}).metrics(windows(11)[0]!)).toEqual(
        doraMetrics(history, {}, windows(11)[0]!),
      );
    });
  }

  it('AnalyticsQueries.dora answers from the partitions as last refreshed, and follows new facts after a refresh', async () => {
    const { delivery } = organisation(5, { failThenSucceed: true });
    const store = new MemoryProjectionStore();
    const half = Math.floor(delivery.length / 2);
    const apply = (from: number, to: number) => {
      for (const e of delivery.slice(from, to)) for (const u of factsOf(e)) store.applySync(u);
    };
    const queries = new AnalyticsQueries({ store, clock: { now: () => new Date('2026-04-15T00:00:00Z') } });
    const args = {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-04-15T00:00:00Z'),
      timeZone: 'Europe/Berlin',
    };
    const window = queries.window(args);
    apply(0, half);
    const before = await queries.dora({}, args);
    // Half delivered, some rollouts' releases have not arrived: they are joined among themselves (the unattributed
    // partition), so only the counts that need no join are sure to match the whole history's.
    const halfway = doraMetrics(historyOf(delivery.slice(0, half)), {}, window);
    expect(before.deploymentFrequency).toEqual(halfway.deploymentFrequency);
    expect(before.changeFailureRate.deployments).toBe(halfway.changeFailureRate.deployments);
    apply(half, delivery.length);
    expect(await queries.dora({}, args)).toEqual(before);
    const report = await queries.partitions.refresh();
    expect(report.changes).toBe(delivery.slice(half).flatMap(factsOf).length);
    for (const scope of SCOPES)
      expect(await queries.dora(scope, args)).toEqual(doraMetrics(historyOf(delivery), scope, window));
    // the KPIs combine the partitions the same way
    for (const scope of SCOPES)
      expect(await queries.kpis(scope, args)).toEqual({ window, ...releaseKpis(historyOf(delivery), scope, window) });
    // and the AI effectiveness rows: the same rows, the same samples, means equal but for the order of summation
    for (const scope of SCOPES) {
      const { rows } = await queries.aiEffectiveness(scope, args);
      const whole = aiEffectiveness(historyOf(delivery), scope, window);
      expect(rows.map(({ value: _, ...r }) => r)).toEqual(whole.map(({ value: _, ...r }) => r));
      rows.forEach((r, i) => expect(r.value).toBeCloseTo(whole[i]!.value, 12));
    }
    expect(
      (await queries.aiEffectiveness({}, args)).rows.map((r) => `${r.metric} ${r.kind} ${r.source ?? 'plan'}`),
    ).toEqual(
      aiEffectiveness(historyOf(delivery), {}, window).map((r) => `${r.metric} ${r.kind} ${r.source ?? 'plan'}`),
    );
    // rows with fewer outcomes than a score needs are listed alike, counted across the partitions
    const org = await queries.aiEffectiveness({}, args);
    expect(org.tooFewOutcomes).toEqual(tooFewOutcomes([effectivenessSamples(historyOf(delivery), {}, window)]));
    expect(org.rows.length).toBeGreaterThanOrEqual(5);
    expect((await queries.dora({}, args)).changeFailureRate.deployments).toBeGreaterThan(
      before.changeFailureRate.deployments,
    );
  });
});
