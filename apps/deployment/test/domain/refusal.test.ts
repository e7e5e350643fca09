import { describe, expect, it } from 'vitest';
import {
  applyAction,
  applyRefusal,
  createRollout,
  decide,
  requestAbort,
  type Observation,
  type Rollout,
  type RolloutRequest,
} from '../../src/domain/index.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const request = (over: Partial<RolloutRequest> = {}): RolloutRequest => ({
  id: 'ro-1',
  releaseId: 'rel-1',
  environment: 'production',
  target: { cluster: '', namespace: 'shop', deployment: 'web', container: 'app' },
  image: 'shop/web:2.0.0',
  strategy: 'CANARY',
  steps: [{ kind: 'SET_WEIGHT', weight: 25 }, { kind: 'PAUSE' }, { kind: 'SET_WEIGHT', weight: 50 }],
  createdBy: { subject: 'sam', name: 'Sam' },
  ...over,
});
const start = (over: Partial<RolloutRequest> = {}) =>
  createRollout(request(over), { image: 'shop/web:1.0.0', replicas: 4 }, t0);
const settled: Observation = {
  stable: { image: 'shop/web:1.0.0', replicas: 3, ready: 3, updated: 3, observed: true, deadlineExceeded: false },
  canary: { image: 'shop/web:2.0.0', replicas: 1, ready: 1, updated: 1, observed: true, deadlineExceeded: false },
};
const forbidden = {
  object: 'Deployment shop/web',
  verb: 'patch',
  message: 'the cluster refused to patch Deployment shop/web (403 Forbidden: …)',
};

/** Takes the rollout through the first weight (applied and completed) up to the manual pause. */
function pastFirstWeight(r: Rollout): Rollout {
  for (let i = 0; i < 5 && r.phase === 'PROGRESSING'; i++) r = applyAction(r, decide(r, settled, t0), t0).rollout;
  return r;
}

describe('a change the cluster refuses for good', () => {
  it('holds a rollout that changed nothing yet as FAILED, saying what was refused and that nothing changed', () => {
    const started = applyAction(start(), decide(start(), settled, t0), t0).rollout; // step 1 started, its weight not applied
    const { rollout, happenings } = applyRefusal(started, forbidden, t0);
    expect(rollout.phase).toBe('FAILED');
    expect(rollout.message).toBe(
      'the cluster refused to patch Deployment shop/web (403 Forbidden: …); nothing was changed: settle the refusal, then retry',
    );
    expect(rollout.decisions.at(-1)).toMatchObject({ action: 'REFUSED', message: rollout.message });
    expect(happenings).toEqual([{ type: 'failed', message: rollout.message, measurements: [] }]);
    expect(rollout.rollback).toBeUndefined();
  });

  it('rolls back what a rollout already changed, with the refusal as the cause', () => {
    const paused = pastFirstWeight(start());
    expect(paused).toMatchObject({ phase: 'PAUSED', pauseReason: 'APPROVAL', weight: 25 });
    const { rollout, happenings } = applyRefusal(
      paused,
      {
        ...forbidden,
        verb: 'get',
        message: 'Deployment shop/web is gone from the cluster: get answered 404 Not Found',
      },
      t0,
    );
    expect(rollout).toMatchObject({
      phase: 'ROLLING_BACK',
      rollback: {
        cause: 'REFUSED',
        reason: 'Deployment shop/web is gone from the cluster: get answered 404 Not Found',
      },
    });
    expect(rollout.pauseReason).toBeUndefined();
    expect(happenings).toEqual([]);
    expect(decide(rollout, settled, t0)).toMatchObject({
      kind: 'APPLY_ROLLBACK',
      effect: { type: 'SCALE_CANARY', canaryReplicas: 0, stableReplicas: 4 },
    });
  });

  it('holds a roll-forward-only rollout, and a rollback that is refused itself, as FAILED; an abort then rolls back again', () => {
    const forwardOnly = applyRefusal(pastFirstWeight(start({ rollForwardOnly: true })), forbidden, t0).rollout;
    expect(forwardOnly.phase).toBe('FAILED');
    expect(forwardOnly.message).toMatch(
      /; the rollout is roll-forward-only, so nothing is undone: settle the refusal, then retry or abort$/,
    );

    const rollingBack = applyRefusal(pastFirstWeight(start()), forbidden, t0).rollout;
    const held = applyRefusal(rollingBack, forbidden, t0);
    expect(held.rollout.phase).toBe('FAILED');
    expect(held.rollout.message).toMatch(
      /; the rollback could not finish, so web and web-canary stay as they are now: settle the refusal, then abort to roll back again$/,
    );
    expect(held.happenings.map((h) => h.type)).toEqual(['failed']);
    const aborted = requestAbort(held.rollout, { subject: 'sam', name: 'Sam' }, 'permission granted', t0);
    expect(decide(aborted, settled, t0)).toMatchObject({ kind: 'START_ROLLBACK', cause: 'ABORT' });
  });
});
