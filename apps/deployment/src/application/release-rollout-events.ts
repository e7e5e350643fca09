import type { CloudEvent } from '@flightdeck/events';
import {
  releaseRolloutFailed,
  releaseRolloutPaused,
  releaseRolloutPromoted,
  releaseRolloutRolledBack,
  releaseRolloutStarted,
  releaseRolloutWaveStarted,
} from '@flightdeck/events';
import type { ReleaseFailure, ReleaseHappening, ReleaseRollout } from '../domain/index.js';
import { SOURCE } from './events.js';

type Phase = 'SUCCESSFUL' | 'FAILED' | 'INCONCLUSIVE';
const failureData = (f: ReleaseFailure) => ({
  workload: f.workload ?? null,
  cause: f.cause,
  reason: f.reason,
  measurements: f.measurements.map((m) => ({ ...m, phase: m.phase as Phase })),
  order: f.order,
});

export function releaseStartedEvent(r: ReleaseRollout, correlationid?: string): CloudEvent {
  return releaseRolloutStarted.create({
    source: SOURCE,
    subject: r.id,
    ...(correlationid ? { correlationid } : {}),
    data: {
      releaseId: r.releaseId,
      releaseRolloutId: r.id,
      environment: r.environment,
      mode: r.mode,
      workloads: r.workloads.map((w) => ({
        name: w.name,
        wave: r.progress.find((p) => p.name === w.name)!.wave,
        namespace: w.rollout.target.namespace,
        deployment: w.rollout.target.deployment,
        image: w.rollout.image,
      })),
      startedBy: r.createdBy,
      startedAt: r.startedAt,
    },
  });
}

/** The events a transition's happenings publish (through the outbox, in the same write as the state). */
export function releaseEventsOf(r: ReleaseRollout, happenings: ReleaseHappening[]): CloudEvent[] {
  const base = { releaseId: r.releaseId, releaseRolloutId: r.id, environment: r.environment };
  const at = r.updatedAt;
  const mk = { source: SOURCE, subject: r.id, time: at };
  return happenings.map((h) => {
    switch (h.type) {
      case 'wave_started':
        return releaseRolloutWaveStarted.create({
          ...mk,
          data: { ...base, wave: h.wave, workloads: h.workloads, message: h.message, startedAt: at },
        });
      case 'paused':
        return releaseRolloutPaused.create({ ...mk, data: { ...base, reason: h.message, pausedAt: at } });
      case 'promoted':
        return releaseRolloutPromoted.create({ ...mk, data: { ...base, message: h.message, promotedAt: at } });
      case 'rolled_back':
        return releaseRolloutRolledBack.create({
          ...mk,
          data: { ...base, ...failureData(h.failure), message: h.message, rolledBackAt: at },
        });
      case 'failed':
        return releaseRolloutFailed.create({
          ...mk,
          data: { ...base, ...failureData(h.failure), message: h.message, failedAt: at },
        });
    }
  });
}
