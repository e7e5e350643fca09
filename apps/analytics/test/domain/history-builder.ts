import { randomUUID } from 'node:crypto';
import {
  featureStatusChanged,
  gateEvaluationCompleted,
  gateValidationAdvised,
  incidentOpened,
  incidentResolved,
  progressAssessed,
  readinessAssessed,
  releaseCreatedV2,
  releaseScopeChanged,
  releaseStatusChangedV2,
  rolloutFailed,
  rolloutHealthAdvised,
  rolloutRolledBack,
  rolloutStarted,
  rolloutSucceeded,
  scopeRecommended,
  timelineForecasted,
  type CloudEvent,
} from '@flightdeck/events';
import { factsOf } from '../../src/application/project-event.js';
import { applyUpdate, buildHistory, type EntityRecord, type History } from '../../src/domain/index.js';

const HOUR = 3_600_000;
export const iso = (s: string | number | Date) => new Date(s).toISOString();
export const plusHours = (s: string, h: number) => iso(Date.parse(s) + h * HOUR);

type Type = 'MAJOR' | 'MINOR' | 'PATCH' | 'HOTFIX';

/** Builds realistic catalog events (validated by the catalog's create) for hand-worked examples. */
export class Story {
  readonly events: CloudEvent[] = [];
  private n = 0;
  // Event ids are unique per story: JetStream drops a re-used id within its duplicate window, and test files share a stream.
  private readonly prefix = randomUUID().slice(0, 8);
  private id = () => `${this.prefix}-e${String(++this.n).padStart(4, '0')}`;
  private push(e: CloudEvent) {
    this.events.push(e);
    return this;
  }

  release(
    releaseId: string,
    at: string,
    opts: { product?: string; version?: string; type?: Type; target?: string; baseVersion?: string } = {},
  ) {
    this.versions.set(releaseId, opts.version ?? '1.0.0');
    return this.push(
      releaseCreatedV2.create({
        id: this.id(),
        source: '/flightdeck/planning',
        time: at,
        data: {
          releaseId,
          product: opts.product ?? 'shop',
          version: opts.version ?? '1.0.0',
          releaseType: opts.type ?? 'MINOR',
          theme: 'theme',
          owner: 'rita',
          targetDate: opts.target ?? plusHours(at, 24 * 30),
          createdBy: 'rita',
          ...(opts.baseVersion ? { baseVersion: opts.baseVersion } : {}),
        },
      }),
    );
  }

  /** Each release's version as created: status events carry the current one, as planning's do. */
  private readonly versions = new Map<string, string>();

  status(
    releaseId: string,
    to: 'FEATURE_COMPLETE' | 'CODE_FREEZE' | 'RELEASED' | 'CANCELLED' | 'BETA',
    at: string,
    opts: { type?: Type; product?: string; version?: string } = {},
  ) {
    return this.push(
      releaseStatusChangedV2.create({
        id: this.id(),
        source: '/flightdeck/planning',
        time: at,
        data: {
          releaseId,
          product: opts.product ?? 'shop',
          version: opts.version ?? this.versions.get(releaseId) ?? '1.0.0',
          releaseType: opts.type ?? 'MINOR',
          from: 'BETA',
          to,
          by: 'rita',
          at,
          reason: 'on plan',
        },
      }),
    );
  }

  feature(releaseId: string, featureId: string, to: 'IN_PROGRESS' | 'DONE' | 'DROPPED', at: string) {
    return this.push(
      featureStatusChanged.create({
        id: this.id(),
        source: '/flightdeck/planning',
        time: at,
        data: { releaseId, featureId, title: featureId, from: 'TODO', to, effort: 3, by: 'dev', at },
      }),
    );
  }

  scope(releaseId: string, featureId: string, kind: 'ADDED' | 'REMOVED', at: string) {
    return this.push(
      releaseScopeChanged.create({
        id: this.id(),
        source: '/flightdeck/planning',
        time: at,
        data: {
          releaseId,
          kind,
          featureId,
          title: featureId,
          fields: [],
          by: 'po',
          at,
          featureCount: 1,
          totalPoints: 3,
        },
      }),
    );
  }

