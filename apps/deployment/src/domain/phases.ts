import type { Phase, Rollout } from './types.js';

// What the other domain modules need to know of a rollout without its rules (which live in rollout.ts).

export const PHASES: Phase[] = [
  'PROGRESSING',
  'PAUSED',
  'PROMOTING',
  'ROLLING_BACK',
  'PROMOTED',
  'ROLLED_BACK',
  'FAILED',
  'STUCK',
];
export const FINAL_PHASES: Phase[] = ['PROMOTED', 'ROLLED_BACK'];
/** Phases the controller drives on its own. */
export const ACTIVE_PHASES: Phase[] = ['PROGRESSING', 'PROMOTING', 'ROLLING_BACK', 'PAUSED'];
/** Phases the controller loop moves on every tick (a paused rollout waits for a person). */
export const DRIVEN_PHASES: Phase[] = ['PROGRESSING', 'PROMOTING', 'ROLLING_BACK'];

/** The canary Deployment beside a rollout's stable one. */
export const canaryName = (r: Pick<Rollout, 'target'>) => `${r.target.deployment}-canary`;
