import { describe, expect, it } from 'vitest';
import {
  applyReleaseAction,
  childRollout,
  createReleaseRollout,
  decideRelease,
  isHeld,
  releaseProgress,
  requestAbortAll,
  requestPauseAll,
  requestPromoteAll,
  retryRelease,
  wavesOf,
  type Children,
  type ReleaseAction,
  type ReleaseOutcome,
  type ReleaseRollout,
  type ReleaseRolloutRequest,
  type Rollout,
} from '../../src/domain/index.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const sam = { subject: 'sam', name: 'Sam' };
const live = { image: 'shop/x:1.0.0', replicas: 4 };

const workload = (name: string, dependsOn: string[] = []) => ({
  name,
  dependsOn,
  rollout: {
    target: { cluster: '', namespace: 'shop', deployment: name, container: 'app' },
    image: `shop/${name}:2.0.0`,
    strategy: 'CANARY' as const,
    steps: [{ kind: 'SET_WEIGHT' as const, weight: 50 }],
  },
});

/** backend ← api ← web: three waves. */
function release(over: Partial<ReleaseRolloutRequest> = {}): ReleaseRollout {
  return createReleaseRollout(
    {
      id: 'rr1',
      releaseId: 'shop@2.0.0',
      environment: 'production',
      mode: 'WAVES',
      workloads: [workload('web', ['api']), workload('api', ['backend']), workload('backend')],
      createdBy: sam,
      ...over,
    },
    () => live,
    t0,
  );
}

/** A child rollout of the release in a phase: held at the release's hold, or further. */
function child(r: ReleaseRollout, name: string, patch: Partial<Rollout> = {}): Rollout {
  const c = childRollout(
    r,
    r.workloads.find((w) => w.name === name)!,
    live,
    t0,
  );
  return { ...c, ...patch };
}
const held = (r: ReleaseRollout, name: string) =>
  child(r, name, { phase: 'PAUSED', pauseReason: 'APPROVAL', stepIndex: 1 });

/** Decides and applies once, as the controller does after carrying the action out. */
function step(
  r: ReleaseRollout,
  children: Children,
  outcome: ReleaseOutcome = {},
): { r: ReleaseRollout; action: ReleaseAction } {
  const action = decideRelease(r, children);
  return { r: applyReleaseAction(r, action, t0, children, outcome).release, action };
}

describe('dependency waves', () => {
  it('puts each workload after the last of its dependencies', () => {
    expect(
      wavesOf([
        { name: 'web', dependsOn: ['api', 'auth'] },
        { name: 'api', dependsOn: ['db'] },
        { name: 'auth', dependsOn: [] },
        { name: 'db', dependsOn: [] },
      ]),
    ).toEqual([['auth', 'db'], ['api'], ['web']]);
  });

  it('refuses a cycle, naming it', () => {
    expect(() =>
      wavesOf([
        { name: 'web', dependsOn: ['api'] },
        { name: 'api', dependsOn: ['web'] },
        { name: 'db', dependsOn: [] },
      ]),
    ).toThrow(
      'workloads.dependsOn: the dependencies form a cycle: web → api → web; a release must have an order to start in',
    );
  });

  it('refuses an unknown dependency and a workload depending on itself', () => {
    expect(() =>
      wavesOf([
        { name: 'web', dependsOn: ['apii'] },
        { name: 'api', dependsOn: [] },
      ]),
    ).toThrow('workloads[0].dependsOn: "apii" is no workload of this release; the workloads are web, api');
    expect(() => wavesOf([{ name: 'web', dependsOn: ['web'] }])).toThrow(
      'workloads[0].dependsOn: web depends on itself',
    );
  });
});

