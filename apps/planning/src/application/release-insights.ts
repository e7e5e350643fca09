import type { Advice, Advisor } from '@flightdeck/ai';
import { z } from 'zod';
import { count, RuleError } from '@flightdeck/kernel';
import { dailyDigest } from '../domain/daily-digest.js';
import { releaseNotes, scopeDocument, weeklyStatus } from '../domain/documents.js';
import { forecastCompletion } from '../domain/forecast.js';
import type { HealthReport } from '../domain/health.js';
import { releaseHealth } from '../domain/release-health.js';
import { seededRandom } from '../domain/random.js';
import type { Release, StoredForecast } from '../domain/release.js';
import { prioritize, type Prioritization } from '../domain/selection.js';
import { planTimeline, type Timeline } from '../domain/timeline.js';
import { inScope } from '../domain/scope.js';
import { forecastedEvent, progressAssessedEvent, scopeRecommendedEvent } from './events.js';
import { progressBaseline, type ProgressAssessment } from '../domain/advice/progress-assessment.js';
import { testPlanBaseline, type TestPlan } from '../domain/advice/test-plan.js';
import type { Clock, RequestMeta, StoredRelease } from './ports.js';
import type { ReleasePlanning } from './release-planning.js';

const aiPrioritisation = z.object({
  features: z.array(
    z.object({
      featureId: z.string(),
      score: z.number().min(0).max(100),
      rationale: z.string(),
      risk: z.enum(['LOW', 'MEDIUM', 'HIGH']),
    }),
  ),
  sequencing: z.array(z.string()),
  summary: z.string(),
});
export type AiPrioritisation = z.infer<typeof aiPrioritisation>;

const timelineRisk = z.object({
  commentary: z.string(),
  risks: z.array(
    z.object({
      description: z.string(),
      likelihood: z.enum(['LOW', 'MEDIUM', 'HIGH']),
      impact: z.enum(['LOW', 'MEDIUM', 'HIGH']),
      contingency: z.string(),
    }),
  ),
});
export type TimelineRisk = z.infer<typeof timelineRisk>;

const level = z.enum(['HIGH', 'MEDIUM', 'LOW']);
const testPlan = z.object({
  features: z.array(
    z.object({
      featureId: z.string(),
      title: z.string(),
      risk: level,
      priority: z.number().int().min(1),
      testTypes: z.array(
        z.enum(['unit', 'integration', 'end-to-end', 'regression', 'contract', 'migration', 'performance', 'security']),
      ),
      coverageTarget: z.number().min(0).max(100),
      why: z.string(),
    }),
  ),
  summary: z.string(),
}) satisfies z.ZodType<TestPlan>;

const progressAssessment = z.object({
  probabilityOnTime: z.number().min(0).max(1),
  criticalPathAtRisk: z.array(z.object({ featureId: z.string(), title: z.string(), effort: z.number().min(0) })),
  scopeAdjustments: z.array(
    z.object({ featureId: z.string(), title: z.string(), effort: z.number().min(0), reason: z.string() }),
  ),
  summary: z.string(),
}) satisfies z.ZodType<ProgressAssessment>;

export interface PrioritizeOptions {
  /** Story points available; default the timeline's capacity before feature complete. */
  capacity?: number;
  stretch?: number;
}

export interface ForecastOptions {
  runs?: number;
  seed?: number;
}

export interface PrioritizeResult {
  release: Release;
  prioritization: Prioritization;
  capacity: number;
  advice: Advice<AiPrioritisation>;
}

export interface ForecastResult {
  stored: StoredRelease;
  timeline: Timeline;
  forecast: StoredForecast;
  advice: Advice<TimelineRisk>;
}

/** Reading and advising on a release: prioritisation, timeline and forecast, health and documents. */
export class ReleaseInsights {
  constructor(private readonly deps: { planning: ReleasePlanning; clock: Clock; advisor: Advisor }) {}

  timeline(r: Release): Timeline {
    return planTimeline(r, r.team, this.deps.clock.now());
  }

