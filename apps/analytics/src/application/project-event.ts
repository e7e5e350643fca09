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
} from '@flightdeck/events';
import { definedOnly, type FactUpdate } from '../domain/facts.js';

/** The event types the projections are built from; everything else on flightdeck.> is acknowledged and ignored. */
export const PROJECTED_TYPES = [
  releaseCreated,
  releaseCreatedV2,
  releaseStatusChanged,
  releaseStatusChangedV2,
  releaseScopeChanged,
  featureStatusChanged,
  timelineForecasted,
  scopeRecommended,
  gateEvaluationCompleted,
  readinessAssessed,
  progressAssessed,
  gateValidationAdvised,
  rolloutStarted,
  rolloutSucceeded,
  rolloutRolledBack,
  rolloutFailed,
  rolloutHealthAdvised,
  incidentOpened,
  incidentResolved,
].map((d) => d.type);

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
  const key = factKey(event.id);
  const at = event.time;
  if (releaseCreatedV2.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: {
          product: d.product,
          version: d.version,
          type: d.releaseType,
          theme: d.theme,
          targetDate: d.targetDate,
          baseVersion: d.baseVersion,
        },
        fact: { k: 'created', at },
      },
    ];
  }
  if (releaseCreated.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: { product: d.name, version: d.version, type: d.releaseType, targetDate: d.targetDate },
        fact: { k: 'created', at },
      },
    ];
  }
  if (releaseStatusChangedV2.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: { product: d.product, version: d.version, type: d.releaseType },
        fact: { k: 'status', to: d.to, at: d.at },
      },
    ];
  }
  if (releaseStatusChanged.is(event)) {
    return [
      { entity: 'release', id: event.data.releaseId, key, header: {}, fact: { k: 'status', to: event.data.to, at } },
    ];
  }
  if (releaseScopeChanged.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: {},
        fact: { k: 'scope', featureId: d.featureId, change: d.kind, at: d.at },
      },
    ];
  }
  if (featureStatusChanged.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: {},
        fact: { k: 'feature', featureId: d.featureId, to: d.to, at: d.at },
      },
    ];
  }
  if (timelineForecasted.is(event)) {
    const d = event.data;
    const advice =
      d.adviceSource !== undefined && d.adviceFlagsSlip !== undefined
        ? { adviceSource: d.adviceSource, adviceFlagsSlip: d.adviceFlagsSlip }
        : {};
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: {},
        fact: {
          k: 'forecast',
          p50: d.p50,
          targetDate: d.targetDate,
          probabilityOnTime: d.probabilityOnTime,
          ...(d.predictionId ? { predictionId: d.predictionId } : {}),
          ...advice,
          at,
        },
      },
    ];
  }
  if (scopeRecommended.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: { product: d.product },
        fact: {
          k: 'recommendation',
          source: d.source,
          predictionId: d.predictionId,
          recommended: d.recommended,
          at: d.at,
        },
      },
    ];
  }
  if (gateEvaluationCompleted.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: {},
        fact: { k: 'gate', gate: d.gate, outcome: d.outcome, at: d.evaluatedAt },
      },
    ];
  }
  if (readinessAssessed.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: {},
        fact: {
          k: 'readiness',
          recommendation: d.recommendation,
          source: d.source,
          confidence: d.confidence,
          predictionId: d.predictionId,
          at: d.assessedAt,
        },
      },
    ];
  }
  if (progressAssessed.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: { product: d.product },
        fact: {
          k: 'progress',
          probabilityOnTime: d.probabilityOnTime,
          featureCompleteBy: d.featureCompleteBy,
          source: d.source,
          predictionId: d.predictionId,
          at: d.at,
        },
      },
    ];
  }
  if (gateValidationAdvised.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'release',
        id: d.releaseId,
        key,
        header: {},
        fact: {
          k: 'validation',
          gate: d.gate,
          verdict: d.verdict,
          source: d.source,
          predictionId: d.predictionId,
          at: d.advisedAt,
        },
      },
    ];
  }
  if (rolloutStarted.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'rollout',
        id: d.rolloutId,
        key,
        header: {
          releaseId: d.releaseId,
          environment: d.environment,
          workload: `${d.namespace}/${d.deployment}`,
          team: d.namespace,
        },
        fact: { k: 'started', at: d.startedAt },
      },
    ];
  }
  if (rolloutFailed.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'rollout',
        id: d.rolloutId,
        key,
        header: { releaseId: d.releaseId, environment: d.environment },
        fact: { k: 'failed', at: d.failedAt, reason: d.reason },
      },
    ];
  }
  if (rolloutSucceeded.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'rollout',
        id: d.rolloutId,
        key,
        header: { releaseId: d.releaseId, environment: d.environment },
        fact: { k: 'succeeded', at: d.completedAt },
      },
    ];
  }
  if (rolloutRolledBack.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'rollout',
        id: d.rolloutId,
        key,
        header: { releaseId: d.releaseId, environment: d.environment },
        fact: { k: 'rolled_back', at: d.rolledBackAt, reason: d.reason },
      },
    ];
  }
  if (rolloutHealthAdvised.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'rollout',
        id: d.rolloutId,
        key,
        header: { releaseId: d.releaseId, environment: d.environment },
        fact: {
          k: 'advice',
          runId: d.runId,
          recommendation: d.recommendation,
          source: d.source,
          confidence: d.confidence,
          predictionId: d.predictionId,
          at: d.advisedAt,
        },
      },
    ];
  }
  if (incidentOpened.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'incident',
        id: d.incidentId,
        key,
        header: {
          title: d.title,
          severity: d.severity,
          source: d.source,
          product: d.product,
          workload: d.workload,
          rolloutId: d.rolloutId,
        },
        fact: { k: 'opened', at: d.openedAt, by: d.by },
      },
    ];
  }
  if (incidentResolved.is(event)) {
    const d = event.data;
    return [
      {
        entity: 'incident',
        id: d.incidentId,
        key,
        header: {},
        fact: { k: 'resolved', at: d.resolvedAt, by: d.by, ...(d.resolution ? { resolution: d.resolution } : {}) },
      },
    ];
  }
  return [];
}
