import { dueMetrics, type AnalysisRun } from './analysis.js';
import { canaryName, imageTag, replicasFor, type HookName, type MeasurementNote, type RollbackCause, type Rollout } from './rollout.js';

/** What the cluster shows of one Deployment. */
export interface DeploymentState {
  image: string;
  replicas: number;
  ready: number;
  updated: number;
  /** The controller has seen the latest spec (observedGeneration >= generation). */
  observed: boolean;
  /** Kubernetes reported ProgressDeadlineExceeded. */
  deadlineExceeded: boolean;
}

export interface Observation {
  stable: DeploymentState;
  /** Absent when the canary Deployment does not exist (yet). */
  canary?: DeploymentState;
}

/** A change to the cluster; each is idempotent (absolute replica counts and images), so re-applying after a crash is harmless. */
export type Effect =
  | { type: 'SCALE_CANARY'; canaryImage: string; canaryReplicas: number; stableReplicas: number }
  | { type: 'SET_STABLE'; image: string; replicas: number }
  | { type: 'SCALE_DOWN_CANARY' }
  /** After promotion: the canary Deployment takes the previous image at 0 replicas, warm for a fast rollback. */
  | { type: 'PARK_PREVIOUS'; image: string };

export type Action =
  | { kind: 'WAIT'; reason: string; until?: string }
  | { kind: 'START_STEP'; index: number }
  | { kind: 'APPLY_STEP'; index: number; effect: Effect; message: string }
  | { kind: 'COMPLETE_STEP'; index: number; message: string }
  | { kind: 'AWAIT_APPROVAL'; index: number; message: string }
  | { kind: 'MEASURE'; runId: string; metrics: { name: string; query: string }[] }
  | { kind: 'CALL_HOOK'; hook: HookName; url: string; timeoutSeconds: number }
  | { kind: 'START_ROLLBACK'; cause: RollbackCause; reason: string; measurements: MeasurementNote[] }
  | { kind: 'HOLD'; phase: 'FAILED' | 'STUCK'; reason: string; measurements: MeasurementNote[] }
  | { kind: 'PAUSE_INCONCLUSIVE'; reason: string; measurements: MeasurementNote[] }
  | { kind: 'APPLY_ROLLBACK'; effect: Effect; message: string }
  | { kind: 'RESTORE_STABLE'; effect: Effect; message: string }
  | { kind: 'FINISH_ROLLBACK'; message: string; effect?: Effect }
  | { kind: 'START_PROMOTION'; message: string }
  | { kind: 'APPLY_PROMOTION'; effect: Effect; message: string }
  | { kind: 'FINISH_PROMOTION'; effect: Effect; message: string };

const settled = (d: DeploymentState | undefined, image: string, replicas: number) =>
  !!d && d.observed && d.image === image && d.replicas === replicas && d.ready >= replicas && d.updated >= replicas;

const elapsedSeconds = (from: string | undefined, now: Date) => (from ? (now.getTime() - Date.parse(from)) / 1000 : 0);

export function notesOf(run: AnalysisRun): MeasurementNote[] {
  return run.metrics.flatMap((m) => {
    const last = m.measurements.at(-1);
    return last ? [{ metric: m.name, value: last.value, phase: last.phase, detail: last.detail, query: m.query }] : [];
  });
}

/** The query variables of a rollout: the canary is its own Deployment (canary) or the new version's pods (rolling). */
export function queryVars(r: Rollout): Record<string, string> {
  const ns = r.target.namespace;
  const dep = r.target.deployment;
  const canary = r.strategy === 'CANARY' ? `namespace="${ns}",deployment="${canaryName(r)}"` : `namespace="${ns}",deployment="${dep}",version="${imageTag(r.image)}"`;
  const stable = r.strategy === 'CANARY' ? `namespace="${ns}",deployment="${dep}"` : `namespace="${ns}",deployment="${dep}",version="${imageTag(r.stableImage)}"`;
  return { namespace: ns, deployment: dep, canary: r.strategy === 'CANARY' ? canaryName(r) : dep, canarySelector: canary, stableSelector: stable };
}

