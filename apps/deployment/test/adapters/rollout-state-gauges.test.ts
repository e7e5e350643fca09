import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RolloutRepository } from '../../src/application/ports.js';
import {
  FINISHED_SHOWN_MS,
  phaseEnteredAt,
  registerRolloutStateGauges,
} from '../../src/adapters/prometheus/rollout-state-gauges.js';
import { applyAction, approveStep, createRollout, type Rollout } from '../../src/domain/index.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const iso = (minute: number) => at(minute).toISOString();

function aRollout(): Rollout {
  return createRollout(
    {
      id: 'ro-1',
      releaseId: 'rel-1',
      environment: 'production',
      target: { cluster: '', namespace: 'shop', deployment: 'web', container: 'app' },
      image: 'shop/web:2.0.0',
      strategy: 'CANARY',
      steps: [{ kind: 'PAUSE' }],
      progressDeadlineSeconds: 600,
      createdBy: { subject: 'rita', name: 'Rita' },
    },
    { image: 'shop/web:1.0.0', replicas: 4 },
    at(0),
  );
}

describe('phaseEnteredAt', () => {
  it('dates every phase by the decision or field that put the rollout there, not by later changes', () => {
    let r = aRollout();
    expect([r.phase, phaseEnteredAt(r)]).toEqual(['PROGRESSING', iso(0)]);
    r = applyAction(r, { kind: 'AWAIT_APPROVAL', index: 0, message: 'waiting for approval' }, at(1)).rollout;
    // A webhook answer recorded later changes the rollout, not the time it paused.
    r = applyAction(
      r,
      { kind: 'CALL_HOOK', hook: 'PRE_ROLLOUT', url: 'http://hooks', timeoutSeconds: 5 },
      at(2),
      {},
      { ok: true, status: 200, detail: 'ok', at: iso(2) },
    ).rollout;
    expect([r.phase, phaseEnteredAt(r)]).toEqual(['PAUSED', iso(1)]);
    r = approveStep(r, { subject: 'tina', name: 'Tina' }, at(3));
    expect([r.phase, phaseEnteredAt(r)]).toEqual(['PROGRESSING', iso(3)]);
    const promoting = applyAction(r, { kind: 'START_PROMOTION', message: 'promoting' }, at(4)).rollout;
    expect([promoting.phase, phaseEnteredAt(promoting)]).toEqual(['PROMOTING', iso(4)]);
    const stuck = applyAction(
      r,
      { kind: 'HOLD', phase: 'STUCK', reason: 'no progress', measurements: [] },
      at(5),
    ).rollout;
    expect([stuck.phase, phaseEnteredAt(stuck)]).toEqual(['STUCK', iso(5)]);
    const back = applyAction(
      r,
      { kind: 'START_ROLLBACK', cause: 'ANALYSIS', reason: 'errors', measurements: [] },
      at(6),
    ).rollout;
    expect([back.phase, phaseEnteredAt(back)]).toEqual(['ROLLING_BACK', iso(6)]);
    const applied = applyAction(
      back,
      { kind: 'APPLY_ROLLBACK', effect: { type: 'SCALE_DOWN_CANARY' }, message: 'scaling down' },
      at(7),
    ).rollout;
    expect(phaseEnteredAt(applied)).toBe(iso(6));
    const done = applyAction(applied, { kind: 'FINISH_ROLLBACK', message: 'rolled back' }, at(8)).rollout;
    expect([done.phase, phaseEnteredAt(done)]).toEqual(['ROLLED_BACK', iso(8)]);
  });
});

describe('registerRolloutStateGauges', () => {
  it('exports when each shown rollout entered its phase and its deadline, asks for the last hour of final ones, and keeps the last reading while MongoDB fails', async () => {
    const now = at(90);
    const paused = applyAction(aRollout(), { kind: 'AWAIT_APPROVAL', index: 0, message: 'waiting' }, at(30)).rollout;
    let asked: Date | undefined;
    let failing = false;
    const repo = {
      unfinishedOrCompletedSince: async (since: Date) => {
        asked = since;
        if (failing) throw new Error('MongoDB is down');
        return [{ rollout: paused, revision: 1 }];
      },
    } as unknown as RolloutRepository;
    const registry = new Registry();
    registerRolloutStateGauges(registry, repo, () => now, 0);
    const labels =
      'rollout="ro-1",release="rel-1",environment="production",cluster="",namespace="shop",deployment="web"';
    const expected = [
      `flightdeck_deployment_rollout_phase_entered_timestamp_seconds{${labels},phase="PAUSED"} ${at(30).getTime() / 1000}`,
      `flightdeck_deployment_rollout_progress_deadline_seconds{${labels}} 600`,
    ];
    const lines = async () =>
      (await registry.metrics()).split('\n').filter((l) => l.startsWith('flightdeck_deployment_rollout_'));
    expect(await lines()).toEqual(expected);
    expect(asked).toEqual(new Date(now.getTime() - FINISHED_SHOWN_MS));
    failing = true;
    expect(await lines()).toEqual(expected);
  });
});