  /** The stored forecast while it describes the scope as it is now; a forecast of another scope is not trusted. */
  private currentForecast(r: Release): StoredForecast | undefined {
    const remaining = r.features.filter((f) => inScope(f) && f.status !== 'DONE').reduce((a, f) => a + f.effort, 0);
    return r.lastForecast && r.lastForecast.remainingPoints === remaining ? r.lastForecast : undefined;
  }

  health(r: Release): HealthReport {
    return releaseHealth(r, this.timeline(r), this.deps.clock.now(), this.currentForecast(r));
  }

  documents(r: Release): { scope: string; weeklyStatus: string; releaseNotes: string } {
    const timeline = this.timeline(r);
    const capacity = timeline.capacityPoints;
    const plan = timeline.velocity > 0 ? prioritize(r.features, { capacity }).recommended : undefined;
    return {
      scope: scopeDocument(r, timeline, plan),
      weeklyStatus: weeklyStatus({
        release: r,
        health: this.health(r),
        timeline,
        now: this.deps.clock.now(),
        ...(r.lastForecast ? { forecast: r.lastForecast } : {}),
      }),
      releaseNotes: releaseNotes(r),
    };
  }

  /** The development team's daily digest, from the release's state now. */
  dailyDigest(r: Release): string {
    return dailyDigest({ release: r, health: this.health(r), timeline: this.timeline(r), now: this.deps.clock.now() });
  }

  /** Ranks and selects the scope, asks the advisor, and publishes the scope the advice proposed so its accuracy is measured later. */
  async prioritize(meta: RequestMeta, id: string, options: PrioritizeOptions): Promise<PrioritizeResult> {
    const { release: r } = await this.deps.planning.get(id);
    const now = this.deps.clock.now();
    const timeline = this.timeline(r);
    const capacity = options.capacity ?? (timeline.velocity > 0 ? timeline.capacityPoints : undefined);
    if (capacity === undefined) {
      throw new RuleError(
        'give a capacity in story points, or set the team velocity (velocityHistory or plannedVelocity) so capacity follows from the timeline',
        'capacity',
      );
    }
    const prioritization = prioritize(r.features, {
      capacity,
      ...(options.stretch !== undefined ? { stretch: options.stretch } : {}),
    });
    const byId = new Map(r.features.map((f) => [f.id, f]));
    const n = Math.max(1, prioritization.ranking.length);
    const advice = await this.deps.advisor.advise({
      kind: 'prioritisation',
      subject: r.id,
      schema: aiPrioritisation,
      instructions:
        'Score each feature 0-100 for inclusion in this release, give a one-sentence rationale and a delivery risk (LOW, MEDIUM, HIGH), ' +
        'and a sequencing: the ids of the features you recommend for this release within the capacity, in an order that respects dependsOn. ' +
        'MUST features stay in. Use the WSJF figures and the capacity given.',
      input: {
        release: {
          product: r.product,
          version: r.version,
          type: r.type,
          theme: r.theme,
          targetDate: r.targetDate.toISOString(),
        },
        capacity,
        features: prioritization.ranking.map((x) => ({
          ...x,
          dependsOn: byId.get(x.featureId)!.dependsOn,
          status: byId.get(x.featureId)!.status,
        })),
        deterministic: { selected: prioritization.recommended.selected, leftOut: prioritization.recommended.leftOut },
      },
      baseline: () => ({
        features: prioritization.ranking.map((x) => {
          const f = byId.get(x.featureId)!;
          const risk =
            f.effort >= 13 || f.dependsOn.length >= 3
              ? 'HIGH'
              : f.effort >= 8 || f.dependsOn.length > 0
                ? 'MEDIUM'
                : 'LOW';
          return {
            featureId: x.featureId,
            score: Math.round((100 * (n - x.rank + 1)) / n),
            rationale: `WSJF ${x.wsjf.toFixed(2)}: cost of delay ${x.costOfDelay} over ${x.effort} points`,
            risk,
          } as const;
        }),
        sequencing: prioritization.recommended.selected,
        summary: `${prioritization.recommended.selected.length} of ${count(r.features.length, 'feature')} fit ${count(capacity, 'point')} (${Math.round(prioritization.recommended.valueShare * 100)}% of the value)`,
      }),
      baselineConfidence: 0.6,
    });
    await this.deps.planning.recordEvents(r.id, [
      scopeRecommendedEvent(r, advice, proposedScope(advice.value.sequencing, byId), capacity, meta, now),
    ]);
    return { release: r, prioritization, capacity, advice };
  }

