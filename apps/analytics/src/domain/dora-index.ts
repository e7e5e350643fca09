import { changeFailureLevel, frequencyLevel, leadTimeLevel, recoveryLevel } from './bands.js';
import { finishedProductionOutcomes, type DoraMetrics } from './dora.js';
import { productionAt, type History } from './history.js';
import { scoped, type Scope } from './scope.js';
import { calendarDays, localDay, median, type Window } from './time.js';

/** Index of the first element of the ascending `times` at or after `t`. */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Times ascending, with the values of the same items in the same order. */
interface Sorted<T> {
  times: Float64Array;
  values: T[];
}

function sortedBy<I, T>(items: readonly I[], time: (i: I) => number, value: (i: I) => T): Sorted<T> {
  const order = items.map((i) => ({ t: time(i), v: value(i) })).sort((a, b) => a.t - b.t);
  return { times: Float64Array.from(order, (o) => o.t), values: order.map((o) => o.v) };
}

/** The [from, to) range of a sorted list, as indexes. */
function range(s: { times: Float64Array }, w: Window): [number, number] {
  const from = lowerBound(s.times, w.from.getTime());
  return [from, Math.max(from, lowerBound(s.times, w.to.getTime()))];
}

function defined(values: readonly (number | undefined)[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) if (values[i] !== undefined) out.push(values[i]!);
  return out;
}

/** Local days of the successes in one time zone, and whether they never go back (then distinct days in a range are a prefix-sum difference). */
interface Days {
  days: number[];
  monotonic: boolean;
  /** newDays[i] = how many of days[1..i] differ from the one before. */
  newDays: Uint32Array;
}

/**
 * The window-independent part of doraMetrics for one history and scope: every finished production rollout's
 * outcome sorted by when it finished, and every release's production time. A query then binary-searches
 * its window and takes medians over that range only; the values are the very ones doraMetrics computes
 * (same samples, same median), so the answer is identical. Built once per cached history.
 */
export class DoraIndex {
  private readonly outcomes: Float64Array;
  /** successesBefore[i] / failedBefore[i]: among the first i outcomes by finish time. */
  private readonly successesBefore: Uint32Array;
  private readonly failedBefore: Uint32Array;
  private readonly successes: Sorted<number>;
  private readonly failed: Sorted<number | undefined>;
  private readonly releases: Sorted<{ lead?: number; fromFreeze?: number }>;
  private readonly daysByZone = new Map<string, Days>();

  constructor(history: History, scope: Scope) {
    const all = sortedBy(
      finishedProductionOutcomes(history, scope),
      (o) => o.rollout.finishedAt!.getTime(),
      (o) => o,
    );
    this.outcomes = all.times;
    this.successesBefore = new Uint32Array(all.values.length + 1);
    this.failedBefore = new Uint32Array(all.values.length + 1);
    const successTimes: number[] = [];
    const succeededAt: number[] = [];
    const failedTimes: number[] = [];
    const recoveries: (number | undefined)[] = [];
    all.values.forEach((o, i) => {
      const success = o.rollout.succeededAt !== undefined && !o.rollout.rolledBackAt;
      this.successesBefore[i + 1] = this.successesBefore[i]! + (success ? 1 : 0);
      this.failedBefore[i + 1] = this.failedBefore[i]! + (o.failed ? 1 : 0);
      if (success) {
        successTimes.push(all.times[i]!);
        succeededAt.push(o.rollout.succeededAt!.getTime());
      }
      if (o.failed) {
        failedTimes.push(all.times[i]!);
        recoveries.push(o.restoredAt && o.failedAt ? o.restoredAt.getTime() - o.failedAt.getTime() : undefined);
      }
    });
    this.successes = { times: Float64Array.from(successTimes), values: succeededAt };
    // The default zone's days up front: the first query of a window in UTC then costs no more than the next.
    this.days('UTC');
    this.failed = { times: Float64Array.from(failedTimes), values: recoveries };

    const produced = [...scoped(history, scope).releases.values()].flatMap((release) => {
      const prod = productionAt(release, history);
      return prod ? [{ release, prod: prod.getTime() }] : [];
    });
    this.releases = sortedBy(
      produced,
      (p) => p.prod,
      ({ release, prod }) => ({
        ...(release.firstChangeAt ? { lead: prod - release.firstChangeAt.getTime() } : {}),
        ...(release.codeFreezeAt ? { fromFreeze: prod - release.codeFreezeAt.getTime() } : {}),
      }),
    );
  }

  private days(timeZone: string): Days {
    let d = this.daysByZone.get(timeZone);
    if (!d) {
      const days = this.successes.values.map((t) => localDay(new Date(t), timeZone));
      const newDays = new Uint32Array(days.length);
      let monotonic = true;
      for (let i = 1; i < days.length; i++) {
        if (days[i]! < days[i - 1]!) monotonic = false;
        newDays[i] = newDays[i - 1]! + (days[i] !== days[i - 1] ? 1 : 0);
      }
      this.daysByZone.set(timeZone, (d = { days, monotonic, newDays }));
    }
    return d;
  }

