import {
  applyAction,
  createRollout,
  decide,
  type Action,
  type DeploymentState,
  type Effect,
  type Observation,
  type QueryOutcome,
  type Rollout,
  type RolloutRequest,
  type StepSpec,
} from '../../src/domain/index.js';

// A simulated world for the pure state machine: a cluster that settles at once, fixed metric answers, and a
// driver that decides and applies as the controller does.

export const t0 = new Date('2026-01-01T00:00:00Z');
/** A token without a display name: the subject is shown. */
export const person = (subject: string) => ({ subject, name: subject });

/** A cluster that settles every change at once (or never, for a crashing image), and a fixed metric answer. */
export class World {
  stable: DeploymentState = {
    image: 'shop/web:1.0.0',
    replicas: 4,
    ready: 4,
    updated: 4,
    observed: true,
    deadlineExceeded: false,
  };
  canary?: DeploymentState;
  effects: Effect[] = [];
  now = t0;
  hooks: Record<string, { ok: boolean; status: number; detail: string }> = {};
  /** Drive on after promotion, through the bake; otherwise driving stops at PROMOTED. */
  bake = false;
  called: string[] = [];
  constructor(
    readonly answer: (query: string) => QueryOutcome,
    readonly crashing = false,
  ) {}
  obs(): Observation {
    return { stable: this.stable, ...(this.canary ? { canary: this.canary } : {}) };
  }
  private ready(image: string, n: number) {
    return this.crashing && image.endsWith('2.0.0') ? 0 : n;
  }
  apply(e: Effect) {
    this.effects.push(e);
    if (e.type === 'SCALE_CANARY') {
      this.canary = {
        image: e.canaryImage,
        replicas: e.canaryReplicas,
        ready: this.ready(e.canaryImage, e.canaryReplicas),
        updated: e.canaryReplicas,
        observed: true,
        deadlineExceeded: false,
      };
      this.stable = { ...this.stable, replicas: e.stableReplicas, ready: e.stableReplicas, updated: e.stableReplicas };
    } else if (e.type === 'SET_STABLE') {
      this.stable = {
        image: e.image,
        replicas: e.replicas,
        ready: this.ready(e.image, e.replicas),
        updated: e.replicas,
        observed: true,
        deadlineExceeded: false,
      };
    } else if (e.type === 'PARK_PREVIOUS') {
      this.canary = { image: e.image, replicas: 0, ready: 0, updated: 0, observed: true, deadlineExceeded: false };
    } else if (this.canary) this.canary = { ...this.canary, replicas: 0, ready: 0, updated: 0 };
  }
}

/** Drives the rollout as the controller does: decide, carry out, apply; time moves on when it waits. Stops early once `until` holds. */
export function drive(
  r: Rollout,
  w: World,
  maxSteps = 500,
  until?: (r: Rollout) => boolean,
): { rollout: Rollout; actions: Action[]; events: string[] } {
  const actions: Action[] = [];
  const events: string[] = [];
  for (let i = 0; i < maxSteps && !until?.(r) && !(r.phase === 'PROMOTED' && !w.bake); i++) {
    const a = decide(r, w.obs(), w.now);
    actions.push(a);
    if (a.kind === 'WAIT') {
      if (['PROMOTED', 'ROLLED_BACK', 'FAILED', 'STUCK', 'PAUSED'].includes(r.phase) && r.bake?.status !== 'RUNNING')
        break;
      r = applyAction(r, a, w.now).rollout;
      w.now = new Date(w.now.getTime() + 1000);
      continue;
    }
    if ('effect' in a && a.effect) w.apply(a.effect);
    const results = a.kind === 'MEASURE' ? Object.fromEntries(a.metrics.map((m) => [m.name, w.answer(m.query)])) : {};
    const hook =
      a.kind === 'CALL_HOOK'
        ? { ...(w.hooks[a.url] ?? { ok: true, status: 200, detail: 'ok' }), at: w.now.toISOString() }
        : undefined;
    if (a.kind === 'CALL_HOOK') w.called.push(a.hook);
    const change = applyAction(r, a, w.now, results, hook);
    events.push(...change.happenings.map((h) => h.type));
    r = change.rollout;
  }
  return { rollout: r, actions, events };
}

export const steps: StepSpec[] = [
  { kind: 'SET_WEIGHT', weight: 25 },
  { kind: 'ANALYSIS', templates: ['success-rate'] },
  { kind: 'SET_WEIGHT', weight: 50 },
  { kind: 'ANALYSIS', templates: ['success-rate'] },
];
export const request = (over: Partial<RolloutRequest> = {}): RolloutRequest => ({
  id: 'ro-1',
  releaseId: 'rel-1',
  environment: 'production',
  target: { cluster: '', namespace: 'shop', deployment: 'web', container: 'app' },
  image: 'shop/web:2.0.0',
  strategy: 'CANARY',
  steps,
  analysisIntervalSeconds: 5,
  analysisCount: 2,
  progressDeadlineSeconds: 30,
  createdBy: person('sre-sam'),
  ...over,
});
export const start = (over: Partial<RolloutRequest> = {}) =>
  createRollout(request(over), { image: 'shop/web:1.0.0', replicas: 4 }, t0);
export const healthy = (q = '') => ({ ok: true as const, value: q.includes('histogram_quantile') ? 0.2 : 0.999 });
export const erroring = () => ({ ok: true as const, value: 0.7 });
