import { changeFailureLevel, frequencyLevel, leadTimeLevel, recoveryLevel, type PerformanceLevel } from './bands.js';
import { deploymentOutcome, type DeploymentOutcome } from './failures.js';
import { isProduction, productionAt, type History, type Release, type Rollout } from './history.js';
import { scoped, type Scope } from './scope.js';
import { calendarDays, inWindow, localDay, median, type Window } from './time.js';

export interface DoraMetrics {
  window: Window;
  deploymentFrequency: {
    deployments: number;
    days: number;
    perDay: number | undefined;
    deploymentDays: number;
    level: PerformanceLevel;
  };
  leadTimeForChanges: {
    releases: number;
    medianMs: number | undefined;
    codeFreezeToProductionMedianMs: number | undefined;
    level: PerformanceLevel;
  };
  changeFailureRate: { deployments: number; failed: number; rate: number | undefined; level: PerformanceLevel };
  recoveryTime: { failures: number; recovered: number; medianMs: number | undefined; level: PerformanceLevel };
}

export function hotfixesOf(history: History): { release: Release; productionAt?: Date }[] {
  return [...history.releases.values()]
    .filter((r) => r.type === 'HOTFIX')
    .map((release) => {
      const at = productionAt(release, history);
      return at ? { release, productionAt: at } : { release };
    });
}

// An outcome depends on the history only, not on the window: computed once per (cached) history.
const outcomeMemo = new WeakMap<History['index'], Map<string, DeploymentOutcome>>();

function outcomeOf(
  rollout: Rollout,
  history: History,
  hotfixes: () => ReturnType<typeof hotfixesOf>,
): DeploymentOutcome {
  let memo = outcomeMemo.get(history.index);
  if (!memo) outcomeMemo.set(history.index, (memo = new Map()));
  let o = memo.get(rollout.id);
  if (!o) memo.set(rollout.id, (o = deploymentOutcome(rollout, history, hotfixes())));
  return o;
}

function productionOutcomes(
  history: History,
  scope: Scope,
  keep: (finishedAt: Date | undefined) => boolean,
): DeploymentOutcome[] {
  let hotfixes: ReturnType<typeof hotfixesOf> | undefined;
  const lazyHotfixes = () => (hotfixes ??= hotfixesOf(history));
  return scoped(history, scope)
    .rollouts.filter((r) => isProduction(r) && keep(r.finishedAt))
    .map((r) => outcomeOf(r, history, lazyHotfixes));
}

/** Production outcomes of the rollouts in scope that finished inside the window. */
export function outcomesIn(history: History, scope: Scope, window: Window): DeploymentOutcome[] {
  return productionOutcomes(history, scope, (at) => inWindow(at, window));
}

/** Production outcomes of every finished rollout in scope, whenever it finished. */
export function finishedProductionOutcomes(history: History, scope: Scope): DeploymentOutcome[] {
  return productionOutcomes(history, scope, (at) => at !== undefined);
}

/**
 * The four keys over [from, to):
 * - deployment frequency = successful production rollouts finished in the window / calendar days of the window (in its time zone);
 * - lead time for changes = median over releases first in production in the window of (production − first change), also from code freeze;
 * - change failure rate = failed production rollouts / production rollouts finished in the window (see deploymentOutcome);
 * - failed deployment recovery time = median of (restored − failed) over the failed ones that were restored.
 */
export function doraMetrics(history: History, scope: Scope, window: Window): DoraMetrics {
  const tz = window.timeZone ?? 'UTC';
  const inScope = scoped(history, scope);
  const outcomes = outcomesIn(history, scope, window);
  const successes = outcomes.filter((o) => o.rollout.succeededAt && !o.rollout.rolledBackAt);
  const days = calendarDays(window);
  const perDay = days > 0 ? successes.length / days : undefined;

  const leads: number[] = [];
  const fromFreeze: number[] = [];
  for (const release of inScope.releases.values()) {
    const prod = productionAt(release, history);
    if (!inWindow(prod, window)) continue;
    if (release.firstChangeAt) leads.push(prod.getTime() - release.firstChangeAt.getTime());
    if (release.codeFreezeAt) fromFreeze.push(prod.getTime() - release.codeFreezeAt.getTime());
  }
  const leadMedian = median(leads);

  const failed = outcomes.filter((o) => o.failed);
  const recoveries = failed
    .filter((o) => o.restoredAt && o.failedAt)
    .map((o) => o.restoredAt!.getTime() - o.failedAt!.getTime());
  const rate = outcomes.length ? failed.length / outcomes.length : undefined;
  const recoveryMedian = median(recoveries);
  return {
    window,
    deploymentFrequency: {
      deployments: successes.length,
      days,
      perDay,
      deploymentDays: new Set(successes.map((o) => localDay(o.rollout.succeededAt!, tz))).size,
      level: frequencyLevel(perDay),
    },
    leadTimeForChanges: {
      releases: leads.length,
      medianMs: leadMedian,
      codeFreezeToProductionMedianMs: median(fromFreeze),
      level: leadTimeLevel(leadMedian),
    },
    changeFailureRate: { deployments: outcomes.length, failed: failed.length, rate, level: changeFailureLevel(rate) },
    recoveryTime: {
      failures: failed.length,
      recovered: recoveries.length,
      medianMs: recoveryMedian,
      level: recoveryLevel(recoveryMedian),
    },
  };
}
