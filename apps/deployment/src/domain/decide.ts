import { count } from '@flightdeck/kernel';
import { dueMetrics } from './analysis.js';
import { alertMessages, bakeMessages, promotionMessages, rollbackMessages, stepMessages } from './messages.js';
import { canaryName, imageTag, replicasFor } from './rollout.js';
import type { AnalysisRun, HookName, MeasurementNote, RollbackCause, Rollout } from './types.js';

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
  /** Nothing to do yet. `reason` is a sentence without a changing figure, recorded when it changes; with `until`
   * it reads on with "in N s (at …)", so it should end on what happens then (e.g. "the next measurement is due"). */
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
  | { kind: 'FINISH_PROMOTION'; effect: Effect; message: string }
  /** After promotion, inside the rollback window: the next bake analysis run. */
  | { kind: 'START_BAKE_RUN' }
  /** The rollback window closed with the bake passing: the warm previous version goes. */
  | { kind: 'END_BAKE'; effect: Effect; message: string }
  /** A roll-forward-only rollout failed its bake: nothing is undone, the bake stops and says why. */
  | { kind: 'HALT_BAKE'; reason: string; measurements: MeasurementNote[] };

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
  const canary =
    r.strategy === 'CANARY'
      ? `namespace="${ns}",deployment="${canaryName(r)}"`
      : `namespace="${ns}",deployment="${dep}",version="${imageTag(r.image)}"`;
  const stable =
    r.strategy === 'CANARY'
      ? `namespace="${ns}",deployment="${dep}"`
      : `namespace="${ns}",deployment="${dep}",version="${imageTag(r.stableImage)}"`;
  return {
    namespace: ns,
    deployment: dep,
    canary: r.strategy === 'CANARY' ? canaryName(r) : dep,
    canarySelector: canary,
    stableSelector: stable,
  };
}

/** The query variables during the bake: the promoted version is the stable Deployment, the warm previous one the canary Deployment. */
export function bakeVars(r: Rollout): Record<string, string> {
  const ns = r.target.namespace;
  return {
    namespace: ns,
    deployment: r.target.deployment,
    canary: r.target.deployment,
    canarySelector: `namespace="${ns}",deployment="${r.target.deployment}"`,
    stableSelector: `namespace="${ns}",deployment="${canaryName(r)}"`,
  };
}

/** The stable Deployment runs the new image: the rolling strategy, or a canary whose promotion was applied. */
const stableTookNewImage = (r: Rollout) => r.strategy === 'ROLLING' || r.promotion?.appliedAt !== undefined;

function rollbackEffect(r: Rollout): Effect {
  return stableTookNewImage(r)
    ? { type: 'SET_STABLE', image: r.stableImage, replicas: r.totalReplicas }
    : { type: 'SCALE_CANARY', canaryImage: r.image, canaryReplicas: 0, stableReplicas: r.totalReplicas };
}

function failure(r: Rollout, cause: RollbackCause, reason: string, measurements: MeasurementNote[]): Action {
  if (r.rollForwardOnly && cause !== 'ABORT') {
    return {
      kind: 'HOLD',
      phase: cause === 'DEADLINE' ? 'STUCK' : 'FAILED',
      reason: `${reason}; the rollout is roll-forward-only, so nothing is undone: fix forward or abort`,
      measurements,
    };
  }
  return { kind: 'START_ROLLBACK', cause, reason, measurements };
}