  async forecast(meta: RequestMeta, id: string, options: ForecastOptions): Promise<ForecastResult> {
    const current = await this.deps.planning.get(id);
    const now = this.deps.clock.now();
    const r = current.release;
    const timeline = planTimeline(r, r.team, now);
    const seed = options.seed ?? now.getTime() & 0x7fffffff;
    const forecast: StoredForecast = {
      ...forecastCompletion({
        remainingPoints: timeline.remainingPoints,
        velocityHistory: r.team.velocityHistory,
        ...(r.team.plannedVelocity !== undefined ? { plannedVelocity: r.team.plannedVelocity } : {}),
        start: now,
        deadline: timeline.featureComplete,
        runs: options.runs ?? 10_000,
        random: seededRandom(seed),
      }),
      at: now,
      seed,
    };
    const advice = await this.deps.advisor.advise({
      kind: 'timeline-risk',
      subject: r.id,
      schema: timelineRisk,
      instructions:
        'Comment on the risks to this release timeline and suggest contingencies, from the forecast, critical path and warnings given.',
      input: {
        release: { product: r.product, version: r.version, type: r.type, targetDate: r.targetDate.toISOString() },
        timeline,
        forecast,
      },
      baseline: () => baselineRisk(timeline, forecast),
      baselineConfidence: 0.5,
    });
    // The forecast takes no revision: stored on the release as it is now, even if an event changed it meanwhile.
    const stored = await this.deps.planning.change(id, undefined, (rel) => ({
      release: { ...rel, lastForecast: forecast, updatedAt: now },
      events: [
        forecastedEvent(rel, timeline, forecast, meta, now, {
          predictionId: advice.predictionId,
          source: advice.source,
          flagsSlip: advice.value.risks.some((x) => x.likelihood === 'HIGH'),
        }),
      ],
    }));
    return { stored, timeline, forecast, advice };
  }

  async testPlan(id: string): Promise<{ release: Release; advice: Advice<TestPlan> }> {
    const { release } = await this.deps.planning.get(id);
    return { release, advice: await planTests(this.deps.advisor, release) };
  }

  /**
   * The chance to make feature complete, the critical-path items at risk and the scope to defer; published as
   * flightdeck.planning.progress.assessed so analytics can score the chance against when feature complete came.
   */
  async assessProgress(
    meta: RequestMeta,
    id: string,
  ): Promise<{ release: Release; timeline: Timeline; advice: Advice<ProgressAssessment> }> {
    const { release: r } = await this.deps.planning.get(id);
    const now = this.deps.clock.now();
    const timeline = this.timeline(r);
    const forecast = this.currentForecast(r);
    const baseline = progressBaseline(r.features, timeline, forecast);
    const advice = await this.deps.advisor.advise({
      kind: 'progress-assessment',
      subject: r.id,
      schema: progressAssessment,
      instructions:
        'Assess the progress of this release: the probability (0 to 1) of reaching feature complete by the date given, ' +
        'the open features on the critical path that put it at risk, and the features to move out (never a MUST, never one another open feature depends on) so that the rest fits the capacity.',
      input: {
        release: { product: r.product, version: r.version, type: r.type, targetDate: r.targetDate.toISOString() },
        featureComplete: timeline.featureComplete.toISOString(),
        timeline: {
          capacityPoints: timeline.capacityPoints,
          remainingPoints: timeline.remainingPoints,
          velocity: timeline.velocity,
          criticalPath: timeline.criticalPath,
          warnings: timeline.warnings,
        },
        ...(forecast
          ? { forecast: { probabilityOnTime: forecast.probabilityOnTime, p50: forecast.p50, p85: forecast.p85 } }
          : {}),
        features: r.features.filter(inScope).map((f) => ({
          featureId: f.id,
          title: f.title,
          priority: f.priority,
          effort: f.effort,
          status: f.status,
          dependsOn: f.dependsOn,
        })),
        deterministic: baseline,
      },
      baseline: () => baseline,
      baselineConfidence: forecast ? 0.6 : 0.4,
    });
    await this.deps.planning.recordEvents(r.id, [
      progressAssessedEvent(
        r,
        { ...advice, probabilityOnTime: advice.value.probabilityOnTime },
        timeline.featureComplete,
        meta,
        now,
      ),
    ]);
    return { release: r, timeline, advice };
  }
}

