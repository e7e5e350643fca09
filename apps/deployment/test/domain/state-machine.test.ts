import { describe, expect, it } from 'vitest';
import {
  applyAction,
  approveStep,
  createRollout,
  decide,
  requestAbort,
  retry,
  type QueryOutcome,
  type Rollout,
} from '../../src/domain/index.js';
import { drive, erroring, healthy, person, request, start, t0, World } from './world.js';

describe('the canary state machine', () => {
  it('promotes a good version through every step, applying each weight once, and keeps the previous version warm at 0', () => {
    const w = new World(healthy);
    const { rollout, events } = drive(start(), w);
    expect(rollout.phase).toBe('PROMOTED');
    expect(w.effects).toEqual([
      { type: 'SCALE_CANARY', canaryImage: 'shop/web:2.0.0', canaryReplicas: 1, stableReplicas: 3 },
      { type: 'SCALE_CANARY', canaryImage: 'shop/web:2.0.0', canaryReplicas: 2, stableReplicas: 2 },
      { type: 'SET_STABLE', image: 'shop/web:2.0.0', replicas: 4 },
      { type: 'PARK_PREVIOUS', image: 'shop/web:1.0.0' },
    ]);
    expect(events).toEqual([
      'step_completed',
      'analysis_completed',
      'step_completed',
      'step_completed',
      'analysis_completed',
      'step_completed',
      'promoted',
    ]);
    expect(Date.parse(rollout.warmUntil!) - Date.parse(rollout.completedAt!)).toBe(3600_000);
    expect(rollout.analysisRuns.map((a) => a.phase)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    expect(w.stable.image).toBe('shop/web:2.0.0');
  });

  it('rolls a bad version back at the first failed measurement, recording the measurement that caused it', () => {
    const w = new World(erroring);
    const { rollout, events } = drive(start(), w);
    expect(rollout.phase).toBe('ROLLED_BACK');
    expect(rollout.rollback?.cause).toBe('ANALYSIS');
    expect(rollout.rollback?.measurements[0]).toMatchObject({ metric: 'success-rate', value: 0.7, phase: 'FAILED' });
    expect(rollout.rollback?.reason).toBe(
      'step 2 of 4: analysis failed: success-rate: 0 successful, 1 failed, 0 inconclusive of 2, failure limit 0; last: 0.700 meets the failure condition result < 0.95',
    );
    expect(events).toEqual(['step_completed', 'analysis_completed', 'rolled_back']);
    expect(w.stable).toMatchObject({ image: 'shop/web:1.0.0', replicas: 4, ready: 4 });
    expect(w.canary?.replicas).toBe(0);
    // The rollback is decided in the same pass as the failing measurement: no wait in between.
    const decisions = rollout.decisions.map((d) => d.action);
    expect(decisions.slice(decisions.indexOf('MEASURE'), decisions.indexOf('MEASURE') + 2)).toEqual([
      'MEASURE',
      'START_ROLLBACK',
    ]);
  });

  it('pauses on inconclusive analysis (no data) instead of promoting, and retry starts a fresh run', () => {
    let answer: (q: string) => QueryOutcome = () => ({
      ok: false,
      reason: 'no data: the query returned an empty vector',
    });
    const w = new World((q) => answer(q));
    const first = drive(start(), w);
    expect(first.rollout.phase).toBe('PAUSED');
    expect(first.rollout.pauseReason).toBe('INCONCLUSIVE');
    expect(first.rollout.message).toMatch(/paused rather than promoted/);
    expect(w.effects.some((e) => e.type === 'SET_STABLE')).toBe(false);
    answer = healthy;
    const second = drive(retry(first.rollout, person('sre-sam'), w.now), w);
    expect(second.rollout.phase).toBe('PROMOTED');
    expect(second.rollout.analysisRuns.map((a) => a.phase)).toEqual(['INCONCLUSIVE', 'SUCCESSFUL', 'SUCCESSFUL']);
  });

  it('marks a crashing canary stuck at its progress deadline and rolls it back', () => {
    const w = new World(healthy, true);
    const { rollout, events } = drive(start(), w);
    expect(events).toEqual(['stuck', 'rolled_back']);
    expect(rollout.phase).toBe('ROLLED_BACK');
    expect(rollout.rollback?.reason).toBe(
      'step 1 of 4: the canary made no progress within 30 s: 0 of 1 canary replica of shop/web:2.0.0 ready',
    );
    expect((Date.parse(rollout.rollback!.decidedAt) - t0.getTime()) / 1000).toBeGreaterThan(30);
  });

  it('holds a roll-forward-only rollout as FAILED without undoing anything, and says why', () => {
    const w = new World(erroring);
    const { rollout, events } = drive(start({ rollForwardOnly: true }), w);
    expect(rollout.phase).toBe('FAILED');
    expect(rollout.message).toMatch(/roll-forward-only, so nothing is undone/);
    expect(events).toContain('failed');
    expect(w.canary?.replicas).toBe(1);
  });

  it('waits at a manual pause until approved, and an abort rolls back', () => {
    const w = new World(healthy);
    const paused = drive(
      start({ steps: [{ kind: 'SET_WEIGHT', weight: 50 }, { kind: 'PAUSE' }, { kind: 'SET_WEIGHT', weight: 100 }] }),
      w,
    );
    expect(paused.rollout).toMatchObject({ phase: 'PAUSED', pauseReason: 'APPROVAL', stepIndex: 1 });
    expect(() => approveStep({ ...paused.rollout, phase: 'PROGRESSING' }, person('x'), w.now)).toThrow(/not PAUSED/);
    const done = drive(approveStep(paused.rollout, person('rm-rita'), w.now), w);
    expect(done.rollout.phase).toBe('PROMOTED');

    const w2 = new World(healthy);
    const paused2 = drive(start({ steps: [{ kind: 'SET_WEIGHT', weight: 50 }, { kind: 'PAUSE' }] }), w2);
    const aborted = drive(requestAbort(paused2.rollout, person('sre-sam'), 'customer reports', w2.now), w2);
    expect(aborted.rollout.phase).toBe('ROLLED_BACK');
    expect(aborted.rollout.rollback).toMatchObject({
      cause: 'ABORT',
      reason: 'sre-sam aborted the rollout: customer reports',
    });
    expect(w2.stable).toMatchObject({ image: 'shop/web:1.0.0', replicas: 4 });
  });

  it('rolls a promoted version back inside its window by scaling the warm previous version up, then restores the stable Deployment', () => {
    const w = new World(healthy);
    const promoted = drive(start(), w).rollout;
    w.effects = [];
    const back = drive(requestAbort(promoted, person('sre-sam'), 'latency alert after promotion', w.now), w);
    expect(back.rollout.phase).toBe('ROLLED_BACK');
    expect(back.rollout.rollback).toMatchObject({ fast: true, cause: 'ABORT' });
    expect(w.effects).toEqual([
      { type: 'SCALE_CANARY', canaryImage: 'shop/web:1.0.0', canaryReplicas: 4, stableReplicas: 0 },
      { type: 'SET_STABLE', image: 'shop/web:1.0.0', replicas: 4 },
      { type: 'SCALE_DOWN_CANARY' },
    ]);
    expect(w.stable).toMatchObject({ image: 'shop/web:1.0.0', replicas: 4, ready: 4 });
    const late = new Date(Date.parse(promoted.warmUntil!) + 1);
    expect(() => requestAbort(promoted, person('sre-sam'), 'too late', late)).toThrow(
      /rollback window closed at .*: roll shop\/web:1.0.0 out as a new rollout instead/,
    );
    const noWindow = drive(start({ rollbackWindowSeconds: 0 }), new World(healthy)).rollout;
    expect(() => requestAbort(noWindow, person('sre-sam'), 'x', w.now)).toThrow(/kept no warm previous version/);
  });

  it('calls the pre-rollout and pre-promotion webhooks, and rolls back when pre-promotion refuses', () => {
    const w = new World(healthy);
    w.hooks['http://hooks/promote'] = { ok: false, status: 503, detail: 'change freeze in effect' };
    const { rollout } = drive(
      start({ webhooks: { preRollout: 'http://hooks/start', prePromotion: 'http://hooks/promote' } }),
      w,
    );
    expect(w.called).toEqual(['PRE_ROLLOUT', 'PRE_PROMOTION']);
    expect(rollout.phase).toBe('ROLLED_BACK');
    expect(rollout.rollback).toMatchObject({
      cause: 'WEBHOOK',
      reason: 'the pre-promotion webhook http://hooks/promote refused: change freeze in effect',
    });
    expect(w.effects.some((e) => e.type === 'SET_STABLE')).toBe(false);

    const w2 = new World(healthy);
    w2.hooks['http://hooks/start'] = { ok: false, status: 0, detail: 'no answer within 10000 ms' };
    const refused = drive(start({ webhooks: { preRollout: 'http://hooks/start' } }), w2);
    expect(refused.rollout.phase).toBe('ROLLED_BACK');
    expect(refused.rollout.stepStates[0]!.status).toBe('PENDING');
    expect(() => start({ webhooks: { preRollout: 'ftp://x' } })).toThrow(
      /webhooks.preRollout: "ftp:\/\/x" is not an http\(s\) URL/,
    );
  });

  it('refuses bad requests with the reason', () => {
    expect(() => start({ steps: [{ kind: 'SET_WEIGHT', weight: 0 }] })).toThrow(
      /steps\[0\]\.weight: 0 must be a whole percentage from 1 to 100/,
    );
    expect(() => start({ steps: [{ kind: 'ANALYSIS', templates: ['nope'] }] })).toThrow(
      /"nope" is no known template; known: success-rate/,
    );
    expect(() => start({ image: 'shop/web:1.0.0' })).toThrow(/already runs shop\/web:1.0.0/);
    expect(() => start({ strategy: 'ROLLING', steps: [{ kind: 'SET_WEIGHT', weight: 10 }] })).toThrow(
      /rolling rollout has no weights/,
    );
  });
});

describe('what the rollout says', () => {
  const waits = (r: Rollout) => r.decisions.filter((d) => d.action === 'WAIT').map((d) => d.message);

  it('records what it waits for when that changes, not on every tick: the next analysis measurement', () => {
    const w = new World(healthy);
    const waiting = drive(start({ analysisIntervalSeconds: 40 }), w, 500, (r) => r.waiting !== undefined).rollout;
    const message =
      'step 2 of 4: analysing success-rate, 1 of 2 measurements taken; the next measurement is due in 40 s (at 2026-01-01T00:00:40.000Z)';
    expect(waiting.message).toBe(message);
    expect(waiting.decisions.at(-1)).toEqual({ at: '2026-01-01T00:00:00.000Z', action: 'WAIT', message });
    // The same wait a tick later changes nothing, so nothing is written.
    const later = new Date(w.now.getTime() + 1000);
    expect(applyAction(waiting, decide(waiting, w.obs(), later), later).rollout).toBe(waiting);
    const { rollout } = drive(waiting, w);
    expect(rollout.phase).toBe('PROMOTED');
    expect(waits(rollout)).toEqual([
      message,
      'step 4 of 4: analysing success-rate, 1 of 2 measurements taken; the next measurement is due in 40 s (at 2026-01-01T00:01:20.000Z)',
    ]);
  });

  it('says how many pods it waits for while a canary is not ready', () => {
    const w = new World(healthy, true);
    const waiting = drive(start(), w, 500, (r) => r.waiting !== undefined).rollout;
    expect(waiting.message).toBe('step 1 of 4: waiting for 1 canary replica of shop/web:2.0.0 to be ready (0 are)');
    expect(waits(drive(waiting, w).rollout)).toEqual([
      'step 1 of 4: waiting for 1 canary replica of shop/web:2.0.0 to be ready (0 are)',
    ]);
  });

  it('writes a decision for every step that starts, with or without analysis, and for a timed pause', () => {
    const w = new World(healthy);
    const { rollout } = drive(
      start({ steps: [{ kind: 'SET_WEIGHT', weight: 50 }, { kind: 'PAUSE', seconds: 30 }, { kind: 'PAUSE' }] }),
      w,
    );
    expect(rollout.phase).toBe('PAUSED');
    expect(rollout.decisions.map((d) => `${d.action}: ${d.message}`)).toEqual([
      'START: sre-sam started rolling out shop/web:2.0.0 over shop/web:1.0.0 with 3 steps',
      'START_STEP: step 1 of 3 started: canary weight 50%',
      'APPLY_STEP: step 1 of 3: canary weight 50%: 2 canary replicas and 2 stable replicas',
      'COMPLETE_STEP: step 1 of 3: 2 canary replicas of shop/web:2.0.0 are ready (weight 50%)',
      'START_STEP: step 2 of 3 started: a pause of 30 s',
      'WAIT: step 2 of 3: pausing 30 s; the next step starts in 30 s (at 2026-01-01T00:00:30.000Z)',
      'COMPLETE_STEP: step 2 of 3: paused 30 s',
      'START_STEP: step 3 of 3 started: a pause until a person approves the next step',
      'AWAIT_APPROVAL: step 3 of 3: waiting for a person to approve the next step (approveStep) or abort',
    ]);
  });

  it('puts counts of one in the singular', () => {
    const w = new World(healthy);
    w.stable = { ...w.stable, replicas: 1, ready: 1, updated: 1 };
    const one = createRollout(
      request({ steps: [{ kind: 'SET_WEIGHT', weight: 50 }] }),
      { image: 'shop/web:1.0.0', replicas: 1 },
      t0,
    );
    const { rollout } = drive(one, w);
    expect(rollout.phase).toBe('PROMOTED');
    const said = [one.message, ...rollout.decisions.map((d) => d.message)];
    expect(said).toEqual([
      'rolling out shop/web:2.0.0 to shop/web (now shop/web:1.0.0, 1 replica) by canary',
      'sre-sam started rolling out shop/web:2.0.0 over shop/web:1.0.0 with 1 step',
      'step 1 of 1 started: canary weight 50%',
      'step 1 of 1: canary weight 50%: 1 canary replica and 0 stable replicas',
      'step 1 of 1: 1 canary replica of shop/web:2.0.0 is ready (weight 50%)',
      'the only step completed; promoting shop/web:2.0.0',
      'promoting: web takes shop/web:2.0.0 at 1 replica',
      'promoted: 1 replica of shop/web:2.0.0 serves all traffic; shop/web:1.0.0 stays warm at 0 replicas in web-canary for 3600 s',
      'bake: analysing shop/web:2.0.0 with success-rate, latency-p99 until the rollback window closes at 2026-01-01T01:00:00.000Z',
    ]);
    const back = drive(requestAbort(rollout, person('sre-sam'), 'errors', w.now), w).rollout;
    expect(back.decisions.slice(-3).map((d) => d.message)).toEqual([
      'fast rollback: scaling the warm web-canary (shop/web:1.0.0) up to 1 replica and web (shop/web:2.0.0) to 0',
      '1 replica of shop/web:1.0.0 serves again; putting web back to shop/web:1.0.0',
      'rolled back: 1 replica of shop/web:1.0.0 is serving from web',
    ]);
  });
});

describe('an abort in every phase', () => {
  const aborted = (r: Rollout, w: World) =>
    drive(requestAbort(r, person('sre-sam'), 'customer reports', w.now), w).rollout;
  const rolledBack = (r: Rollout, w: World) => {
    expect(r.phase).toBe('ROLLED_BACK');
    expect(r.rollback).toMatchObject({ cause: 'ABORT', reason: 'sre-sam aborted the rollout: customer reports' });
    expect(w.stable).toMatchObject({ image: 'shop/web:1.0.0', replicas: 4, ready: 4 });
    expect(w.canary?.replicas ?? 0).toBe(0);
  };

  it('PROGRESSING: rolls back', () => {
    const w = new World(healthy);
    const midway = drive(start(), w, 500, (r) => r.stepIndex === 2).rollout;
    expect(midway.phase).toBe('PROGRESSING');
    rolledBack(aborted(midway, w), w);
  });

  it('PAUSED for an approval or after inconclusive analysis: rolls back', () => {
    const w = new World(healthy);
    const waiting = drive(start({ steps: [{ kind: 'SET_WEIGHT', weight: 50 }, { kind: 'PAUSE' }] }), w).rollout;
    expect(waiting).toMatchObject({ phase: 'PAUSED', pauseReason: 'APPROVAL' });
    rolledBack(aborted(waiting, w), w);
    const w2 = new World(() => ({ ok: false, reason: 'no data' }));
    const unsure = drive(start(), w2).rollout;
    expect(unsure).toMatchObject({ phase: 'PAUSED', pauseReason: 'INCONCLUSIVE' });
    rolledBack(aborted(unsure, w2), w2);
  });

  it('PROMOTING, before and after the stable Deployment took the new image: rolls back to the previous image', () => {
    const w = new World(healthy);
    const deciding = drive(start(), w, 500, (r) => r.phase === 'PROMOTING').rollout;
    expect(deciding.promotion?.appliedAt).toBeUndefined();
    rolledBack(aborted(deciding, w), w);

    const w2 = new World(healthy);
    const applied = drive(start(), w2, 500, (r) => r.promotion?.appliedAt !== undefined).rollout;
    expect(applied.phase).toBe('PROMOTING');
    expect(w2.stable.image).toBe('shop/web:2.0.0');
    const back = aborted(applied, w2);
    rolledBack(back, w2);
    expect(w2.effects.slice(-2)).toEqual([
      { type: 'SET_STABLE', image: 'shop/web:1.0.0', replicas: 4 },
      { type: 'SCALE_DOWN_CANARY' },
    ]);
    expect(back.decisions.some((d) => d.action === 'FINISH_PROMOTION')).toBe(false);
  });

  it('FAILED or STUCK (held, roll-forward-only): rolls back', () => {
    const w = new World(erroring);
    const failed = drive(start({ rollForwardOnly: true }), w).rollout;
    expect(failed.phase).toBe('FAILED');
    rolledBack(aborted(failed, w), w);
    const w2 = new World(healthy, true);
    const stuck = drive(start({ rollForwardOnly: true }), w2).rollout;
    expect(stuck.phase).toBe('STUCK');
    rolledBack(aborted(stuck, w2), w2);
  });

  it('ROLLING_BACK or ROLLED_BACK: refused at the mutation, saying why', () => {
    const w = new World(erroring);
    const rollingBack = drive(start(), w, 500, (r) => r.phase === 'ROLLING_BACK').rollout;
    expect(() => requestAbort(rollingBack, person('sre-sam'), 'x', w.now)).toThrow(
      'rollout ro-1 is ROLLING_BACK: there is nothing left to abort',
    );
    const done = drive(rollingBack, w).rollout;
    expect(() => requestAbort(done, person('sre-sam'), 'x', w.now)).toThrow(
      'rollout ro-1 is ROLLED_BACK: there is nothing left to abort',
    );
  });
});

describe('the rolling state machine', () => {
  it('undoes a bad version to the previous template', () => {
    const w = new World(erroring);
    const { rollout } = drive(start({ strategy: 'ROLLING', steps: undefined }), w);
    expect(rollout.phase).toBe('ROLLED_BACK');
    expect(w.effects).toEqual([
      { type: 'SET_STABLE', image: 'shop/web:2.0.0', replicas: 4 },
      { type: 'SET_STABLE', image: 'shop/web:1.0.0', replicas: 4 },
    ]);
  });
  it('promotes a good version once the update is complete and analysis passed', () => {
    const w = new World(healthy);
    const { rollout } = drive(start({ strategy: 'ROLLING', steps: undefined }), w);
    expect(rollout.phase).toBe('PROMOTED');
    expect(rollout.analysisRuns[0]?.metrics.map((m) => m.query).join()).toContain('version="2.0.0"');
  });
});
