import { deploymentOutcome } from './failures.js';
import { hotfixesOf } from './dora.js';
import type { GateOutcome, HealthRecommendation, Recommendation, Source } from './facts.js';
import { isProduction, productionAt, type History, type Release, type Rollout } from './history.js';
import { scoped, type Scope } from './scope.js';
import { inWindow, mean, type Window } from './time.js';

export type EffectivenessMetric =
  'PLANNING_ACCURACY' | 'RISK_PREDICTION' | 'QUALITY_GATE_PREDICTION' | 'TIMELINE_VARIANCE';

/** Targets (docs/ARCHITECTURE.md, "AI effectiveness"): accuracy above, variance below. */
export const AI_TARGETS: Record<EffectivenessMetric, { target: number; higherIsBetter: boolean }> = {
  PLANNING_ACCURACY: { target: 0.85, higherIsBetter: true },
  RISK_PREDICTION: { target: 0.8, higherIsBetter: true },
  QUALITY_GATE_PREDICTION: { target: 0.9, higherIsBetter: true },
  TIMELINE_VARIANCE: { target: 0.15, higherIsBetter: false },
};

/** The advice kinds scored against an outcome. */
export type ScoredKind =
  'prioritisation' | 'readiness' | 'timeline-risk' | 'deployment-health' | 'progress-assessment' | 'gate-validation';

/**
 * The advice kinds recorded as predictions that have no honest outcome to be scored against, and why: they are
 * shown as such rather than given a number.
 */
export const NOT_SCORABLE = [
  {
    kind: 'test-planning',
    reason:
      'nothing records which feature an escaped defect or incident came from, so a feature’s risk level and coverage target cannot be checked against one',
  },
  {
    kind: 'post-release',
    reason: 'the post-release analysis is a narrative for the retrospective: it predicts nothing that later happens',
  },
] as const;

export interface EffectivenessRow {
  metric: EffectivenessMetric;
  /** The advice kind the predictions were recorded as. */
  kind: ScoredKind;
  /** Who predicted; undefined for the team's own plan (the source-less planning accuracy row). */
  source?: Source;
  samples: number;
  value: number;
  target: number;
  met: boolean;
}

/** A row gets a number from this many outcomes on; below it, it is reported as having too few outcomes. */
export const MIN_OUTCOMES = 5;

/** A kind and source whose predictions have not met enough outcomes yet to be scored. */
export interface TooFewOutcomes {
  metric: EffectivenessMetric;
  kind: EffectivenessRow['kind'];
  source?: Source;
  samples: number;
  minimum: number;
}

const EXPECTED: Record<Recommendation, GateOutcome> = { GO: 'PASS', CONDITIONAL_GO: 'CONDITIONAL', NO_GO: 'FAIL' };

function row(
  metric: EffectivenessMetric,
  kind: EffectivenessRow['kind'],
  source: Source | undefined,
  values: number[],
  minOutcomes: number,
): EffectivenessRow | undefined {
  const value = mean(values);
  if (value === undefined || values.length < minOutcomes) return undefined;
  const { target, higherIsBetter } = AI_TARGETS[metric];
  return {
    metric,
    kind,
    ...(source ? { source } : {}),
    samples: values.length,
    value,
    target,
    met: higherIsBetter ? value > target : value < target,
  };
}

/** The scores of one row before averaging: what one part of a history contributes to it. */
export interface EffectivenessSamples {
  metric: EffectivenessMetric;
  kind: EffectivenessRow['kind'];
  source?: Source;
  values: number[];
}

function bySource<T extends { source: Source }>(
  items: T[],
  metric: EffectivenessMetric,
  kind: EffectivenessRow['kind'],
  score: (t: T) => number | undefined,
): EffectivenessSamples[] {
  return (['ai', 'deterministic'] as const).map((source) => ({
    metric,
    kind,
    source,
    values: items
      .filter((i) => i.source === source)
      .flatMap((i) => {
        const s = score(i);
        return s === undefined ? [] : [s];
      }),
  }));
}

/** Each row's samples across disjoint parts of a history: every part gives the same rows in the same order. */
function combinedSamples(parts: readonly EffectivenessSamples[][]): EffectivenessSamples[] {
  if (!parts.length) return [];
  return parts[0]!.map((first, i) => ({
    ...first,
    values: parts.length === 1 ? first.values : parts.flatMap((p) => p[i]!.values),
  }));
}

/**
 * The rows of disjoint parts of a history (the partitions of an organisation): each row averages the samples of that
 * row across the parts. Rows with fewer than `minOutcomes` samples are left out (see tooFewOutcomes).
 */
export function combineEffectiveness(
  parts: readonly EffectivenessSamples[][],
  minOutcomes = MIN_OUTCOMES,
): EffectivenessRow[] {
  return combinedSamples(parts).flatMap((s) => {
    const r = row(s.metric, s.kind, s.source, s.values, minOutcomes);
    return r ? [r] : [];
  });
}

