import type { Advice, Advisor } from '@flightdeck/ai';
import { z } from 'zod';
import { count, RuleError } from '@flightdeck/kernel';
import { releaseNotes, scopeDocument, weeklyStatus } from '../domain/documents.js';
import { forecastCompletion } from '../domain/forecast.js';
import { assessHealth, type HealthReport } from '../domain/health.js';
import { seededRandom } from '../domain/random.js';
import type { Release, StoredForecast } from '../domain/release.js';
import { prioritize, type Prioritization } from '../domain/selection.js';
import { planTimeline, type Timeline } from '../domain/timeline.js';
import { inScope } from '../domain/scope.js';
import { forecastedEvent, scopeRecommendedEvent } from './events.js';
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

  health(r: Release): HealthReport {
    const now = this.deps.clock.now();
    // A forecast is only trusted while it describes the scope as it is now.
    const remaining = r.features.filter((f) => inScope(f) && f.status !== 'DONE').reduce((a, f) => a + f.effort, 0);
    const forecast = r.lastForecast && r.lastForecast.remainingPoints === remaining ? r.lastForecast : undefined;
    return assessHealth({
      createdAt: r.createdAt,
      status: r.status,
      targetDate: r.targetDate,
      features: r.features,
      gates: r.signals.gates,
      velocityHistory: r.team.velocityHistory,
      timeline: this.timeline(r),
      ...(forecast ? { forecast } : {}),
      now,
    });
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