describe('starting a release rollout', () => {
  it('checks every workload before anything moves, naming the workload at fault', () => {
    expect(() =>
      createReleaseRollout(
        {
          id: 'x',
          releaseId: 'shop@2.0.0',
          environment: 'production',
          mode: 'WAVES',
          workloads: [
            workload('api'),
            { ...workload('web'), rollout: { ...workload('web').rollout, image: 'shop/x:1.0.0' } },
          ],
          createdBy: sam,
        },
        () => live,
        t0,
      ),
    ).toThrow('workloads[1] (web): shop/web already runs shop/x:1.0.0; nothing to roll out');
    expect(() =>
      createReleaseRollout(
        {
          id: 'x',
          releaseId: 'shop@2.0.0',
          environment: 'production',
          mode: 'WAVES',
          workloads: [workload('api'), workload('api')],
          createdBy: sam,
        },
        () => live,
        t0,
      ),
    ).toThrow('workloads[1].name: "api" is named twice');
  });

  it('gives each child rollout the release hold as its last step', () => {
    const r = release();
    expect(r.waves).toEqual([['backend'], ['api'], ['web']]);
    const c = child(r, 'api');
    expect(c.id).toBe('rr1.api.1');
    expect(c.steps).toEqual([{ kind: 'SET_WEIGHT', weight: 50 }, { kind: 'PAUSE' }]);
    expect(r.message).toBe(
      'Sam started rolling out release shop@2.0.0 to 3 workloads in 3 waves: backend, then api, then web',
    );
  });
});

describe('a release rollout wave by wave', () => {
  it('starts each wave once the one before is ready, then promotes all together', () => {
    let r = release();
    let s = step(r, {});
    expect(s.action).toEqual({ kind: 'START_WAVES', from: 0, to: 1, workloads: ['backend'] });
    r = s.r;
    // backend still under way: wait, no second wave
    s = step(r, { backend: child(r, 'backend') });
    expect(s.action.kind).toBe('WAIT');
    expect(s.r.message).toBe('wave 1 of 3: waiting for backend at step 1 of 1 to be ready to promote');
    r = s.r;
    s = step(r, { backend: held(r, 'backend') });
    expect(s.action).toEqual({ kind: 'START_WAVES', from: 1, to: 2, workloads: ['api'] });
    r = s.r;
    s = step(r, { backend: held(r, 'backend'), api: held(r, 'api') });
    expect(s.action).toEqual({ kind: 'START_WAVES', from: 2, to: 3, workloads: ['web'] });
    r = s.r;
    const allHeld = { backend: held(r, 'backend'), api: held(r, 'api'), web: held(r, 'web') };
    s = step(r, allHeld);
    expect(s.action.kind).toBe('START_PROMOTION');
    r = s.r;
    expect(r.phase).toBe('PROMOTING');
    s = step(r, allHeld);
    expect(s.action).toMatchObject({ kind: 'APPROVE_CHILDREN', workloads: ['backend', 'api', 'web'] });
    const promoted = {
      backend: child(r, 'backend', { phase: 'PROMOTED' }),
      api: child(r, 'api', { phase: 'PROMOTED' }),
      web: child(r, 'web', { phase: 'PROMOTED' }),
    };
    s = step(s.r, promoted);
    expect(s.action.kind).toBe('FINISH_PROMOTION');
    expect(s.r.phase).toBe('PROMOTED');
    expect(s.r.progress.map((p) => [p.name, p.phase, p.rolloutId])).toEqual([
      ['backend', 'PROMOTED', 'rr1.backend.1'],
      ['api', 'PROMOTED', 'rr1.api.1'],
      ['web', 'PROMOTED', 'rr1.web.1'],
    ]);
    expect(s.r.decisions.filter((d) => d.action === 'START_WAVE')).toHaveLength(3);
  });

  it('starts every workload at once in TOGETHER mode', () => {
    const r = release({ mode: 'TOGETHER' });
    expect(decideRelease(r, {})).toEqual({ kind: 'START_WAVES', from: 0, to: 3, workloads: ['backend', 'api', 'web'] });
  });

  it('starts again the wave a crash interrupted, and only the children still missing are created', () => {
    let r = release();
    r = step(r, {}).r; // wave 1 recorded
    // crash after api's child was inserted, before the release was saved: wave 2 is still to start
    const children = { backend: held(r, 'backend'), api: child(r, 'api') };
    const s = step(r, children);
    expect(s.action).toEqual({ kind: 'START_WAVES', from: 1, to: 2, workloads: ['api'] });
    expect(s.r.wavesStarted).toBe(2);
    expect(s.r.progress.find((p) => p.name === 'api')?.rolloutId).toBe('rr1.api.1');
  });

  it('waits for promote-all when not promoting on its own, and promote-all approves manual pauses on the way', () => {
    let r = release({ autoPromote: false, mode: 'TOGETHER' });
    r = step(r, {}).r;
    const manual = child(r, 'api', { phase: 'PAUSED', pauseReason: 'APPROVAL', stepIndex: 0 });
    expect(isHeld(manual)).toBe(false);
    r = requestPromoteAll(r, sam, t0);
    const s = step(r, { backend: held(r, 'backend'), api: manual, web: held(r, 'web') });
    expect(s.action).toMatchObject({ kind: 'APPROVE_CHILDREN', workloads: ['api'] });
    // a workload paused at a pause of its own is not ready: 2 of 3
    expect(releaseProgress(s.r)).toBeCloseTo(2 / 3);
    const later = { backend: held(r, 'backend'), api: held(r, 'api'), web: held(r, 'web') };
    expect(step(r, later).action.kind).toBe('START_PROMOTION');
    const waiting = step(release({ autoPromote: false, mode: 'TOGETHER' }), {}).r;
    const paused = step(waiting, later);
    expect(paused.action.kind).toBe('AWAIT_PROMOTION');
    expect(paused.r).toMatchObject({ phase: 'PAUSED', pauseReason: 'PROMOTION' });
    expect(step(requestPromoteAll(paused.r, sam, t0), later).action.kind).toBe('START_PROMOTION');
  });
});