function rollbackEffect(r: Rollout): Effect {
  return r.strategy === 'CANARY'
    ? { type: 'SCALE_CANARY', canaryImage: r.image, canaryReplicas: 0, stableReplicas: r.totalReplicas }
    : { type: 'SET_STABLE', image: r.stableImage, replicas: r.totalReplicas };
}

function failure(r: Rollout, cause: RollbackCause, reason: string, measurements: MeasurementNote[]): Action {
  if (r.rollForwardOnly && cause !== 'ABORT') {
    return { kind: 'HOLD', phase: cause === 'DEADLINE' ? 'STUCK' : 'FAILED', reason: `${reason}; the rollout is roll-forward-only, so nothing is undone: fix forward or abort`, measurements };
  }
  return { kind: 'START_ROLLBACK', cause, reason, measurements };
}

/** The next thing to do for a rollout, from its persisted state and what the cluster shows: a pure function. */
export function decide(r: Rollout, obs: Observation, now: Date): Action {
  switch (r.phase) {
    case 'PROMOTED':
    case 'ROLLED_BACK':
    case 'FAILED':
    case 'STUCK':
      return { kind: 'WAIT', reason: `the rollout is ${r.phase.toLowerCase().replace('_', ' ')}` };
    case 'ROLLING_BACK':
      return decideRollback(r, obs);
    case 'PROMOTING':
      return decidePromotion(r, obs);
    default:
  }
  if (r.abortRequest) return { kind: 'START_ROLLBACK', cause: 'ABORT', reason: `${r.abortRequest.byName ?? r.abortRequest.by} aborted the rollout: ${r.abortRequest.reason}`, measurements: [] };
  if (r.phase === 'PAUSED') return { kind: 'WAIT', reason: r.message };
  const gate = hookGate(r, r.stepIndex === 0 && r.stepStates[0]?.status === 'PENDING' ? 'PRE_ROLLOUT' : r.stepIndex >= r.steps.length ? 'PRE_PROMOTION' : undefined);
  if (gate) return gate;
  if (r.stepIndex >= r.steps.length) return { kind: 'START_PROMOTION', message: `all ${r.steps.length} steps completed; promoting ${r.image}` };

  const i = r.stepIndex;
  const step = r.steps[i]!;
  const state = r.stepStates[i]!;
  if (state.status === 'PENDING') return { kind: 'START_STEP', index: i };
  const label = `step ${i + 1} of ${r.steps.length}`;

  switch (step.kind) {
    case 'SET_WEIGHT': {
      const { canary, stable } = replicasFor(r.totalReplicas, step.weight);
      if (!state.appliedAt) {
        return { kind: 'APPLY_STEP', index: i, effect: { type: 'SCALE_CANARY', canaryImage: r.image, canaryReplicas: canary, stableReplicas: stable }, message: `${label}: canary weight ${step.weight}%: ${canary} canary and ${stable} stable replicas` };
      }
      const c = obs.canary;
      if (settled(c, r.image, canary) && (obs.stable.ready >= stable && obs.stable.replicas === stable)) {
        return { kind: 'COMPLETE_STEP', index: i, message: `${label}: ${canary} canary replicas of ${r.image} are ready (weight ${step.weight}%)` };
      }
      const waited = elapsedSeconds(state.appliedAt, now);
      if (waited > r.progressDeadlineSeconds || c?.deadlineExceeded) {
        return failure(r, 'DEADLINE', `${label}: the canary made no progress within ${r.progressDeadlineSeconds} s: ${c?.ready ?? 0} of ${canary} canary replicas of ${r.image} ready`, []);
      }
      return { kind: 'WAIT', reason: `${label}: waiting for ${canary} canary replicas to be ready (${c?.ready ?? 0} are)` };
    }
    case 'PAUSE': {
      if (step.seconds === undefined) {
        if (state.approvedBy) return { kind: 'COMPLETE_STEP', index: i, message: `${label}: approved by ${state.approvedByName ?? state.approvedBy}` };
        return { kind: 'AWAIT_APPROVAL', index: i, message: `${label}: waiting for a person to approve the next step (approveStep) or abort` };
      }
      const until = Date.parse(state.startedAt!) + step.seconds * 1000;
      if (now.getTime() >= until) return { kind: 'COMPLETE_STEP', index: i, message: `${label}: paused ${step.seconds} s` };
      return { kind: 'WAIT', reason: `${label}: pausing ${step.seconds} s`, until: new Date(until).toISOString() };
    }
    case 'ROLLING_UPDATE': {
      if (!state.appliedAt) return { kind: 'APPLY_STEP', index: i, effect: { type: 'SET_STABLE', image: r.image, replicas: r.totalReplicas }, message: `${label}: rolling update of ${r.target.deployment} to ${r.image}` };
      return { kind: 'COMPLETE_STEP', index: i, message: `${label}: the rolling update to ${r.image} is under way` };
    }
    case 'ANALYSIS': {
      const run = r.analysisRuns.find((a) => a.id === state.runId);
      if (!run) return { kind: 'START_STEP', index: i };
      const rolling = r.strategy === 'ROLLING';
      if (rolling && (obs.stable.deadlineExceeded || (!settled(obs.stable, r.image, r.totalReplicas) && elapsedSeconds(r.stepStates[0]?.appliedAt, now) > r.progressDeadlineSeconds))) {
        return failure(r, 'DEADLINE', `${label}: the rolling update made no progress within ${r.progressDeadlineSeconds} s: ${obs.stable.ready} of ${r.totalReplicas} replicas ready`, notesOf(run));
      }
      if (run.phase === 'FAILED') return failure(r, 'ANALYSIS', `${label}: ${run.message}`, notesOf(run));
      if (run.phase === 'INCONCLUSIVE') return { kind: 'PAUSE_INCONCLUSIVE', reason: `${label}: ${run.message}; paused rather than promoted: retry the analysis, approve to go on, or abort`, measurements: notesOf(run) };
      if (run.phase === 'SUCCESSFUL') {
        if (rolling && !settled(obs.stable, r.image, r.totalReplicas)) return { kind: 'WAIT', reason: `${label}: analysis passed; waiting for the rolling update (${obs.stable.ready} of ${r.totalReplicas} ready)` };
        return { kind: 'COMPLETE_STEP', index: i, message: `${label}: ${run.message}` };
      }
      const { due, nextAt } = dueMetrics(run, now);
      if (due.length) return { kind: 'MEASURE', runId: run.id, metrics: run.metrics.filter((m) => due.includes(m.name)).map((m) => ({ name: m.name, query: m.query })) };
      return { kind: 'WAIT', reason: `${label}: analysis running`, ...(nextAt ? { until: nextAt.toISOString() } : {}) };
    }
  }
}

