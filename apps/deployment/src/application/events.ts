import type { CloudEvent } from '@flightdeck/events';
import {
  rolloutAnalysisCompleted,
  rolloutFailed,
  rolloutHealthAdvised,
  rolloutPaused,
  rolloutPromoted,
  rolloutRolledBack,
  rolloutStarted,
  rolloutStepCompleted,
  rolloutStuck,
  rolloutSucceeded,
} from '@flightdeck/events';
import { notesOf, type Happening, type HealthAdvice, type MeasurementNote, type Rollout } from '../domain/index.js';

export const SOURCE = 'flightdeck/deployment';

type Phase = 'SUCCESSFUL' | 'FAILED' | 'INCONCLUSIVE';
const notes = (m: MeasurementNote[]) => m.map((n) => ({ ...n, phase: n.phase as Phase }));

export function startedEvent(r: Rollout, correlationid?: string): CloudEvent {
  return rolloutStarted.create({
    source: SOURCE,
    subject: r.id,
    ...(correlationid ? { correlationid } : {}),
    data: {
      releaseId: r.releaseId,
      rolloutId: r.id,
      environment: r.environment,
      strategy: r.strategy,
      namespace: r.target.namespace,
      deployment: r.target.deployment,
      image: r.image,
      previousImage: r.stableImage,
      steps: r.steps.length,
      startedBy: r.createdBy,
      startedAt: r.startedAt,
    },
  });
}

/** The advice on an analysis run, as analytics scores it (source in the prediction store's spelling). */
export function healthAdvisedEvent(r: Rollout, runId: string, advice: HealthAdvice, at: Date): CloudEvent {
  return rolloutHealthAdvised.create({
    source: SOURCE,
    subject: r.id,
    time: at.toISOString(),
    data: {
      releaseId: r.releaseId,
      rolloutId: r.id,
      environment: r.environment,
      runId,
      recommendation: advice.recommendation,
      source: advice.source === 'AI' ? 'ai' : 'deterministic',
      confidence: advice.confidence,
      predictionId: advice.predictionId,
      advisedAt: at.toISOString(),
    },
  });
}

/** The events a transition's happenings publish (through the outbox, in the same write as the state). */
export function eventsOf(r: Rollout, happenings: Happening[]): CloudEvent[] {
  const base = { releaseId: r.releaseId, rolloutId: r.id, environment: r.environment };
  const at = r.updatedAt;
  const mk = { source: SOURCE, subject: r.id, time: at };
  return happenings.flatMap((h): CloudEvent[] => {
    switch (h.type) {
      case 'step_completed': {
        const step = r.steps[h.stepIndex]!;
        return [
          rolloutStepCompleted.create({
            ...mk,
            data: {
              ...base,
              stepIndex: h.stepIndex,
              kind: step.kind,
              weight: r.weight,
              message: h.message,
              completedAt: at,
            },
          }),
        ];
      }
      case 'analysis_completed':
        return [
          rolloutAnalysisCompleted.create({
            ...mk,
            data: {
              ...base,
              runId: h.run.id,
              stepIndex: h.run.stepIndex,
              phase: h.run.phase as Phase,
              score: h.run.score ?? 0,
              message: h.message,
              measurements: notes(notesOf(h.run)),
              completedAt: at,
            },
          }),
        ];
      case 'paused':
        return [
          rolloutPaused.create({
            ...mk,
            data: { ...base, reason: h.message, measurements: notes(h.measurements), pausedAt: at },
          }),
        ];
      case 'promoted':
        return [
          rolloutPromoted.create({ ...mk, data: { ...base, image: r.image, message: h.message, promotedAt: at } }),
          rolloutSucceeded.create({ ...mk, data: { ...base, completedAt: at } }),
        ];
      case 'rolled_back': {
        const m = h.measurements.length
          ? `; measurements: ${h.measurements.map((n) => `${n.metric}=${n.value ?? 'none'} (${n.detail})`).join(', ')}`
          : '';
        return [rolloutRolledBack.create({ ...mk, data: { ...base, reason: `${h.message}${m}`, rolledBackAt: at } })];
      }
      case 'failed':
        return [
          rolloutFailed.create({
            ...mk,
            data: { ...base, reason: h.message, measurements: notes(h.measurements), failedAt: at },
          }),
        ];
      case 'stuck':
        return [
          rolloutStuck.create({
            ...mk,
            data: { ...base, reason: h.message, rolledBack: r.phase === 'ROLLING_BACK', stuckAt: at },
          }),
        ];
      case 'bake_failed':
        // Published as rolled_back once the rollback finishes, or as failed (held) beside it; counted in the metrics.
        return [];
    }
  });
}