describe('a release rollout rolled back', () => {
  const failedApi = (r: ReleaseRollout) =>
    child(r, 'api', {
      phase: 'ROLLING_BACK',
      rollback: {
        cause: 'ANALYSIS',
        reason: 'step 2 of 3: success-rate failed',
        decidedAt: t0.toISOString(),
        measurements: [
          {
            metric: 'success-rate',
            value: 0.7,
            phase: 'FAILED',
            detail: 'result >= 0.95 does not hold',
            query: 'sum(rate(x[1m]))',
          },
        ],
      },
    });

  it('rolls back every workload that moved, in reverse dependency order, saying which workload and measurement decided it', () => {
    let r = step(release({ mode: 'TOGETHER' }), {}).r;
    let children: Children = { backend: held(r, 'backend'), api: failedApi(r), web: held(r, 'web') };
    let s = step(r, children);
    expect(s.action.kind).toBe('START_ROLLBACK');
    r = s.r;
    expect(r.phase).toBe('ROLLING_BACK');
    expect(r.failure).toMatchObject({
      workload: 'api',
      rolloutId: 'rr1.api.1',
      cause: 'ANALYSIS',
      order: ['web', 'api', 'backend'],
    });
    expect(r.message).toBe(
      'api (rollout rr1.api.1) failed its analysis: step 2 of 3: success-rate failed; measurements: success-rate = 0.7 (failed: result >= 0.95 does not hold); rolling back the 3 workloads that moved, in reverse dependency order: web, then api, then backend',
    );
    expect(r.decisions.at(-1)?.measurements?.[0]).toMatchObject({ metric: 'success-rate', value: 0.7 });
    // web first
    s = step(r, children);
    expect(s.action).toMatchObject({ kind: 'ABORT_CHILD', workload: 'web' });
    children = {
      ...children,
      web: { ...children.web!, phase: 'PROGRESSING', abortRequest: { by: 'x', reason: 'y', at: t0.toISOString() } },
    };
    expect(step(r, children).action).toMatchObject({
      kind: 'WAIT',
      reason: 'rolling back web (1 of 3): waiting for rollout rr1.web.1 to be rolled back',
    });
    // backend is not touched before web and api are rolled back
    children = { ...children, web: { ...children.web!, phase: 'ROLLED_BACK' } };
    expect(step(r, children).action).toMatchObject({
      kind: 'WAIT',
      reason: 'rolling back api (2 of 3): waiting for rollout rr1.api.1 to be rolled back',
    });
    children = { ...children, api: { ...children.api!, phase: 'ROLLED_BACK' } };
    expect(step(r, children).action).toMatchObject({ kind: 'ABORT_CHILD', workload: 'backend' });
    children = { ...children, backend: { ...children.backend!, phase: 'ROLLED_BACK' } };
    s = step(r, children);
    expect(s.action.kind).toBe('FINISH_ROLLBACK');
    expect(s.r.phase).toBe('ROLLED_BACK');
    expect(s.r.message).toMatch(
      /^release shop@2.0.0 rolled back: web, then api, then backend \(cause: step 2 of 3: success-rate failed\)$/,
    );
  });

  it('rolls back only what moved when waves were still to start', () => {
    let r = release();
    r = step(r, {}).r;
    r = step(r, { backend: held(r, 'backend') }).r;
    const s = step(r, { backend: held(r, 'backend'), api: failedApi(r) });
    expect(s.r.failure?.order).toEqual(['api', 'backend']);
  });

  it('rolls back on an aborted or stuck workload, and on abort-all', () => {
    let r = step(release({ mode: 'TOGETHER' }), {}).r;
    const stuck = child(r, 'web', {
      phase: 'ROLLING_BACK',
      rollback: {
        cause: 'DEADLINE',
        reason: 'step 1 of 1: the canary made no progress',
        decidedAt: t0.toISOString(),
        measurements: [],
      },
    });
    expect(step(r, { backend: held(r, 'backend'), api: held(r, 'api'), web: stuck }).r.message).toMatch(
      /^web \(rollout rr1.web.1\) got stuck: step 1 of 1: the canary made no progress; rolling back/,
    );
    r = requestAbortAll(r, sam, 'customers report errors', t0);
    const s = step(r, { backend: held(r, 'backend'), api: held(r, 'api'), web: held(r, 'web') });
    expect(s.r.failure).toMatchObject({
      cause: 'ABORT',
      reason: 'Sam aborted the release rollout: customers report errors',
      order: ['web', 'api', 'backend'],
    });
    expect(() => requestAbortAll(s.r, sam, 'again', t0)).toThrow(
      'release rollout rr1 is ROLLING_BACK: there is nothing left to abort',
    );
  });

  it('ends FAILED, saying why, when a workload cannot be rolled back', () => {
    let r = step(release({ mode: 'TOGETHER' }), {}).r;
    r = requestAbortAll(r, sam, 'stop', t0);
    const children = {
      backend: child(r, 'backend', { phase: 'PROMOTED' }),
      api: child(r, 'api', { phase: 'ROLLED_BACK' }),
      web: child(r, 'web', { phase: 'ROLLED_BACK' }),
    };
    r = step(r, children).r;
    const abort = step(r, children, { refused: { workload: 'backend', reason: 'its rollback window closed' } });
    expect(abort.action).toMatchObject({ kind: 'ABORT_CHILD', workload: 'backend' });
    const done = step(abort.r, children);
    expect(done.r.phase).toBe('FAILED');
    expect(done.r.message).toMatch(/backend could not be: its rollback window closed/);
  });

  it('rolls back a release whose workload cannot be created', () => {
    let r = release({ mode: 'TOGETHER' });
    const s = step(
      r,
      { backend: child(r, 'backend') },
      { refused: { workload: 'api', reason: 'Deployment shop/api was not found' } },
    );
    r = s.r;
    expect(r.phase).toBe('ROLLING_BACK');
    expect(r.failure).toMatchObject({ workload: 'api', cause: 'START', order: ['backend'] });
  });
});