/** The rows combineEffectiveness leaves out for having fewer than `minOutcomes` samples (none at all included), so they say so instead of giving a number. */
export function tooFewOutcomes(parts: readonly EffectivenessSamples[][], minOutcomes = MIN_OUTCOMES): TooFewOutcomes[] {
  return combinedSamples(parts).flatMap((s) =>
    s.values.length >= minOutcomes
      ? []
      : [
          {
            metric: s.metric,
            kind: s.kind,
            ...(s.source ? { source: s.source } : {}),
            samples: s.values.length,
            minimum: minOutcomes,
          },
        ],
  );
}

/** The last scope the source recommended by code freeze (or by release when it never froze): what the team could still act on. */
export function lastRecommendation(release: Release, source: Source): Release['recommendations'][number] | undefined {
  const until = (release.codeFreezeAt ?? release.releasedAt)?.getTime();
  return release.recommendations
    .filter((r) => r.source === source && (until === undefined || r.at.getTime() <= until))
    .at(-1);
}

/** Did the release go wrong in production: a failed production rollout (rolled back, incident or hotfix within 48 h)? */
function wentWrong(release: Release, history: History, hotfixes: ReturnType<typeof hotfixesOf>): boolean | undefined {
  const prod = (history.index.rolloutsByRelease.get(release.id) ?? []).filter((r) => isProduction(r) && r.finishedAt);
  if (prod.length === 0) return undefined;
  return prod.some((r) => deploymentOutcome(r, history, hotfixes).failed);
}

/**
 * Deployment-health advice against the rollout's outcome, once the rollout finished: PROMOTE is right when the rollout did
 * not fail (not rolled back, not failed in place, no incident on it nor hotfix of its product within 48 h of its end);
 * HOLD and ROLLBACK are right when it did.
 */
function healthAdviceHit(
  advice: { recommendation: HealthRecommendation; rollout: Rollout },
  history: History,
  hotfixes: ReturnType<typeof hotfixesOf>,
): number | undefined {
  if (!advice.rollout.finishedAt) return undefined;
  const failed = deploymentOutcome(advice.rollout, history, hotfixes).failed;
  return (advice.recommendation === 'PROMOTE') === !failed ? 1 : 0;
}

/**
 * A progress assessment against what happened, once known: on time (≥ 0.5) is right when the release reached feature
 * complete (or a later status) by the date it was about, late (< 0.5) when it did not; unknown while the date is ahead
 * of `now` and the release has not got there, and for a release cancelled before it did.
 */
function progressHit(
  a: { probabilityOnTime: number; featureCompleteBy: Date },
  release: Release,
  now: Date,
): number | undefined {
  const predictedOnTime = a.probabilityOnTime >= 0.5;
  const reached = release.featureCompleteAt;
  if (reached) return predictedOnTime === reached.getTime() <= a.featureCompleteBy.getTime() ? 1 : 0;
  if (release.status === 'CANCELLED' || now.getTime() <= a.featureCompleteBy.getTime()) return undefined;
  return predictedOnTime ? 0 : 1;
}

/**
 * Predictions against what happened, per advice kind and source:
 * - planning accuracy = planned features (in scope at code freeze) delivered DONE at release / planned, per release in production in the window;
 *   per source, the same releases' last recommendation of that source made by code freeze (or by release when it never froze):
 *   recommended features DONE at release / recommended features;
 * - quality-gate prediction = readiness assessments in the window whose recommendation matched the next gate outcome (GO→PASS, CONDITIONAL_GO→CONDITIONAL, NO_GO→FAIL);
 * - risk prediction = predicted risks that materialised: a NO_GO/CONDITIONAL_GO assessment followed by a failed gate or a failed production rollout,
 *   and timeline-risk advice naming a HIGH-likelihood risk (for forecasts whose event does not name the advice: the forecast giving under 50%
 *   chance of being on time, as deterministic) for a release that reached production after its target date;
 * - timeline variance = |production − forecast p50| / (p50 − forecast time), mean over the forecasts of releases in production in the window;
 * - deployment-health risk prediction = advice in the window that matched its finished rollout's outcome (healthAdviceHit);
 * - progress-assessment risk prediction = assessments in the window whose chance (on time when ≥ 0.5) matched whether the
 *   release reached feature complete (or a later status) by the date the assessment was about (progressHit);
 * - gate-validation quality-gate prediction = validations in the window whose verdict matched the gate's next outcome.
 * test-planning and post-release are not scored (NOT_SCORABLE says why).
 * Rows with fewer than `minOutcomes` samples are left out: tooFewOutcomes lists them.
 * Forecasts are Monte Carlo runs, so their variance counts as deterministic.
 */