  rollout(
    releaseId: string,
    rolloutId: string,
    startedAt: string,
    end: { succeededAt?: string; rolledBackAt?: string; failedAt?: string },
    opts: { environment?: string; deployment?: string; namespace?: string } = {},
  ) {
    const base = { releaseId, rolloutId, environment: opts.environment ?? 'production' };
    this.push(
      rolloutStarted.create({
        id: this.id(),
        source: '/flightdeck/deployment',
        time: startedAt,
        data: {
          ...base,
          strategy: 'CANARY',
          namespace: opts.namespace ?? 'shop',
          deployment: opts.deployment ?? 'shop-api',
          image: 'shop:2',
          previousImage: 'shop:1',
          steps: 3,
          startedBy: 'rita',
          startedAt,
        },
      }),
    );
    if (end.succeededAt)
      this.push(
        rolloutSucceeded.create({
          id: this.id(),
          source: '/flightdeck/deployment',
          time: end.succeededAt,
          data: { ...base, completedAt: end.succeededAt },
        }),
      );
    if (end.rolledBackAt)
      this.push(
        rolloutRolledBack.create({
          id: this.id(),
          source: '/flightdeck/deployment',
          time: end.rolledBackAt,
          data: { ...base, reason: 'error rate', rolledBackAt: end.rolledBackAt },
        }),
      );
    if (end.failedAt)
      this.push(
        rolloutFailed.create({
          id: this.id(),
          source: '/flightdeck/deployment',
          time: end.failedAt,
          data: { ...base, reason: 'latency', measurements: [], failedAt: end.failedAt },
        }),
      );
    return this;
  }

  /** Deployment-health advice on an analysis run of a rollout (production unless told). */
  healthAdvice(
    releaseId: string,
    rolloutId: string,
    recommendation: 'PROMOTE' | 'HOLD' | 'ROLLBACK',
    source: 'ai' | 'deterministic',
    at: string,
    environment = 'production',
  ) {
    const predictionId = `hp-${this.id()}`;
    this.push(
      rolloutHealthAdvised.create({
        id: this.id(),
        source: '/flightdeck/deployment',
        time: at,
        data: {
          releaseId,
          rolloutId,
          environment,
          runId: `run-${predictionId}`,
          recommendation,
          source,
          confidence: 0.7,
          predictionId,
          advisedAt: at,
        },
      }),
    );
    return this;
  }

  incident(
    incidentId: string,
    openedAt: string,
    opts: {
      resolvedAt?: string;
      severity?: 'critical' | 'warning';
      workload?: string;
      product?: string;
      rolloutId?: string;
    } = {},
  ) {
    this.push(
      incidentOpened.create({
        id: this.id(),
        source: '/flightdeck/analytics',
        time: openedAt,
        data: {
          incidentId,
          title: 'checkout errors',
          severity: opts.severity ?? 'critical',
          source: 'alertmanager',
          openedAt,
          by: 'alertmanager',
          ...(opts.workload === undefined
            ? { workload: 'shop/shop-api' }
            : opts.workload
              ? { workload: opts.workload }
              : {}),
          ...(opts.product ? { product: opts.product } : {}),
          ...(opts.rolloutId ? { rolloutId: opts.rolloutId } : {}),
        },
      }),
    );
    if (opts.resolvedAt)
      this.push(
        incidentResolved.create({
          id: this.id(),
          source: '/flightdeck/analytics',
          time: opts.resolvedAt,
          data: { incidentId, resolvedAt: opts.resolvedAt, by: 'alertmanager' },
        }),
      );
    return this;
  }

  gate(releaseId: string, gate: string, outcome: 'PASS' | 'FAIL' | 'CONDITIONAL', at: string) {
    return this.push(
      gateEvaluationCompleted.create({
        id: this.id(),
        source: '/flightdeck/gates',
        time: at,
        data: { releaseId, evaluationId: this.id(), gate, outcome, evaluatedAt: at },
      }),
    );
  }