const HOOK_URL = { PRE_ROLLOUT: 'preRollout', PRE_PROMOTION: 'prePromotion', POST_ROLLBACK: 'postRollback' } as const;

/** A pre-rollout or pre-promotion webhook still to call, or the failure its answer means. */
function hookGate(r: Rollout, hook: HookName | undefined): Action | undefined {
  if (!hook || !r.webhooks) return undefined;
  const url = r.webhooks[HOOK_URL[hook]];
  if (!url) return undefined;
  const result = r.hookResults?.[hook];
  if (!result) return { kind: 'CALL_HOOK', hook, url, timeoutSeconds: r.webhooks.timeoutSeconds };
  if (result.ok) return undefined;
  return failure(r, 'WEBHOOK', `the ${hook.toLowerCase().replace('_', '-')} webhook ${url} refused: ${result.detail}`, []);
}

function decideFastRollback(r: Rollout, obs: Observation): Action {
  const rb = r.rollback!;
  const n = r.totalReplicas;
  if (!rb.appliedAt) {
    return { kind: 'APPLY_ROLLBACK', effect: { type: 'SCALE_CANARY', canaryImage: r.stableImage, canaryReplicas: n, stableReplicas: 0 }, message: `fast rollback: scaling the warm ${canaryName(r)} (${r.stableImage}) up to ${n} replicas and ${r.target.deployment} (${r.image}) to 0` };
  }
  if (!rb.restoredAt) {
    if (settled(obs.canary, r.stableImage, n)) return { kind: 'RESTORE_STABLE', effect: { type: 'SET_STABLE', image: r.stableImage, replicas: n }, message: `${n} replicas of ${r.stableImage} serve again; putting ${r.target.deployment} back to ${r.stableImage}` };
    return { kind: 'WAIT', reason: `fast rollback: ${obs.canary?.ready ?? 0} of ${n} warm replicas of ${r.stableImage} ready` };
  }
  if (settled(obs.stable, r.stableImage, n)) return { kind: 'FINISH_ROLLBACK', effect: { type: 'SCALE_DOWN_CANARY' }, message: `rolled back: ${n} replicas of ${r.stableImage} are serving from ${r.target.deployment}` };
  return { kind: 'WAIT', reason: `fast rollback: ${obs.stable.ready} of ${n} replicas of ${r.stableImage} ready in ${r.target.deployment}` };
}

