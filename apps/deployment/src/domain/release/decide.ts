import { agree, count } from '@flightdeck/kernel';
import type { MeasurementNote, Rollout } from '../types.js';
import { isHeld } from './release-rollout.js';
import type { ReleaseFailure, ReleaseRollout } from './types.js';
import { reverseDependencyOrder } from './waves.js';

/** The child rollouts of a release rollout's current attempt, by workload name; absent: not created (yet). */
export type Children = Record<string, Rollout | undefined>;

export type ReleaseAction =
  /** Nothing to do yet; recorded only when the reason changes. */
  | { kind: 'WAIT'; reason: string }
  /** Create the child rollouts of waves [from, to) (idempotent: an existing child is left as it is). */
  | { kind: 'START_WAVES'; from: number; to: number; workloads: string[] }
  /** Approve the pause each of these children waits at (the release's hold, or a manual pause on promote-all). */
  | { kind: 'APPROVE_CHILDREN'; workloads: string[]; message: string }
  | { kind: 'START_PROMOTION'; message: string }
  | { kind: 'AWAIT_PROMOTION'; message: string }
  | { kind: 'FINISH_PROMOTION'; message: string }
  | { kind: 'START_ROLLBACK'; failure: Omit<ReleaseFailure, 'decidedAt'>; message: string }
  /** Abort one child rollout (it rolls itself back); the release waits for it before the next. */
  | { kind: 'ABORT_CHILD'; workload: string; rolloutId: string; reason: string; message: string }
  | { kind: 'FINISH_ROLLBACK'; message: string };

const FAILING = ['ROLLING_BACK', 'ROLLED_BACK', 'FAILED', 'STUCK'];

const notesText = (m: MeasurementNote[]) =>
  m.length
    ? `; measurements: ${m.map((n) => `${n.metric} = ${n.value ?? 'no value'} (${n.phase.toLowerCase()}: ${n.detail})`).join(', ')}`
    : '';

/** The workloads in dependency order (the waves, in order). */
const inOrder = (r: ReleaseRollout) => r.waves.flat();

/** Workloads whose child rollout exists: they moved (or may have), so a rollback covers them. */
const moved = (r: ReleaseRollout, children: Children) => inOrder(r).filter((w) => children[w]);

function rollbackPlan(r: ReleaseRollout, children: Children): string[] {
  const started = new Set(moved(r, children));
  return reverseDependencyOrder(r.waves).filter((w) => started.has(w));
}

function rollbackMessage(decidedBy: string, plan: string[]): string {
  return `${decidedBy}; rolling back the ${count(plan.length, 'workload')} that moved, in reverse dependency order: ${plan.join(', then ') || 'none'}`;
}

/** The first workload (in dependency order) whose rollout failed, was aborted, got stuck or vanished. */
function failureOf(
  r: ReleaseRollout,
  children: Children,
): { kind: 'START_ROLLBACK'; failure: Omit<ReleaseFailure, 'decidedAt'>; message: string } | undefined {
  for (const w of inOrder(r)) {
    const c = children[w];
    const recorded = r.progress.find((p) => p.name === w)?.rolloutId;
    if (!c && !recorded) continue;
    const plan = rollbackPlan(r, children);
    if (!c) {
      const reason = `the rollout ${recorded} of ${w} is missing from the store`;
      return {
        kind: 'START_ROLLBACK',
        failure: { workload: w, rolloutId: recorded!, cause: 'ABORT', reason, measurements: [], order: plan },
        message: rollbackMessage(`${w}: ${reason}`, plan),
      };
    }
    if (!FAILING.includes(c.phase)) continue;
    const cause = c.rollback?.cause ?? (c.phase === 'STUCK' ? 'DEADLINE' : 'ANALYSIS');
    const reason = c.rollback?.reason ?? c.message;
    const measurements = c.rollback?.measurements ?? c.decisions.at(-1)?.measurements ?? [];
    const what =
      cause === 'ABORT'
        ? 'was aborted'
        : cause === 'DEADLINE'
          ? 'got stuck'
          : cause === 'WEBHOOK'
            ? 'was refused by a webhook'
            : 'failed its analysis';
    return {
      kind: 'START_ROLLBACK',
      failure: { workload: w, rolloutId: c.id, cause, reason, measurements, order: plan },
      message: rollbackMessage(`${w} (rollout ${c.id}) ${what}: ${reason}${notesText(measurements)}`, plan),
    };
  }
  return undefined;
}

function describe(w: string, c: Rollout | undefined): string {
  if (!c) return `${w} not started`;
  if (c.phase === 'PAUSED') return `${w} paused: ${c.message}`;
  if (c.phase === 'PROMOTING' || c.phase === 'PROMOTED') return `${w} ${c.phase.toLowerCase()}`;
  return `${w} at step ${Math.min(c.stepIndex + 1, c.steps.length - 1)} of ${c.steps.length - 1}`;
}