export function aiEffectiveness(
  history: History,
  scope: Scope,
  window: Window,
  minOutcomes = MIN_OUTCOMES,
): EffectivenessRow[] {
  return combineEffectiveness([effectivenessSamples(history, scope, window)], minOutcomes);
}

/** The samples behind aiEffectiveness's rows, every row present (possibly without samples) and always in the same order. */
export function effectivenessSamples(history: History, scope: Scope, window: Window): EffectivenessSamples[] {
  const inScope = scoped(history, scope);
  const releases = [...inScope.releases.values()];
  const hotfixes = hotfixesOf(history);
  const delivered = releases.flatMap((r) => {
    const at = productionAt(r, history);
    return inWindow(at, window) ? [{ release: r, at }] : [];
  });

  const planning = delivered
    .filter((d) => d.release.plannedScope.length > 0)
    .map((d) => d.release.deliveredScope.length / d.release.plannedScope.length);
  const recommendations = delivered.flatMap((d) => {
    const done = new Set(d.release.doneAtRelease);
    return (['ai', 'deterministic'] as const).flatMap((source) => {
      const last = lastRecommendation(d.release, source);
      return last ? [{ ...last, done }] : [];
    });
  });
  const recommendationHits = (r: (typeof recommendations)[number]) =>
    r.recommended.length ? r.recommended.filter((f) => r.done.has(f)).length / r.recommended.length : undefined;

  const assessments = releases.flatMap((release) =>
    release.readiness
      .filter((a) => inWindow(a.at, window))
      .map((a) => ({ ...a, release, nextGate: release.gates.find((g) => g.at.getTime() >= a.at.getTime()) })),
  );
  const gateHits = (a: (typeof assessments)[number]) =>
    a.nextGate ? (EXPECTED[a.recommendation] === a.nextGate.outcome ? 1 : 0) : undefined;
  const readinessRisk = (a: (typeof assessments)[number]) => {
    if (a.recommendation === 'GO') return undefined;
    const wrong = wentWrong(a.release, history, hotfixes);
    if (a.nextGate?.outcome === 'FAIL' || wrong === true) return 1;
    return a.nextGate || wrong === false ? 0 : undefined;
  };

  const forecasts = delivered.flatMap((d) =>
    d.release.forecasts.map((f) => ({ ...f, source: 'deterministic' as const, productionAt: d.at })),
  );
  // The risk is the advice's when the forecast event names it (a HIGH-likelihood risk predicts the slip), else the forecast's own (< 50 % on time).
  const timelineAdvice = forecasts.map((f) => ({
    ...f,
    source: f.advice?.source ?? f.source,
    flagsSlip: f.advice?.flagsSlip ?? f.probabilityOnTime < 0.5,
  }));
  const timelineRisk = (f: (typeof timelineAdvice)[number]) =>
    f.flagsSlip ? (f.productionAt.getTime() > f.targetDate.getTime() ? 1 : 0) : undefined;
  const variance = (f: (typeof forecasts)[number]) => {
    const horizon = f.p50.getTime() - f.at.getTime();
    return horizon > 0 ? Math.abs(f.productionAt.getTime() - f.p50.getTime()) / horizon : undefined;
  };

  const healthAdvice = inScope.rollouts.flatMap((rollout) =>
    (rollout.healthAdvice ?? []).filter((a) => inWindow(a.at, window)).map((a) => ({ ...a, rollout })),
  );

  const progress = releases.flatMap((release) =>
    release.progress.filter((a) => inWindow(a.at, window)).map((a) => ({ ...a, release })),
  );
  const validations = releases.flatMap((release) =>
    release.validations
      .filter((v) => inWindow(v.at, window))
      .map((v) => ({
        ...v,
        next: release.gates.find((g) => g.gate === v.gate && g.at.getTime() > v.at.getTime()),
      })),
  );

  return [
    { metric: 'PLANNING_ACCURACY', kind: 'prioritisation', values: planning },
    ...bySource(recommendations, 'PLANNING_ACCURACY', 'prioritisation', recommendationHits),
    ...bySource(assessments, 'RISK_PREDICTION', 'readiness', readinessRisk),
    ...bySource(timelineAdvice, 'RISK_PREDICTION', 'timeline-risk', timelineRisk),
    ...bySource(healthAdvice, 'RISK_PREDICTION', 'deployment-health', (a) => healthAdviceHit(a, history, hotfixes)),
    ...bySource(progress, 'RISK_PREDICTION', 'progress-assessment', (a) => progressHit(a, a.release, window.to)),
    ...bySource(assessments, 'QUALITY_GATE_PREDICTION', 'readiness', gateHits),
    ...bySource(validations, 'QUALITY_GATE_PREDICTION', 'gate-validation', (v) =>
      v.next ? (v.next.outcome === v.verdict ? 1 : 0) : undefined,
    ),
    ...bySource(forecasts, 'TIMELINE_VARIANCE', 'timeline-risk', variance),
  ];
}
