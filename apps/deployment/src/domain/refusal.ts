import { logDecision, type Change } from './apply.js';
import { canaryName } from './rollout.js';
import type { Rollout } from './types.js';

/** The cluster refused a read or a change of the rollout's target for good: `verb` on `object`, and why. */
export interface Refusal {
  /** `Deployment default/web` */
  object: string;
  /** get, create, patch */
  verb: string;
  message: string;
}

/** The rollout has changed the cluster: a step's weight or image, or a promotion, was applied. */
const changedCluster = (r: Rollout) =>
  r.stepStates.some((s) => s.appliedAt !== undefined) || r.promotion?.appliedAt !== undefined;

/**
 * The rollout after the cluster refused what it was doing (nothing of the refused change was applied). What the
 * rollout already changed is rolled back; a rollout that changed nothing, a roll-forward-only one and a rollback
 * that is refused itself are held as FAILED, saying what was refused, for a person to settle it and retry or abort.
 */
export function applyRefusal(r: Rollout, refusal: Refusal, now: Date): Change {
  const at = now.toISOString();
  const { waiting: _waiting, pauseReason: _pause, ...rest } = r;
  const base = { ...rest, updatedAt: at };
  const forward = r.phase === 'PROGRESSING' || r.phase === 'PAUSED' || r.phase === 'PROMOTING';
  if (forward && changedCluster(r) && !r.rollForwardOnly) {
    return {
      rollout: {
        ...base,
        phase: 'ROLLING_BACK',
        rollback: { cause: 'REFUSED', reason: refusal.message, decidedAt: at, measurements: [] },
        message: `rolling back: ${refusal.message}`,
        decisions: logDecision(r, at, 'START_ROLLBACK', refusal.message),
      },
      happenings: [],
    };
  }
  const held =
    r.phase === 'ROLLING_BACK'
      ? `the rollback could not finish, so ${r.target.deployment}${r.strategy === 'CANARY' ? ` and ${canaryName(r)}` : ''} stay as they are now: settle the refusal, then abort to roll back again`
      : changedCluster(r)
        ? 'the rollout is roll-forward-only, so nothing is undone: settle the refusal, then retry or abort'
        : 'nothing was changed: settle the refusal, then retry';
  const message = `${refusal.message}; ${held}`;
  return {
    rollout: { ...base, phase: 'FAILED', message, decisions: logDecision(r, at, 'REFUSED', message) },
    happenings: [{ type: 'failed', message, measurements: [] }],
  };
}