/** The next thing to do for a release rollout, from its persisted state and its children's: a pure function. */
export function decideRelease(r: ReleaseRollout, children: Children): ReleaseAction {
  switch (r.phase) {
    case 'PROMOTED':
    case 'ROLLED_BACK':
    case 'FAILED':
      return { kind: 'WAIT', reason: r.message };
    case 'ROLLING_BACK':
      return decideRollback(r, children);
    default:
  }
  if (r.abortRequest) {
    const plan = rollbackPlan(r, children);
    const reason = `${r.abortRequest.byName ?? r.abortRequest.by} aborted the release rollout: ${r.abortRequest.reason}`;
    return {
      kind: 'START_ROLLBACK',
      failure: { cause: 'ABORT', reason, measurements: [], order: plan },
      message: rollbackMessage(reason, plan),
    };
  }
  // A failing workload rolls the release back in every phase, a paused or promoting release included.
  const failed = failureOf(r, children);
  if (failed) return failed;
  const all = inOrder(r);
  if (r.phase === 'PROMOTING') {
    const promoted = all.filter((w) => children[w]?.phase === 'PROMOTED');
    if (promoted.length === all.length)
      return {
        kind: 'FINISH_PROMOTION',
        message: `release ${r.releaseId} promoted: ${all.map((w) => `${w} runs ${children[w]!.image}`).join(', ')}`,
      };
    const held = all.filter((w) => children[w] && isHeld(children[w]));
    if (held.length)
      return { kind: 'APPROVE_CHILDREN', workloads: held, message: `promoting ${held.join(', ')} together` };
    return {
      kind: 'WAIT',
      reason: `promoting: ${promoted.length} of ${count(all.length, 'workload')} promoted; waiting for ${all.filter((w) => !promoted.includes(w)).join(', ')}`,
    };
  }
  if (r.phase === 'PAUSED') return { kind: 'WAIT', reason: r.message };

  const started = r.waves.slice(0, r.wavesStarted).flat();
  if (r.wavesStarted === 0 || started.some((w) => !children[w])) {
    const to = r.mode === 'TOGETHER' ? r.waves.length : Math.max(1, r.wavesStarted);
    const from = r.mode === 'TOGETHER' ? 0 : to - 1;
    return { kind: 'START_WAVES', from, to, workloads: r.waves.slice(from, to).flat() };
  }
  if (r.promoteRequest) {
    const paused = started.filter((w) => children[w]!.phase === 'PAUSED' && !isHeld(children[w]!));
    if (paused.length)
      return {
        kind: 'APPROVE_CHILDREN',
        workloads: paused,
        message: `promote-all: ${paused.join(', ')} ${agree(paused.length, 'goes', 'go')} on past ${agree(paused.length, 'its', 'their')} pause`,
      };
  }
  const waiting = started.filter((w) => !isHeld(children[w]!));
  if (waiting.length) {
    const wave = r.mode === 'TOGETHER' ? 'all workloads' : `wave ${r.wavesStarted} of ${r.waves.length}`;
    return {
      kind: 'WAIT',
      reason: `${wave}: waiting for ${waiting.map((w) => describe(w, children[w])).join('; ')} to be ready to promote`,
    };
  }
  if (r.wavesStarted < r.waves.length)
    return { kind: 'START_WAVES', from: r.wavesStarted, to: r.wavesStarted + 1, workloads: r.waves[r.wavesStarted]! };
  if (r.autoPromote || r.promoteRequest) {
    const by = r.promoteRequest ? ` (promote-all by ${r.promoteRequest.byName ?? r.promoteRequest.by})` : '';
    return {
      kind: 'START_PROMOTION',
      message: `all ${count(all.length, 'workload')} ready to promote: promoting ${all.join(', ')} together${by}`,
    };
  }
  return {
    kind: 'AWAIT_PROMOTION',
    message: `all ${count(all.length, 'workload')} ready to promote (${all.join(', ')}); waiting for a person to promote all (promoteReleaseRollout) or abort all`,
  };
}

function decideRollback(r: ReleaseRollout, children: Children): ReleaseAction {
  const plan = r.failure!.order;
  for (const [i, w] of plan.entries()) {
    const c = children[w];
    if (!c || c.phase === 'ROLLED_BACK' || r.progress.find((p) => p.name === w)?.rollbackRefused) continue;
    if (c.phase === 'ROLLING_BACK' || c.abortRequest)
      return {
        kind: 'WAIT',
        reason: `rolling back ${w} (${i + 1} of ${plan.length}): waiting for rollout ${c.id} to be rolled back`,
      };
    return {
      kind: 'ABORT_CHILD',
      workload: w,
      rolloutId: c.id,
      reason: `release ${r.releaseId} is rolled back: ${r.failure!.reason}`,
      message: `rolling back ${w} (${i + 1} of ${plan.length}): aborting rollout ${c.id} (${c.phase.toLowerCase()})`,
    };
  }
  const refused = r.progress.filter((p) => p.rollbackRefused);
  if (refused.length)
    return {
      kind: 'FINISH_ROLLBACK',
      message: `rolled back what could be; ${refused.map((p) => `${p.name} could not be: ${p.rollbackRefused}`).join('; ')}`,
    };
  return {
    kind: 'FINISH_ROLLBACK',
    message: `release ${r.releaseId} rolled back: ${plan.join(', then ') || 'nothing had moved'}`,
  };
}
