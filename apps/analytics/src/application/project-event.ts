import {
  featureStatusChanged,
  gateEvaluationCompleted,
  gateValidationAdvised,
  incidentOpened,
  incidentResolved,
  progressAssessed,
  readinessAssessed,
  releaseCreated,
  releaseCreatedV2,
  releaseScopeChanged,
  releaseStatusChanged,
  releaseStatusChangedV2,
  rolloutFailed,
  rolloutHealthAdvised,
  rolloutRolledBack,
  rolloutStarted,
  rolloutSucceeded,
  scopeRecommended,
  timelineForecasted,
  type CloudEvent,
  type EventDefinition,
} from '@flightdeck/events';
import {
  definedOnly,
  type FactUpdate,
  type IncidentFact,
  type IncidentHeader,
  type ReleaseFact,
  type ReleaseHeader,
  type RolloutFact,
  type RolloutHeader,
} from '../domain/facts.js';

/** A projection addition without its key (the key is always the event's id, see factKey). */
type Unkeyed<U> = U extends FactUpdate ? Omit<U, 'key'> : never;
type Projection = Unkeyed<FactUpdate>;

const release = (id: string, header: ReleaseHeader, fact: ReleaseFact): Projection => ({
  entity: 'release',
  id,
  header,
  fact,
});
const rollout = (id: string, header: RolloutHeader, fact: RolloutFact): Projection => ({
  entity: 'rollout',
  id,
  header,
  fact,
});
const incident = (id: string, header: IncidentHeader, fact: IncidentFact): Projection => ({
  entity: 'incident',
  id,
  header,
  fact,
});

interface Projector {
  definition: EventDefinition;
  /** The addition an event of `definition` makes (called only for those). */
  project(event: CloudEvent): Projection;
}

/** What events of `definition` add to the projections, from their payload (typed by it) and the event's time. */
function on<E extends EventDefinition>(
  definition: E,
  project: (data: ReturnType<E['create']>['data'], time: string) => Projection,
): Projector {
  return { definition, project: (event) => project(event.data as ReturnType<E['create']>['data'], event.time) };
}

