import { outcomesIn } from './dora.js';
import { productionAt, type History, type Release } from './history.js';
import { FAILURE_HORIZON_MS } from './failures.js';
import { scoped, type Scope } from './scope.js';
import { DAY, inWindow, median, type Window } from './time.js';

/** Targets of the release process (docs/ARCHITECTURE.md, "KPIs"). */
export const KPI_TARGETS = {
  leadTimeCodeFreezeToProductionMs: 28 * DAY,
  deploymentSuccessRate: 0.98,
  criticalIssuesPerRelease: 0.5,
} as const;

export interface ReleaseKpis {
  releaseFrequency: { planned: number; delivered: number; onTime: number; ratio: number | undefined };
  leadTimeCodeFreezeToProduction: {
    releases: number;
    medianMs: number | undefined;
    targetMs: number;
    met: boolean | undefined;
  };
  deploymentSuccessRate: {
    deployments: number;
    succeeded: number;
    rate: number | undefined;
    target: number;
    met: boolean | undefined;
  };
  releaseQuality: {
    releases: number;
    criticalIncidents: number;
    perRelease: number | undefined;
    target: number;
    met: boolean | undefined;
  };
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
  return combineKpis([kpiPartial(history, scope, window)]);
}

/** What one part of a history contributes to the KPIs of a window: counts, and the samples of the median. */
export interface KpiPartial {
  planned: number;
  delivered: number;
  onTime: number;
  freezeLeads: number[];
  deployments: number;
  succeeded: number;
  criticalIncidents: number;
}

export function kpiPartial(history: History, scope: Scope, window: Window): KpiPartial {
  const inScope = scoped(history, scope);
  const releases = [...inScope.releases.values()].filter((r) => r.status !== 'CANCELLED');
  const delivered = releases.flatMap((r) => {
    const at = productionAt(r, history);
    return inWindow(at, window) ? [{ release: r, at }] : [];
  });
  const outcomes = outcomesIn(history, scope, window);
  return {
    planned: releases.filter((r) => r.targetDate && inWindow(new Date(r.targetDate), window)).length,
    delivered: delivered.length,
    onTime: delivered.filter((d) => d.release.targetDate && d.at.getTime() <= Date.parse(d.release.targetDate)).length,
    freezeLeads: delivered
      .filter((d) => d.release.codeFreezeAt)
      .map((d) => d.at.getTime() - d.release.codeFreezeAt!.getTime()),
    deployments: outcomes.length,
    succeeded: outcomes.filter((o) => !o.rollout.rolledBackAt).length,
    criticalIncidents: delivered.reduce((n, d) => n + criticalIncidentsAfter(d.release, d.at, history).length, 0),
  };
}

/** The KPIs of disjoint parts of a history (the partitions of an organisation): counts add up, the median is over every part's samples. */
export function combineKpis(parts: readonly KpiPartial[]): ReleaseKpis {
  const sum = (f: (p: KpiPartial) => number) => parts.reduce((n, p) => n + f(p), 0);
  const planned = sum((p) => p.planned);
  const delivered = sum((p) => p.delivered);
  const deployments = sum((p) => p.deployments);
  const succeeded = sum((p) => p.succeeded);
  const critical = sum((p) => p.criticalIncidents);
  const leadMedian = median(parts.flatMap((p) => p.freezeLeads));
  const successRate = deployments ? succeeded / deployments : undefined;
  const perRelease = delivered ? critical / delivered : undefined;
  return {
    releaseFrequency: {
      planned,
      delivered,
      onTime: sum((p) => p.onTime),
      ratio: planned ? delivered / planned : undefined,
    },
    leadTimeCodeFreezeToProduction: {
      releases: sum((p) => p.freezeLeads.length),
      medianMs: leadMedian,
      targetMs: KPI_TARGETS.leadTimeCodeFreezeToProductionMs,
      met: leadMedian === undefined ? undefined : leadMedian < KPI_TARGETS.leadTimeCodeFreezeToProductionMs,
    },
    deploymentSuccessRate: {
      deployments,
      succeeded,
      rate: successRate,
      target: KPI_TARGETS.deploymentSuccessRate,
      met: successRate === undefined ? undefined : successRate > KPI_TARGETS.deploymentSuccessRate,
    },
    releaseQuality: {
      releases: delivered,
      criticalIncidents: critical,
      perRelease,
      target: KPI_TARGETS.criticalIssuesPerRelease,
      met: perRelease === undefined ? undefined : perRelease < KPI_TARGETS.criticalIssuesPerRelease,
    },
  };
}
