import { z } from 'zod';
import { defineEvent } from '../catalog.js';

const rollout = {
  releaseId: z.string().min(1),
  rolloutId: z.string().min(1),
  /** Where it ran, e.g. staging or production. */
  environment: z.string().min(1),
};

/** A rollout started: its release's new version began taking traffic on a workload (added by analytics, which needs the workload and start time). */
export const rolloutStarted = defineEvent({
  type: 'flightdeck.deployment.rollout.started',
  version: 1,
  schema: z.object({
    ...rollout,
    product: z.string().min(1),
    /** The Kubernetes workload, as namespace/name. */
    workload: z.string().min(1),
    /** The team owning the workload, when known. */
    team: z.string().min(1).optional(),
    startedAt: z.iso.datetime({ offset: true }),
  }),
});

/** A rollout was promoted to all traffic and is healthy. */
export const rolloutSucceeded = defineEvent({
  type: 'flightdeck.deployment.rollout.succeeded',
  version: 1,
  schema: z.object({ ...rollout, completedAt: z.iso.datetime({ offset: true }) }),
});

/** A rollout was rolled back, by analysis or by hand. */
export const rolloutRolledBack = defineEvent({
  type: 'flightdeck.deployment.rollout.rolled_back',
  version: 1,
  schema: z.object({ ...rollout, reason: z.string(), rolledBackAt: z.iso.datetime({ offset: true }) }),
});

export const deploymentEvents = [rolloutStarted, rolloutSucceeded, rolloutRolledBack];