  /** Adds the distinct local days of the successes in [from, to) to `into`. */
  private addDeploymentDays(from: number, to: number, timeZone: string, into: Set<number>): void {
    const { days } = this.days(timeZone);
    for (let i = from; i < to; i++) if (i === from || days[i] !== days[i - 1]) into.add(days[i]!);
  }

  /** Distinct local days with a success in [from, to), without building a set when the days never go back. */
  private countDeploymentDays(from: number, to: number, timeZone: string): number {
    if (from >= to) return 0;
    const d = this.days(timeZone);
    // A zone whose local day can step back (a DST change at midnight) falls back to counting the range.
    if (!d.monotonic) return new Set(d.days.slice(from, to)).size;
    return 1 + d.newDays[to - 1]! - d.newDays[from]!;
  }

  /** The samples and counts of a window, to be combined with other indexes' (the partitions of an organisation); `days` collects the distinct deployment days. */
  partial(window: Window, days?: Set<number>): DoraPartial {
    const tz = window.timeZone ?? 'UTC';
    const [a, b] = range({ times: this.outcomes }, window);
    const [s0, s1] = range(this.successes, window);
    const [r0, r1] = range(this.releases, window);
    const [f0, f1] = range(this.failed, window);
    const inWindow = this.releases.values.slice(r0, r1);
    if (days) this.addDeploymentDays(s0, s1, tz, days);
    return {
      deployments: this.successesBefore[b]! - this.successesBefore[a]!,
      outcomes: b - a,
      failed: this.failedBefore[b]! - this.failedBefore[a]!,
      deploymentDays: days ? days.size : this.countDeploymentDays(s0, s1, tz),
      leads: defined(
        inWindow.map((r) => r.lead),
        0,
        inWindow.length,
      ),
      fromFreeze: defined(
        inWindow.map((r) => r.fromFreeze),
        0,
        inWindow.length,
      ),
      recoveries: defined(this.failed.values, f0, f1),
    };
  }

  /** doraMetrics(history, scope, window) for the history and scope this index was built from. */
  metrics(window: Window): DoraMetrics {
    return combineDora(window, [this.partial(window)]);
  }
}

/** What one index contributes to a window's metrics. */
export interface DoraPartial {
  deployments: number;
  outcomes: number;
  failed: number;
  deploymentDays: number;
  leads: number[];
  fromFreeze: number[];
  recoveries: number[];
}

/** The four keys from partials of disjoint parts of a history (sums of counts, medians over the union of samples). */
export function combineDora(
  window: Window,
  partials: readonly DoraPartial[],
  distinctDeploymentDays?: number,
): DoraMetrics {
  const sum = (f: (p: DoraPartial) => number) => partials.reduce((n, p) => n + f(p), 0);
  const all = (f: (p: DoraPartial) => number[]) => (partials.length === 1 ? f(partials[0]!) : partials.flatMap(f));
  const deployments = sum((p) => p.deployments);
  const outcomes = sum((p) => p.outcomes);
  const failed = sum((p) => p.failed);
  const days = calendarDays(window);
  const perDay = days > 0 ? deployments / days : undefined;
  const leads = all((p) => p.leads);
  const recoveries = all((p) => p.recoveries);
  const leadMedian = median(leads);
  const rate = outcomes ? failed / outcomes : undefined;
  const recoveryMedian = median(recoveries);
  return {
    window,
    deploymentFrequency: {
      deployments,
      days,
      perDay,
      deploymentDays: distinctDeploymentDays ?? sum((p) => p.deploymentDays),
      level: frequencyLevel(perDay),
    },
    leadTimeForChanges: {
      releases: leads.length,
      medianMs: leadMedian,
      codeFreezeToProductionMedianMs: median(all((p) => p.fromFreeze)),
      level: leadTimeLevel(leadMedian),
    },
    changeFailureRate: { deployments: outcomes, failed, rate, level: changeFailureLevel(rate) },
    recoveryTime: {
      failures: failed,
      recovered: recoveries.length,
      medianMs: recoveryMedian,
      level: recoveryLevel(recoveryMedian),
    },
  };
}

/** doraMetrics over several disjoint histories (the partitions of an organisation), each through its DoraIndex. */
export function combinedDoraMetrics(parts: readonly { history: History; scope: Scope }[], window: Window): DoraMetrics {
  if (parts.length === 1) return doraIndex(parts[0]!.history, parts[0]!.scope).metrics(window);
  // Days are distinct across the parts too: a day with deployments in two products counts once.
  const days = new Set<number>();
  const partials = parts.map((p) => doraIndex(p.history, p.scope).partial(window, days));
  return combineDora(window, partials, days.size);
}

const indexes = new WeakMap<History, Map<string, DoraIndex>>();

/** The DoraIndex of a history and scope, built on first use and kept as long as the history is. */
export function doraIndex(history: History, scope: Scope): DoraIndex {
  let byScope = indexes.get(history);
  if (!byScope) indexes.set(history, (byScope = new Map()));
  const key = JSON.stringify([scope.product ?? null, scope.team ?? null]);
  let index = byScope.get(key);
  if (!index) byScope.set(key, (index = new DoraIndex(history, scope)));
  return index;
}