describe('pause-all and retry', () => {
  it('pauses, still rolls back on a failure while paused, resumes, and retries with new child rollouts', () => {
    let r = step(release({ mode: 'TOGETHER' }), {}).r;
    r = requestPauseAll(r, sam, 'looking at a dashboard', t0);
    expect(r.phase).toBe('PAUSED');
    const allHeld = { backend: held(r, 'backend'), api: held(r, 'api'), web: held(r, 'web') };
    expect(step(r, allHeld).action.kind).toBe('WAIT');
    expect(step(r, { ...allHeld, web: child(r, 'web', { phase: 'ROLLED_BACK' }) }).action.kind).toBe('START_ROLLBACK');
    const resumed = retryRelease(r, sam, t0);
    expect(resumed.phase).toBe('PROGRESSING');
    expect(step(resumed, allHeld).action.kind).toBe('START_PROMOTION');
    const rolledBack = {
      ...resumed,
      phase: 'ROLLED_BACK' as const,
      failure: { cause: 'ABORT' as const, reason: 'x', measurements: [], decidedAt: t0.toISOString(), order: [] },
    };
    const again = retryRelease(rolledBack, sam, t0);
    expect(again).toMatchObject({ phase: 'PROGRESSING', attempt: 2, wavesStarted: 0 });
    expect(again.failure).toBeUndefined();
    expect(child(again, 'api').id).toBe('rr1.api.2');
    expect(() => retryRelease(again, sam, t0)).toThrow(
      'release rollout rr1 is PROGRESSING: retry resumes a paused release rollout, or restarts a rolled-back or failed one',
    );
  });
});