/**
 * A test plan for the release's scope: test types, coverage targets and a risk-based order per feature. Recorded as a
 * prediction; nothing records which feature a later defect came from, so analytics shows it as not scorable.
 */
async function planTests(advisor: Advisor, r: Release): Promise<Advice<TestPlan>> {
  const baseline = testPlanBaseline(r.features);
  return advisor.advise({
    kind: 'test-planning',
    subject: r.id,
    schema: testPlan,
    instructions:
      'Plan the testing of each feature in scope: a risk level (HIGH, MEDIUM, LOW), a priority (1 is tested first, by risk), ' +
      'the test types it needs, a line-coverage target in percent and one sentence why. Use the ids given; leave out no feature in scope.',
    input: {
      release: { product: r.product, version: r.version, type: r.type, theme: r.theme },
      features: r.features.filter(inScope).map((f) => ({
        featureId: f.id,
        title: f.title,
        description: f.description,
        kind: f.kind,
        priority: f.priority,
        effort: f.effort,
        businessValue: f.businessValue,
        riskReduction: f.riskReduction,
        breakingChange: f.breakingChange,
        migration: f.migration,
        dependsOn: f.dependsOn,
        status: f.status,
      })),
      deterministic: baseline,
    },
    baseline: () => baseline,
    baselineConfidence: 0.5,
  });
}

/** The features an advice proposes: its sequencing, once each, without ids the release does not have (an AI may invent some). */
function proposedScope(sequencing: readonly string[], features: ReadonlyMap<string, unknown>): string[] {
  return [...new Set(sequencing)].filter((id) => features.has(id));
}

function baselineRisk(t: Timeline, f: StoredForecast): TimelineRisk {
  const p = Math.round(f.probabilityOnTime * 100);
  const risks: TimelineRisk['risks'] = [];
  if (p < 85)
    risks.push({
      description: `only ${p}% of forecast runs finish by feature complete`,
      likelihood: p < 50 ? 'HIGH' : 'MEDIUM',
      impact: 'HIGH',
      contingency: 'cut the lowest-WSJF SHOULD/COULD features or move the target date',
    });
  if (t.criticalPathDelayDays > 0)
    risks.push({
      description: `the critical path ends ${count(t.criticalPathDelayDays, 'day')} after feature complete`,
      likelihood: 'HIGH',
      impact: 'HIGH',
      contingency: 'split or parallelise the features on the critical path',
    });
  for (const w of t.warnings)
    risks.push({
      description: w,
      likelihood: 'MEDIUM',
      impact: 'MEDIUM',
      contingency: 'review the plan with the team',
    });
  const commentary = risks.length
    ? `${risks.length} timeline risk(s); P50 ${f.p50.toISOString().slice(0, 10)}, P85 ${f.p85.toISOString().slice(0, 10)}, feature complete ${t.featureComplete.toISOString().slice(0, 10)}.`
    : `On track: ${p}% of runs finish by feature complete, with ${count(f.bufferDays, 'day')} of buffer at P85.`;
  return { commentary, risks };
}