/** The next thing to do for a rollout, from its persisted state and what the cluster shows: a pure function. */
export function decide(r: Rollout, obs: Observation, now: Date): Action {
  switch (r.phase) {
    case 'PROMOTED':
      if (r.bake?.status === 'RUNNING') return decideBake(r, now);
      return { kind: 'WAIT', reason: 'the rollout is promoted' };
    case 'ROLLED_BACK':
    case 'FAILED':
    case 'STUCK':
      return { kind: 'WAIT', reason: `the rollout is ${r.phase.toLowerCase().replace('_', ' ')}` };
    case 'ROLLING_BACK':
      return decideRollback(r, obs);
    default:
  }
  // A person's abort comes first in every phase the controller drives, a promotion under way included.
  if (r.abortRequest)
    return {
      kind: 'START_ROLLBACK',
      cause: 'ABORT',
      reason: `${r.abortRequest.byName ?? r.abortRequest.by} aborted the rollout: ${r.abortRequest.reason}`,
      measurements: [],
    };
  // A matching alert comes next: at once, whatever the analysis is waiting for.
  if (r.alertAbort) return failure(r, 'ALERT', alertMessages.cause(r.alertAbort), []);
  if (r.phase === 'PROMOTING') return decidePromotion(r, obs);
  if (r.phase === 'PAUSED') return { kind: 'WAIT', reason: r.message };
  const gate = hookGate(
    r,
    r.stepIndex === 0 && r.stepStates[0]?.status === 'PENDING'
      ? 'PRE_ROLLOUT'
      : r.stepIndex >= r.steps.length
        ? 'PRE_PROMOTION'
        : undefined,
  );
  if (gate) return gate;
  if (r.stepIndex >= r.steps.length) return { kind: 'START_PROMOTION', message: stepMessages.allStepsDone(r) };

  const i = r.stepIndex;
  const step = r.steps[i]!;
  const state = r.stepStates[i]!;
  if (state.status === 'PENDING') return { kind: 'START_STEP', index: i };
  const label = `step ${i + 1} of ${r.steps.length}`;

  switch (step.kind) {
    case 'SET_WEIGHT': {
      const { canary, stable } = replicasFor(r.totalReplicas, step.weight);
      if (!state.appliedAt) {
        return {
          kind: 'APPLY_STEP',
          index: i,
          effect: { type: 'SCALE_CANARY', canaryImage: r.image, canaryReplicas: canary, stableReplicas: stable },
          message: stepMessages.weightApplied(label, step.weight, canary, stable),
        };
      }
      const c = obs.canary;
      const canaryReady = settled(c, r.image, canary);
      const stableReady = obs.stable.ready >= stable && obs.stable.replicas === stable;
      if (canaryReady && stableReady) {
        return { kind: 'COMPLETE_STEP', index: i, message: stepMessages.canaryReady(label, r, canary, step.weight) };
      }
      const waited = elapsedSeconds(state.appliedAt, now);
      if (waited > r.progressDeadlineSeconds || c?.deadlineExceeded) {
        return failure(r, 'DEADLINE', stepMessages.canaryStalled(label, r, c?.ready ?? 0, canary), []);
      }
      if (!canaryReady) {
        const ready = c?.ready ?? 0;
        return { kind: 'WAIT', reason: stepMessages.awaitingCanary(label, r, canary, ready) };
      }
      return {
        kind: 'WAIT',
        reason: stepMessages.awaitingStable(label, r, stable, obs.stable.replicas, obs.stable.ready),
      };
    }
    case 'PAUSE': {
      if (step.seconds === undefined) {
        if (state.approvedBy)
          return {
            kind: 'COMPLETE_STEP',
            index: i,
            message: `${label}: approved by ${state.approvedByName ?? state.approvedBy}`,
          };
        return {
          kind: 'AWAIT_APPROVAL',
          index: i,
          message: `${label}: waiting for a person to approve the next step (approveStep) or abort`,
        };
      }
      const until = Date.parse(state.startedAt!) + step.seconds * 1000;
      if (now.getTime() >= until)
        return { kind: 'COMPLETE_STEP', index: i, message: `${label}: paused ${step.seconds} s` };
      return {
        kind: 'WAIT',
        reason: `${label}: pausing ${step.seconds} s; the next step starts`,
        until: new Date(until).toISOString(),
      };
    }
    case 'ROLLING_UPDATE': {
      if (!state.appliedAt)
        return {
          kind: 'APPLY_STEP',
          index: i,
          effect: { type: 'SET_STABLE', image: r.image, replicas: r.totalReplicas },
          message: stepMessages.rollingUpdate(label, r),
        };
      return { kind: 'COMPLETE_STEP', index: i, message: `${label}: the rolling update to ${r.image} is under way` };
    }
    case 'ANALYSIS': {
      const run = r.analysisRuns.find((a) => a.id === state.runId);
      if (!run) return { kind: 'START_STEP', index: i };
      const rolling = r.strategy === 'ROLLING';
      if (
        rolling &&
        (obs.stable.deadlineExceeded ||
          (!settled(obs.stable, r.image, r.totalReplicas) &&
            elapsedSeconds(r.stepStates[0]?.appliedAt, now) > r.progressDeadlineSeconds))
      ) {
        return failure(r, 'DEADLINE', stepMessages.rollingStalled(label, r, obs.stable.ready), notesOf(run));
      }
      if (run.phase === 'FAILED') return failure(r, 'ANALYSIS', `${label}: ${run.message}`, notesOf(run));
      if (run.phase === 'INCONCLUSIVE')
        return {
          kind: 'PAUSE_INCONCLUSIVE',
          reason: stepMessages.inconclusive(label, run.message),
          measurements: notesOf(run),
        };
      if (run.phase === 'SUCCESSFUL') {
        if (rolling && !settled(obs.stable, r.image, r.totalReplicas))
          return { kind: 'WAIT', reason: stepMessages.analysisPassedRolling(label, r, obs.stable.ready) };
        return { kind: 'COMPLETE_STEP', index: i, message: `${label}: ${run.message}` };
      }
      const { due, nextAt } = dueMetrics(run, now);
      if (due.length)
        return {
          kind: 'MEASURE',
          runId: run.id,
          metrics: run.metrics.filter((m) => due.includes(m.name)).map((m) => ({ name: m.name, query: m.query })),
        };
      const taken = run.metrics.reduce((n, m) => n + m.measurements.length, 0);
      const planned = run.metrics.reduce((n, m) => n + m.count, 0);
      const progress = `${label}: analysing ${run.metrics.map((m) => m.name).join(', ')}, ${taken} of ${count(planned, 'measurement')} taken`;
      return nextAt
        ? {
            kind: 'WAIT',
            reason: `${progress}; the ${taken === 0 ? 'first' : 'next'} measurement is due`,
            until: nextAt.toISOString(),
          }
        : { kind: 'WAIT', reason: `${progress}; waiting for the run's verdict` };
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
  return failure(
    r,
    'WEBHOOK',
    `the ${hook.toLowerCase().replace('_', '-')} webhook ${url} refused: ${result.detail}`,
    [],
  );
}

function decideFastRollback(r: Rollout, obs: Observation): Action {
  const rb = r.rollback!;
  const n = r.totalReplicas;
  if (!rb.appliedAt) {
    return {
      kind: 'APPLY_ROLLBACK',
      effect: { type: 'SCALE_CANARY', canaryImage: r.stableImage, canaryReplicas: n, stableReplicas: 0 },
      message: rollbackMessages.fastStart(r, canaryName(r)),
    };
  }
  if (!rb.restoredAt) {
    if (settled(obs.canary, r.stableImage, n))
      return {
        kind: 'RESTORE_STABLE',
        effect: { type: 'SET_STABLE', image: r.stableImage, replicas: n },
        message: rollbackMessages.fastServing(r),
      };
    return {
      kind: 'WAIT',
      reason: `fast rollback: ${obs.canary?.ready ?? 0} of ${count(n, 'warm replica')} of ${r.stableImage} ready`,
    };
  }
  if (settled(obs.stable, r.stableImage, n))
    return { kind: 'FINISH_ROLLBACK', effect: { type: 'SCALE_DOWN_CANARY' }, message: rollbackMessages.fastDone(r) };
  return {
    kind: 'WAIT',
    reason: `fast rollback: ${obs.stable.ready} of ${count(n, 'replica')} of ${r.stableImage} ready in ${r.target.deployment}`,
  };
}

function decideRollback(r: Rollout, obs: Observation): Action {
  const rb = r.rollback!;
  if (rb.fast) return decideFastRollback(r, obs);
  if (!rb.appliedAt) {
    const what =
      r.strategy === 'ROLLING'
        ? `undoing ${r.target.deployment} to its previous template (${r.stableImage})`
        : stableTookNewImage(r)
          ? `undoing the promotion: ${r.target.deployment} back to ${count(r.totalReplicas, 'replica')} of ${r.stableImage}, then the canary scaled to 0`
          : `scaling the canary to 0 and ${r.target.deployment} back to ${count(r.totalReplicas, 'replica')} of ${r.stableImage}`;
    return { kind: 'APPLY_ROLLBACK', effect: rollbackEffect(r), message: `rolling back: ${what}` };
  }
  const stableBack = settled(obs.stable, r.stableImage, r.totalReplicas);
  const canaryGone = r.strategy === 'ROLLING' || !obs.canary || obs.canary.replicas === 0;
  if (stableBack && canaryGone) return { kind: 'FINISH_ROLLBACK', message: rollbackMessages.done(r) };
  // After an undone promotion the canary still runs the new image: it goes once the stable Deployment serves again.
  if (stableBack)
    return {
      kind: 'FINISH_ROLLBACK',
      effect: { type: 'SCALE_DOWN_CANARY' },
      message: rollbackMessages.doneCanaryGoes(r),
    };
  return {
    kind: 'WAIT',
    reason: `rolling back: ${obs.stable.ready} of ${count(r.totalReplicas, 'replica')} of ${r.stableImage} ready`,
  };
}

function decidePromotion(r: Rollout, obs: Observation): Action {
  if (!r.promotion?.appliedAt) {
    return {
      kind: 'APPLY_PROMOTION',
      effect: { type: 'SET_STABLE', image: r.image, replicas: r.totalReplicas },
      message: promotionMessages.start(r),
    };
  }
  if (settled(obs.stable, r.image, r.totalReplicas)) {
    const warm = r.rollbackWindowSeconds > 0 && r.strategy === 'CANARY';
    return warm
      ? {
          kind: 'FINISH_PROMOTION',
          effect: { type: 'PARK_PREVIOUS', image: r.stableImage },
          message: promotionMessages.doneWarm(r, canaryName(r)),
        }
      : { kind: 'FINISH_PROMOTION', effect: { type: 'SCALE_DOWN_CANARY' }, message: promotionMessages.done(r) };
  }
  return {
    kind: 'WAIT',
    reason: `promoting: ${obs.stable.ready} of ${count(r.totalReplicas, 'replica')} of ${r.image} ready`,
  };
}

/** A failure inside the rollback window: back to the warm previous version at once, unless the rollout is roll-forward-only. */
function bakeFailure(r: Rollout, cause: RollbackCause, reason: string, measurements: MeasurementNote[]): Action {
  if (r.rollForwardOnly) return { kind: 'HALT_BAKE', reason: bakeMessages.halted(reason), measurements };
  return { kind: 'START_ROLLBACK', cause, reason, measurements };
}

/** Promoted, the previous version warm: analysis goes on run after run until the window closes. */
function decideBake(r: Rollout, now: Date): Action {
  if (r.alertAbort) return bakeFailure(r, 'ALERT', alertMessages.cause(r.alertAbort), []);
  const closes = Date.parse(r.warmUntil ?? r.updatedAt);
  if (now.getTime() >= closes)
    return {
      kind: 'END_BAKE',
      effect: { type: 'SCALE_DOWN_CANARY' },
      message: bakeMessages.passed(r, r.bake!.runs, canaryName(r)),
    };
  const run = r.analysisRuns.find((a) => a.id === r.bake!.runId);
  if (!run || run.phase === 'SUCCESSFUL' || run.phase === 'INCONCLUSIVE') return { kind: 'START_BAKE_RUN' };
  if (run.phase === 'FAILED') return bakeFailure(r, 'BAKE', bakeMessages.failed(run.message), notesOf(run));
  const { due, nextAt } = dueMetrics(run, now);
  if (due.length)
    return {
      kind: 'MEASURE',
      runId: run.id,
      metrics: run.metrics.filter((m) => due.includes(m.name)).map((m) => ({ name: m.name, query: m.query })),
    };
  const what = `bake: analysing ${r.image} with ${r.bake!.templates.join(', ')} (run ${r.bake!.runs})`;
  if (nextAt && nextAt.getTime() < closes)
    return { kind: 'WAIT', reason: `${what}; the next measurement is due`, until: nextAt.toISOString() };
  return { kind: 'WAIT', reason: `${what}; the rollback window closes`, until: new Date(closes).toISOString() };
}
