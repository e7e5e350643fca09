import { z } from 'zod';
import { defineEvent } from '../catalog.js';

const rollout = {
  releaseId: z.string().min(1),
  rolloutId: z.string().min(1),
  /** Where it ran, e.g. staging or production. */
  environment: z.string().min(1),
};

const at = z.iso.datetime({ offset: true });

/** A measurement behind a decision: which metric, its value (null when there was none), verdict and query. */
const measurement = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  phase: z.enum(['SUCCESSFUL', 'FAILED', 'INCONCLUSIVE']),
  detail: z.string(),
  query: z.string(),
});

/** A rollout was promoted to all traffic and is healthy. */
export const rolloutSucceeded = defineEvent({
  type: 'flightdeck.deployment.rollout.succeeded',
  version: 1,
  schema: z.object({ ...rollout, completedAt: at }),
});

/** A rollout was rolled back, by analysis or by hand. */
export const rolloutRolledBack = defineEvent({
  type: 'flightdeck.deployment.rollout.rolled_back',
  version: 1,
  schema: z.object({ ...rollout, reason: z.string(), rolledBackAt: at }),
});

/** A rollout of a new image to a Deployment began. */
export const rolloutStarted = defineEvent({
  type: 'flightdeck.deployment.rollout.started',
  version: 1,
  schema: z.object({
    ...rollout,
    strategy: z.enum(['CANARY', 'ROLLING']),
    namespace: z.string(),
    deployment: z.string(),
    image: z.string(),
    previousImage: z.string(),
    steps: z.number().int().positive(),
    startedBy: z.string(),
    startedAt: at,
  }),
});

/** One step of a rollout (a weight, a pause, an analysis, the rolling update) completed. */
export const rolloutStepCompleted = defineEvent({
  type: 'flightdeck.deployment.rollout.step_completed',
  version: 1,
  schema: z.object({
    ...rollout,
    stepIndex: z.number().int().min(0),
    kind: z.string(),
    weight: z.number().min(0).max(100),
    message: z.string(),
    completedAt: at,
  }),
});

/** An analysis run reached its verdict; the score and each metric's tally are included. */
export const rolloutAnalysisCompleted = defineEvent({
  type: 'flightdeck.deployment.rollout.analysis_completed',
  version: 1,
  schema: z.object({
    ...rollout,
    runId: z.string(),
    stepIndex: z.number().int().min(0),
    phase: z.enum(['SUCCESSFUL', 'FAILED', 'INCONCLUSIVE']),
    score: z.number().min(0).max(100),
    message: z.string(),
    measurements: z.array(measurement),
    completedAt: at,
  }),
});

/** The stable Deployment took the new version; the canary is scaled to zero. */
export const rolloutPromoted = defineEvent({
  type: 'flightdeck.deployment.rollout.promoted',
  version: 1,
  schema: z.object({ ...rollout, image: z.string(), message: z.string(), promotedAt: at }),
});

/** A rollout failed and was not rolled back (roll-forward-only): a person must act. */
export const rolloutFailed = defineEvent({
  type: 'flightdeck.deployment.rollout.failed',
  version: 1,
  schema: z.object({ ...rollout, reason: z.string(), measurements: z.array(measurement), failedAt: at }),
});

/** A rollout made no progress within its deadline; `rolledBack` says whether it is being rolled back or held. */
export const rolloutStuck = defineEvent({
  type: 'flightdeck.deployment.rollout.stuck',
  version: 1,
  schema: z.object({ ...rollout, reason: z.string(), rolledBack: z.boolean(), stuckAt: at }),
});

/** A rollout paused for a person: a manual step, or inconclusive analysis (never promoted on missing data). */
export const rolloutPaused = defineEvent({
  type: 'flightdeck.deployment.rollout.paused',
  version: 1,
  schema: z.object({ ...rollout, reason: z.string(), measurements: z.array(measurement), pausedAt: at }),
});

/** The advisor's recommendation on a finished analysis run, recorded as a prediction so analytics can score it against the rollout's outcome. */
export const rolloutHealthAdvised = defineEvent({
  type: 'flightdeck.deployment.rollout.health_advised',
  version: 1,
  schema: z.object({
    ...rollout,
    runId: z.string().min(1),
    recommendation: z.enum(['PROMOTE', 'HOLD', 'ROLLBACK']),
    /** Which advisor answered: the AI or the deterministic baseline. */
    source: z.enum(['ai', 'deterministic']),
    confidence: z.number().min(0).max(1),
    predictionId: z.string().min(1),
    advisedAt: at,
  }),
});

export const deploymentEvents = [
  rolloutSucceeded,
  rolloutRolledBack,
  rolloutStarted,
  rolloutStepCompleted,
  rolloutAnalysisCompleted,
  rolloutPromoted,
  rolloutFailed,
  rolloutStuck,
  rolloutPaused,
  rolloutHealthAdvised,
];
