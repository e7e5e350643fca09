import { deploymentOutcome, type FailureCause } from './failures.js';
import { hotfixesOf } from './dora.js';
import { isProduction, productionAt, type History, type Incident, type Release } from './history.js';
import { AI_TARGETS, lastRecommendation } from './ai-effectiveness.js';
import { criticalIncidentsAfter } from './kpis.js';

export interface ReleaseMetrics {
  releaseId: string;
  productionAt?: Date;
  /** First change → production. */
  leadTimeMs?: number;
  codeFreezeToProductionMs?: number;
  productionRollouts: number;
  rolledBack: number;
  failedDeployments: number;
  failureCauses: FailureCause[];
  criticalIncidentsWithin48h: number;
  plannedFeatures: number;
  deliveredFeatures: number;
  /** delivered / planned, when anything was planned. */
  planningAccuracy?: number;
  /** production − target date (positive: late). */
  scheduleSlipMs?: number;
}

export function releaseMetrics(release: Release, history: History): ReleaseMetrics {
  const prod = productionAt(release, history);
  const hotfixes = hotfixesOf(history);
  const rollouts = (history.index.rolloutsByRelease.get(release.id) ?? [])
    .filter((r) => isProduction(r))
    .sort(
      (a, b) =>
        (a.startedAt ?? a.finishedAt ?? new Date(0)).getTime() -
          (b.startedAt ?? b.finishedAt ?? new Date(0)).getTime() || (a.id < b.id ? -1 : 1),
    );
  const outcomes = rollouts.map((r) => deploymentOutcome(r, history, hotfixes));
  const critical: Incident[] = prod ? criticalIncidentsAfter(release, prod, history) : [];
  return {
    releaseId: release.id,
    ...(prod ? { productionAt: prod } : {}),
    ...(prod && release.firstChangeAt ? { leadTimeMs: prod.getTime() - release.firstChangeAt.getTime() } : {}),
    ...(prod && release.codeFreezeAt
      ? { codeFreezeToProductionMs: prod.getTime() - release.codeFreezeAt.getTime() }
      : {}),
    productionRollouts: rollouts.length,
    rolledBack: rollouts.filter((r) => r.rolledBackAt).length,
    failedDeployments: outcomes.filter((o) => o.failed).length,
    failureCauses: outcomes.flatMap((o) => (o.cause ? [o.cause] : [])),
    criticalIncidentsWithin48h: critical.length,
    plannedFeatures: release.plannedScope.length,
    deliveredFeatures: release.deliveredScope.length,
    ...(release.plannedScope.length && release.releasedAt
      ? { planningAccuracy: release.deliveredScope.length / release.plannedScope.length }
      : {}),
    ...(prod && release.targetDate ? { scheduleSlipMs: prod.getTime() - Date.parse(release.targetDate) } : {}),
  };
}

export interface PredictionCheck {
  what: string;
  source: 'ai' | 'deterministic';
  predicted: string;
  actual: string;
  hit: boolean | undefined;
}

export interface ReleaseAnalysis {
  release: Release;
  metrics: ReleaseMetrics;
  objectives: { theme?: string; targetDate?: string; plannedFeatures: string[] };
  outcomes: { deliveredFeatures: string[]; missedFeatures: string[]; productionAt?: Date; onTime?: boolean };
  incidents: Incident[];
  gates: Release['gates'];
  predictions: PredictionCheck[];
  /** Plain-language findings from the numbers above (the deterministic narrative). */
  findings: string[];
}

const days = (ms: number) => `${(ms / 86_400_000).toFixed(1)} days`;

