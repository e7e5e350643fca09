import {
  featureStatusChanged,
  freezeExceptionApproved,
  progressAssessed,
  releaseCreatedV2,
  releaseScopeChanged,
  releaseStatusChangedV2,
  scopeRecommended,
  timelineForecasted,
  type CloudEvent,
} from '@flightdeck/events';
import type { AdviceSource } from '@flightdeck/ai';
import type { FreezeException } from '../domain/code-freeze.js';
import type { Forecast } from '../domain/forecast.js';
import type { StatusTransition } from '../domain/lifecycle.js';
import type { Release } from '../domain/release.js';
import { inScope, type FeatureStatus, type ScopeChange } from '../domain/scope.js';
import type { Timeline } from '../domain/timeline.js';
import type { RequestMeta } from './ports.js';

export const EVENT_SOURCE = 'flightdeck/planning';

function envelope(r: Release, meta: RequestMeta, at: Date) {
  return {
    source: EVENT_SOURCE,
    subject: r.id,
    time: at,
    ...(meta.correlationId ? { correlationid: meta.correlationId } : {}),
  };
}

export function releaseCreatedEvent(r: Release, meta: RequestMeta): CloudEvent {
  return releaseCreatedV2.create({
    ...envelope(r, meta, r.createdAt),
    data: {
      releaseId: r.id,
      product: r.product,
      version: r.version,
      releaseType: r.type,
      theme: r.theme,
      owner: r.owner,
      targetDate: r.targetDate.toISOString(),
      createdBy: meta.by,
      ...(r.baseVersion ? { baseVersion: r.baseVersion } : {}),
      ...(r.hotfix ? { hotfixReason: r.hotfix.reason } : {}),
    },
  });
}

export function statusChangedEvent(r: Release, t: StatusTransition, meta: RequestMeta): CloudEvent {
  return releaseStatusChangedV2.create({
    ...envelope(r, meta, t.at),
    data: {
      releaseId: r.id,
      product: r.product,
      version: r.version,
      releaseType: r.type,
      from: t.from,
      to: t.to,
      by: t.by,
      at: t.at.toISOString(),
      reason: t.reason,
    },
  });
}

export function scopeChangedEvent(r: Release, c: ScopeChange, meta: RequestMeta): CloudEvent {
  const scope = r.features.filter(inScope);
  return releaseScopeChanged.create({
    ...envelope(r, meta, c.at),
    data: {
      releaseId: r.id,
      kind: c.kind,
      featureId: c.featureId,
      title: c.title,
      fields: c.changes.map((x) => x.field),
      by: c.by,
      at: c.at.toISOString(),
      ...(c.reason ? { reason: c.reason } : {}),
      featureCount: scope.length,
      totalPoints: scope.reduce((a, f) => a + f.effort, 0),
    },
  });
}

export function featureStatusEvent(
  r: Release,
  featureId: string,
  change: { from: FeatureStatus; to: FeatureStatus },
  meta: RequestMeta,
  at: Date,
): CloudEvent {
  const f = r.features.find((x) => x.id === featureId)!;
  return featureStatusChanged.create({
    ...envelope(r, meta, at),
    data: {
      releaseId: r.id,
      featureId,
      title: f.title,
      from: change.from,
      to: change.to,
      effort: f.effort,
      by: meta.by,
      at: at.toISOString(),
    },
  });
}

/** The forecast, and the timeline-risk advice given with it (who answered, and whether it named a HIGH-likelihood risk) so analytics can score it. */
export function forecastedEvent(
  r: Release,
  t: Timeline,
  f: Forecast,
  meta: RequestMeta,
  at: Date,
  advice?: { predictionId: string; source: AdviceSource; flagsSlip: boolean },
): CloudEvent {
  return timelineForecasted.create({
    ...envelope(r, meta, at),
    data: {
      releaseId: r.id,
      targetDate: r.targetDate.toISOString(),
      featureComplete: t.featureComplete.toISOString(),
      p50: f.p50.toISOString(),
      p85: f.p85.toISOString(),
      p95: f.p95.toISOString(),
      probabilityOnTime: f.probabilityOnTime,
      remainingPoints: f.remainingPoints,
      runs: f.runs,
      basis: f.basis,
      ...(advice
        ? { predictionId: advice.predictionId, adviceSource: advice.source, adviceFlagsSlip: advice.flagsSlip }
        : {}),
    },
  });
}

/** The scope a prioritisation advice proposed; every other feature of the release is left out. */
export function scopeRecommendedEvent(
  r: Release,
  advice: { source: AdviceSource; predictionId: string },
  recommended: string[],
  capacity: number,
  meta: RequestMeta,
  at: Date,
): CloudEvent {
  const chosen = new Set(recommended);
  return scopeRecommended.create({
    ...envelope(r, meta, at),
    data: {
      releaseId: r.id,
      product: r.product,
      source: advice.source,
      predictionId: advice.predictionId,
      recommended,
      leftOut: r.features.map((f) => f.id).filter((id) => !chosen.has(id)),
      capacity,
      at: at.toISOString(),
    },
  });
}

export function freezeExceptionEvent(r: Release, e: FreezeException, meta: RequestMeta): CloudEvent {
  return freezeExceptionApproved.create({
    ...envelope(r, meta, e.at),
    data: {
      releaseId: r.id,
      product: r.product,
      version: r.version,
      status: r.status,
      changeId: e.changeId,
      reason: e.reason,
      by: e.by,
      at: e.at.toISOString(),
    },
  });
}

/** A progress assessment's chance to make feature complete, so analytics can score it against when feature complete came. */
export function progressAssessedEvent(
  r: Release,
  advice: { source: AdviceSource; predictionId: string; probabilityOnTime: number },
  featureCompleteBy: Date,
  meta: RequestMeta,
  at: Date,
): CloudEvent {
  return progressAssessed.create({
    ...envelope(r, meta, at),
    data: {
      releaseId: r.id,
      product: r.product,
      featureCompleteBy: featureCompleteBy.toISOString(),
      probabilityOnTime: advice.probabilityOnTime,
      source: advice.source,
      predictionId: advice.predictionId,
      at: at.toISOString(),
    },
  });
}