  readiness(
    releaseId: string,
    recommendation: 'GO' | 'CONDITIONAL_GO' | 'NO_GO',
    source: 'ai' | 'deterministic',
    at: string,
  ) {
    return this.push(
      readinessAssessed.create({
        id: this.id(),
        source: '/flightdeck/gates',
        time: at,
        data: {
          releaseId,
          assessmentId: this.id(),
          score: 80,
          recommendation,
          confidence: 0.7,
          blockingIssues: [],
          source,
          predictionId: `p-${this.n}`,
          assessedAt: at,
        },
      }),
    );
  }

  /** A forecast; `advice`: the timeline-risk advice given with it, as planning publishes it (left out: an event from before it did). */
  forecast(
    releaseId: string,
    at: string,
    p50: string,
    target: string,
    probabilityOnTime: number,
    advice?: { source: 'ai' | 'deterministic'; flagsSlip: boolean },
  ) {
    return this.push(
      timelineForecasted.create({
        id: this.id(),
        source: '/flightdeck/planning',
        time: at,
        data: {
          releaseId,
          targetDate: target,
          featureComplete: at,
          p50,
          p85: p50,
          p95: p50,
          probabilityOnTime,
          remainingPoints: 10,
          runs: 1000,
          basis: 'HISTORY',
          predictionId: `f-${this.n}`,
          ...(advice ? { adviceSource: advice.source, adviceFlagsSlip: advice.flagsSlip } : {}),
        },
      }),
    );
  }

  /** The scope a prioritisation advice of `source` proposed at `at`. */
  recommend(
    releaseId: string,
    source: 'ai' | 'deterministic',
    recommended: string[],
    at: string,
    opts: { leftOut?: string[]; product?: string } = {},
  ) {
    return this.push(
      scopeRecommended.create({
        id: this.id(),
        source: '/flightdeck/planning',
        time: at,
        data: {
          releaseId,
          product: opts.product ?? 'shop',
          source,
          predictionId: `s-${this.n}`,
          recommended,
          leftOut: opts.leftOut ?? [],
          capacity: 20,
          at,
        },
      }),
    );
  }

  progress(
    releaseId: string,
    source: 'ai' | 'deterministic',
    probabilityOnTime: number,
    featureCompleteBy: string,
    at: string,
  ) {
    return this.push(
      progressAssessed.create({
        id: this.id(),
        source: '/flightdeck/planning',
        time: at,
        data: {
          releaseId,
          product: 'shop',
          featureCompleteBy,
          probabilityOnTime,
          source,
          predictionId: `p-${this.n}`,
          at,
        },
      }),
    );
  }

  validation(
    releaseId: string,
    gate: string,
    verdict: 'PASS' | 'FAIL' | 'CONDITIONAL',
    source: 'ai' | 'deterministic',
    at: string,
  ) {
    return this.push(
      gateValidationAdvised.create({
        id: this.id(),
        source: '/flightdeck/gates',
        time: at,
        data: { releaseId, gate, verdict, source, confidence: 0.7, predictionId: `v-${this.n}`, advisedAt: at },
      }),
    );
  }
}

export interface Records {
  releases: Map<string, EntityRecord<object, never>>;
  rollouts: Map<string, EntityRecord<object, never>>;
  incidents: Map<string, EntityRecord<object, never>>;
}

/** Folds events into projection records in the order given, as the store would. */
export function project(events: readonly CloudEvent[]) {
  const maps = { release: new Map(), rollout: new Map(), incident: new Map() } as Record<
    'release' | 'rollout' | 'incident',
    Map<string, EntityRecord<object, unknown>>
  >;
  for (const e of events) {
    for (const u of factsOf(e))
      maps[u.entity].set(u.id, applyUpdate(maps[u.entity].get(u.id), u.id, u.header as object, u.key, u.fact));
  }
  return maps;
}

export function historyOf(events: readonly CloudEvent[]): History {
  const m = project(events);
  return buildHistory({
    releases: [...m.release.values()] as never,
    rollouts: [...m.rollout.values()] as never,
    incidents: [...m.incident.values()] as never,
  });
}