export function analyseRelease(release: Release, history: History): ReleaseAnalysis {
  const metrics = releaseMetrics(release, history);
  const incidents = (history.index.rolloutsByRelease.get(release.id) ?? []).flatMap(
    (r) => history.index.incidentsByRollout.get(r.id) ?? [],
  );
  const missed = release.plannedScope.filter((f) => !release.deliveredScope.includes(f));
  const onTime = metrics.scheduleSlipMs === undefined ? undefined : metrics.scheduleSlipMs <= 0;
  const wrong = metrics.failedDeployments > 0 || metrics.criticalIncidentsWithin48h > 0;
  const predictions: PredictionCheck[] = [
    ...release.readiness.map((a) => {
      const next = release.gates.find((g) => g.at.getTime() >= a.at.getTime());
      const expected = { GO: 'PASS', CONDITIONAL_GO: 'CONDITIONAL', NO_GO: 'FAIL' }[a.recommendation];
      return {
        what: 'readiness',
        source: a.source,
        predicted: a.recommendation,
        actual: next ? `${next.gate} ${next.outcome}` : 'no gate evaluated since',
        hit: next ? next.outcome === expected : undefined,
      };
    }),
    ...(['ai', 'deterministic'] as const).flatMap((source) => {
      const last = lastRecommendation(release, source);
      if (!last || last.recommended.length === 0) return [];
      const done = last.recommended.filter((f) => release.doneAtRelease.includes(f));
      const share = done.length / last.recommended.length;
      return [
        {
          what: 'scope',
          source,
          predicted: `${last.recommended.length} feature(s) deliverable: ${last.recommended.join(', ')}`,
          actual: release.releasedAt
            ? `${done.length} of them done at release (${Math.round(share * 100)}%)`
            : 'not released',
          hit: release.releasedAt ? share >= AI_TARGETS.PLANNING_ACCURACY.target : undefined,
        },
      ];
    }),
    ...release.forecasts.map((f) => ({
      what: 'timeline',
      source: 'deterministic' as const,
      predicted: `p50 ${f.p50.toISOString()} (${Math.round(f.probabilityOnTime * 100)}% on time)`,
      actual: metrics.productionAt ? metrics.productionAt.toISOString() : 'not in production',
      hit: metrics.productionAt
        ? f.probabilityOnTime >= 0.5 === metrics.productionAt.getTime() <= f.targetDate.getTime()
        : undefined,
    })),
  ];
  const findings: string[] = [];
  if (!metrics.productionAt) findings.push('The release has not reached production yet.');
  else {
    if (metrics.scheduleSlipMs !== undefined)
      findings.push(
        onTime
          ? `Reached production on time (${days(-metrics.scheduleSlipMs)} early).`
          : `Reached production ${days(metrics.scheduleSlipMs)} after its target date.`,
      );
    if (metrics.codeFreezeToProductionMs !== undefined)
      findings.push(`Code freeze to production took ${days(metrics.codeFreezeToProductionMs)} (target under 28 days).`);
  }
  if (release.plannedScope.length)
    findings.push(
      `Delivered ${release.deliveredScope.length} of ${release.plannedScope.length} planned features (${Math.round((100 * release.deliveredScope.length) / release.plannedScope.length)}%).`,
    );
  if (metrics.rolledBack) findings.push(`${metrics.rolledBack} production rollout(s) were rolled back.`);
  if (metrics.criticalIncidentsWithin48h)
    findings.push(
      `${metrics.criticalIncidentsWithin48h} critical incident(s) within 48 h of production (target under 0.5 per release).`,
    );
  if (metrics.productionAt && !wrong) findings.push('No failed deployment and no critical incident after release.');
  const misses = predictions.filter((p) => p.hit === false);
  if (misses.length)
    findings.push(
      `${misses.length} prediction(s) did not match what happened: ${misses.map((p) => `${p.what} (${p.source}) said ${p.predicted}, got ${p.actual}`).join('; ')}.`,
    );
  return {
    release,
    metrics,
    objectives: {
      ...(release.theme ? { theme: release.theme } : {}),
      ...(release.targetDate ? { targetDate: release.targetDate } : {}),
      plannedFeatures: release.plannedScope,
    },
    outcomes: {
      deliveredFeatures: release.deliveredScope,
      missedFeatures: missed,
      ...(metrics.productionAt ? { productionAt: metrics.productionAt } : {}),
      ...(onTime === undefined ? {} : { onTime }),
    },
    incidents,
    gates: release.gates,
    predictions,
    findings,
  };
}