function decideRollback(r: Rollout, obs: Observation): Action {
  const rb = r.rollback!;
  if (rb.fast) return decideFastRollback(r, obs);
  if (!rb.appliedAt) {
    const what = r.strategy === 'CANARY' ? `scaling the canary to 0 and ${r.target.deployment} back to ${r.totalReplicas} replicas of ${r.stableImage}` : `undoing ${r.target.deployment} to its previous template (${r.stableImage})`;
    return { kind: 'APPLY_ROLLBACK', effect: rollbackEffect(r), message: `rolling back: ${what}` };
  }
  const stableBack = settled(obs.stable, r.stableImage, r.totalReplicas);
  const canaryGone = r.strategy === 'ROLLING' || !obs.canary || obs.canary.replicas === 0;
  if (stableBack && canaryGone) return { kind: 'FINISH_ROLLBACK', message: `rolled back: ${r.totalReplicas} replicas of ${r.stableImage} are serving` };
  return { kind: 'WAIT', reason: `rolling back: ${obs.stable.ready} of ${r.totalReplicas} replicas of ${r.stableImage} ready` };
}

function decidePromotion(r: Rollout, obs: Observation): Action {
  if (!r.promotion?.appliedAt) {
    return { kind: 'APPLY_PROMOTION', effect: { type: 'SET_STABLE', image: r.image, replicas: r.totalReplicas }, message: `promoting: ${r.target.deployment} takes ${r.image} at ${r.totalReplicas} replicas` };
  }
  if (settled(obs.stable, r.image, r.totalReplicas)) {
    const warm = r.rollbackWindowSeconds > 0 && r.strategy === 'CANARY';
    return warm
      ? { kind: 'FINISH_PROMOTION', effect: { type: 'PARK_PREVIOUS', image: r.stableImage }, message: `promoted: ${r.totalReplicas} replicas of ${r.image} serve all traffic; ${r.stableImage} stays warm at 0 replicas in ${canaryName(r)} for ${r.rollbackWindowSeconds} s` }
      : { kind: 'FINISH_PROMOTION', effect: { type: 'SCALE_DOWN_CANARY' }, message: `promoted: ${r.totalReplicas} replicas of ${r.image} serve all traffic; the canary is scaled to 0` };
  }
  return { kind: 'WAIT', reason: `promoting: ${obs.stable.ready} of ${r.totalReplicas} replicas of ${r.image} ready` };
}
