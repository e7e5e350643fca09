import { z } from 'zod';
import { defineEvent } from '../catalog.js';

// Release-wide rollouts (deployment): several workloads of one release rolled out, promoted and rolled back together.

const releaseRollout = {
  releaseId: z.string().min(1),
  releaseRolloutId: z.string().min(1),
  environment: z.string().min(1),
};

const at = z.iso.datetime({ offset: true });

const measurement = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  phase: z.enum(['SUCCESSFUL', 'FAILED', 'INCONCLUSIVE']),
  detail: z.string(),
  query: z.string(),
});

/** A release-wide rollout began: its workloads, each with its wave (dependency order). */
export const releaseRolloutStarted = defineEvent({
  type: 'flightdeck.deployment.release_rollout.started',
  version: 1,
  schema: z.object({
    ...releaseRollout,
    mode: z.enum(['WAVES', 'TOGETHER']),
    workloads: z
      .array(
        z.object({
          name: z.string(),
          wave: z.number().int().min(0),
          namespace: z.string(),
          deployment: z.string(),
          image: z.string(),
        }),
      )
      .min(1),
    startedBy: z.string(),
    startedAt: at,
  }),
});

/** One wave (or, started together, every workload) got its child rollouts. */
export const releaseRolloutWaveStarted = defineEvent({
  type: 'flightdeck.deployment.release_rollout.wave_started',
  version: 1,
  schema: z.object({
    ...releaseRollout,
    wave: z.number().int().min(0),
    workloads: z.array(z.string()).min(1),
    message: z.string(),
    startedAt: at,
  }),
});

/** Every workload is ready and the release waits for a person to promote all. */
export const releaseRolloutPaused = defineEvent({
  type: 'flightdeck.deployment.release_rollout.paused',
  version: 1,
  schema: z.object({ ...releaseRollout, reason: z.string(), pausedAt: at }),
});

/** Every workload of the release was promoted. */
export const releaseRolloutPromoted = defineEvent({
  type: 'flightdeck.deployment.release_rollout.promoted',
  version: 1,
  schema: z.object({ ...releaseRollout, message: z.string(), promotedAt: at }),
});

const failure = {
  /** The workload whose rollout decided it; null when a person aborted the whole release. */
  workload: z.string().nullable(),
  cause: z.string(),
  reason: z.string(),
  measurements: z.array(measurement),
  /** The workloads that moved, in the order they were rolled back. */
  order: z.array(z.string()),
};

/** Every workload that moved was rolled back, in reverse dependency order. */
export const releaseRolloutRolledBack = defineEvent({
  type: 'flightdeck.deployment.release_rollout.rolled_back',
  version: 1,
  schema: z.object({ ...releaseRollout, ...failure, message: z.string(), rolledBackAt: at }),
});

/** The release was rolled back as far as it could be; some workload could not be (the message says which and why). */
export const releaseRolloutFailed = defineEvent({
  type: 'flightdeck.deployment.release_rollout.failed',
  version: 1,
  schema: z.object({ ...releaseRollout, ...failure, message: z.string(), failedAt: at }),
});

export const releaseRolloutEvents = [
  releaseRolloutStarted,
  releaseRolloutWaveStarted,
  releaseRolloutPaused,
  releaseRolloutPromoted,
  releaseRolloutRolledBack,
  releaseRolloutFailed,
];