/** One entry per event type and version the projections are built from. */
const PROJECTORS: Projector[] = [
  on(releaseCreated, (d, at) =>
    release(
      d.releaseId,
      { product: d.name, version: d.version, type: d.releaseType, targetDate: d.targetDate },
      { k: 'created', at },
    ),
  ),
  on(releaseCreatedV2, (d, at) =>
    release(
      d.releaseId,
      {
        product: d.product,
        version: d.version,
        type: d.releaseType,
        theme: d.theme,
        targetDate: d.targetDate,
        baseVersion: d.baseVersion,
      },
      { k: 'created', at },
    ),
  ),
  on(releaseStatusChanged, (d, at) => release(d.releaseId, {}, { k: 'status', to: d.to, at })),
  on(releaseStatusChangedV2, (d) =>
    release(
      d.releaseId,
      { product: d.product, version: d.version, type: d.releaseType },
      { k: 'status', to: d.to, at: d.at },
    ),
  ),
  on(releaseScopeChanged, (d) =>
    release(d.releaseId, {}, { k: 'scope', featureId: d.featureId, change: d.kind, at: d.at }),
  ),
  on(featureStatusChanged, (d) =>
    release(d.releaseId, {}, { k: 'feature', featureId: d.featureId, to: d.to, at: d.at }),
  ),
  on(timelineForecasted, (d, at) =>
    release(
      d.releaseId,
      {},
      {
        k: 'forecast',
        p50: d.p50,
        targetDate: d.targetDate,
        probabilityOnTime: d.probabilityOnTime,
        ...(d.predictionId ? { predictionId: d.predictionId } : {}),
        ...(d.adviceSource !== undefined && d.adviceFlagsSlip !== undefined
          ? { adviceSource: d.adviceSource, adviceFlagsSlip: d.adviceFlagsSlip }
          : {}),
        at,
      },
    ),
  ),
  on(scopeRecommended, (d) =>
    release(
      d.releaseId,
      { product: d.product },
      { k: 'recommendation', source: d.source, predictionId: d.predictionId, recommended: d.recommended, at: d.at },
    ),
  ),
  on(gateEvaluationCompleted, (d) =>
    release(d.releaseId, {}, { k: 'gate', gate: d.gate, outcome: d.outcome, at: d.evaluatedAt }),
  ),
  on(readinessAssessed, (d) =>
    release(
      d.releaseId,
      {},
      {
        k: 'readiness',
        recommendation: d.recommendation,
        source: d.source,
        confidence: d.confidence,
        predictionId: d.predictionId,
        at: d.assessedAt,
      },
    ),
  ),
  on(progressAssessed, (d) =>
    release(
      d.releaseId,
      { product: d.product },
      {
        k: 'progress',
        probabilityOnTime: d.probabilityOnTime,
        featureCompleteBy: d.featureCompleteBy,
        source: d.source,
        predictionId: d.predictionId,
        at: d.at,
      },
    ),
  ),
  on(gateValidationAdvised, (d) =>
    release(
      d.releaseId,
      {},
      {
        k: 'validation',
        gate: d.gate,
        verdict: d.verdict,
        source: d.source,
        predictionId: d.predictionId,
        at: d.advisedAt,
      },
    ),
  ),
  on(rolloutStarted, (d) =>
    rollout(
      d.rolloutId,
      {
        releaseId: d.releaseId,
        environment: d.environment,
        workload: `${d.namespace}/${d.deployment}`,
        team: d.namespace,
      },
      { k: 'started', at: d.startedAt },
    ),
  ),
  on(rolloutSucceeded, (d) =>
    rollout(d.rolloutId, { releaseId: d.releaseId, environment: d.environment }, { k: 'succeeded', at: d.completedAt }),
  ),
  on(rolloutRolledBack, (d) =>
    rollout(
      d.rolloutId,
      { releaseId: d.releaseId, environment: d.environment },
      { k: 'rolled_back', at: d.rolledBackAt, reason: d.reason },
    ),
  ),
  on(rolloutFailed, (d) =>
    rollout(
      d.rolloutId,
      { releaseId: d.releaseId, environment: d.environment },
      { k: 'failed', at: d.failedAt, reason: d.reason },
    ),
  ),
  on(rolloutHealthAdvised, (d) =>
    rollout(
      d.rolloutId,
      { releaseId: d.releaseId, environment: d.environment },
      {
        k: 'advice',
        runId: d.runId,
        recommendation: d.recommendation,
        source: d.source,
        confidence: d.confidence,
        predictionId: d.predictionId,
        at: d.advisedAt,
      },
    ),
  ),
  on(incidentOpened, (d) =>
    incident(
      d.incidentId,
      {
        title: d.title,
        severity: d.severity,
        source: d.source,
        product: d.product,
        workload: d.workload,
        rolloutId: d.rolloutId,
      },
      { k: 'opened', at: d.openedAt, by: d.by },
    ),
  ),
  on(incidentResolved, (d) =>
    incident(
      d.incidentId,
      {},
      { k: 'resolved', at: d.resolvedAt, by: d.by, ...(d.resolution ? { resolution: d.resolution } : {}) },
    ),
  ),
];

/** The event types the projections are built from; everything else on flightdeck.> is acknowledged and ignored. */
export const PROJECTED_TYPES = PROJECTORS.map((p) => p.definition.type);

/** MongoDB field names may not contain dots or start with $; event ids are UUIDs in practice but need not be. */
export function factKey(eventId: string): string {
  return eventId.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The projection additions an event makes (none for events the projections do not use). */
export function factsOf(event: CloudEvent): FactUpdate[] {
  return updatesOf(event).map((u) => {
    if (u.entity !== 'release') return u;
    // A release's version, type or dates can change between events: they go with the fact (resolved by event time,
    // see releaseOf), so the stored record is the same whatever order events arrive in. The header keeps only
    // what the store looks releases up by.
    const stated = definedOnly(u.header);
    if (!Object.keys(stated).length) return u;
    return { ...u, header: stated.product ? { product: stated.product } : {}, fact: { ...u.fact, h: stated } };
  });
}

function updatesOf(event: CloudEvent): FactUpdate[] {
  const projector = PROJECTORS.find((p) => p.definition.is(event));
  return projector ? [{ ...projector.project(event), key: factKey(event.id) }] : [];
}
