import { outcomesIn } from './dora.js';
import { productionAt, type History, type Release } from './history.js';
import { FAILURE_HORIZON_MS } from './failures.js';
import { scoped, type Scope } from './scope.js';
import { DAY, inWindow, median, type Window } from './time.js';

/** Targets of the release process (DESIGN.md). */
export const KPI_TARGETS = {
  leadTimeCodeFreezeToProductionMs: 28 * DAY,
  deploymentSuccessRate: 0.98,
  criticalIssuesPerRelease: 0.5,
} as const;

export interface ReleaseKpis {
  releaseFrequency: { planned: number; delivered: number; onTime: number; ratio: number | undefined };
  leadTimeCodeFreezeToProduction: { releases: number; medianMs: number | undefined; targetMs: number; met: boolean | undefined };
  deploymentSuccessRate: { deployments: number; succeeded: number; rate: number | undefined; target: number; met: boolean | undefined };
  releaseQuality: { releases: number; criticalIncidents: number; perRelease: number | undefined; target: number; met: boolean | undefined };
}

/** Critical incidents that started within 48 h after the release reached production, linked to one of its rollouts (or, unlinked, of its product). */
export function criticalIncidentsAfter(release: Release, prodAt: Date, history: History) {
  const ownRollouts = new Set((history.index.rolloutsByRelease.get(release.id) ?? []).map((r) => r.id));
  return history.incidents.filter(
    (i) =>
      i.severity === 'critical' &&
      i.openedAt &&
      i.openedAt.getTime() >= prodAt.getTime() &&
      i.openedAt.getTime() <= prodAt.getTime() + FAILURE_HORIZON_MS &&
      (i.rolloutId ? ownRollouts.has(i.rolloutId) : i.product === release.product),
  );
}

/**
 * - release frequency against plan = releases in production in the window / releases whose target date is in the window (on time: in production by the target date);
 * - lead time code freeze → production = median over releases in production in the window (target < 4 weeks);
 * - deployment success rate = production rollouts without rollback / production rollouts finished in the window (target > 98%);
 * - release quality = critical incidents within 48 h of production / releases in production in the window (target < 0.5).
 */
export function releaseKpis(history: History, scope: Scope, window: Window): ReleaseKpis {
  const inScope = scoped(history, scope);
  const releases = [...inScope.releases.values()].filter((r) => r.status !== 'CANCELLED');
  const planned = releases.filter((r) => r.targetDate && inWindow(new Date(r.targetDate), window));
  const delivered = releases.flatMap((r) => {
    const at = productionAt(r, history);
    return inWindow(at, window) ? [{ release: r, at }] : [];
  });
  const onTime = delivered.filter((d) => d.release.targetDate && d.at.getTime() <= Date.parse(d.release.targetDate)).length;
  const freezeLeads = delivered.filter((d) => d.release.codeFreezeAt).map((d) => d.at.getTime() - d.release.codeFreezeAt!.getTime());
  const leadMedian = median(freezeLeads);
  const outcomes = outcomesIn(history, scope, window);
  const succeeded = outcomes.filter((o) => !o.rollout.rolledBackAt).length;
  const successRate = outcomes.length ? succeeded / outcomes.length : undefined;
  const critical = delivered.reduce((n, d) => n + criticalIncidentsAfter(d.release, d.at, history).length, 0);
  const perRelease = delivered.length ? critical / delivered.length : undefined;
  return {
    releaseFrequency: { planned: planned.length, delivered: delivered.length, onTime, ratio: planned.length ? delivered.length / planned.length : undefined },
    leadTimeCodeFreezeToProduction: {
      releases: freezeLeads.length,
      medianMs: leadMedian,
      targetMs: KPI_TARGETS.leadTimeCodeFreezeToProductionMs,
      met: leadMedian === undefined ? undefined : leadMedian < KPI_TARGETS.leadTimeCodeFreezeToProductionMs,
    },
    deploymentSuccessRate: { deployments: outcomes.length, succeeded, rate: successRate, target: KPI_TARGETS.deploymentSuccessRate, met: successRate === undefined ? undefined : successRate > KPI_TARGETS.deploymentSuccessRate },
    releaseQuality: { releases: delivered.length, criticalIncidents: critical, perRelease, target: KPI_TARGETS.criticalIssuesPerRelease, met: perRelease === undefined ? undefined : perRelease < KPI_TARGETS.criticalIssuesPerRelease },
  };
}
