import { count } from '@flightdeck/kernel';
import type { Children, ReleaseAction } from './decide.js';
import { isHeld, logReleaseDecision } from './release-rollout.js';
import type { ReleaseFailure, ReleaseRollout, WorkloadProgress } from './types.js';

/** Something other services and people should hear about; the application turns these into events. */
export type ReleaseHappening =
  | { type: 'wave_started'; wave: number; workloads: string[]; message: string }
  | { type: 'paused'; message: string }
  | { type: 'promoted'; message: string }
  | { type: 'rolled_back'; message: string; failure: ReleaseFailure }
  | { type: 'failed'; message: string; failure: ReleaseFailure };

export interface ReleaseChange {
  release: ReleaseRollout;
  happenings: ReleaseHappening[];
}

/** What carrying an action out gave: the workloads whose child rollout exists now, or why one was refused. */
export interface ReleaseOutcome {
  refused?: { workload: string; reason: string };
}

/** The children's ids and phases as seen now. */
function progressOf(
  r: ReleaseRollout,
  children: Children,
  patch: (p: WorkloadProgress) => Partial<WorkloadProgress> = () => ({}),
): WorkloadProgress[] {
  return r.progress.map((p) => {
    const c = children[p.name];
    return {
      ...p,
      ...(c
        ? {
            rolloutId: c.id,
            startedAt: p.startedAt ?? c.startedAt,
            phase: c.phase,
            ready: isHeld(c) || c.phase === 'PROMOTED',
          }
        : {}),
      ...patch(p),
    };
  });
}

const sameProgress = (a: WorkloadProgress[], b: WorkloadProgress[]) =>
  a.every((p, i) => p.phase === b[i]!.phase && p.ready === b[i]!.ready && p.rolloutId === b[i]!.rolloutId);

/** The release rollout after `action` was carried out: a pure function, so every transition is tested without a cluster. */
export function applyReleaseAction(
  r: ReleaseRollout,
  action: ReleaseAction,
  now: Date,
  children: Children,
  outcome: ReleaseOutcome = {},
): ReleaseChange {
  const at = now.toISOString();
  const { waiting: _w, ...rest } = r;
  const progress = progressOf(r, children);
  const base = { ...rest, progress, updatedAt: at };
  switch (action.kind) {
    case 'WAIT': {
      if (
        (r.waiting === action.reason || r.phase === 'PAUSED' || r.message === action.reason) &&
        sameProgress(r.progress, progress)
      )
        return { release: r, happenings: [] };
      const earlier = r.decisions.at(-1)?.action === 'WAIT' ? r.decisions.slice(0, -1) : r.decisions;
      return {
        release: {
          ...base,
          waiting: action.reason,
          message: action.reason,
          decisions: logReleaseDecision({ ...r, decisions: earlier }, at, 'WAIT', action.reason),
        },
        happenings: [],
      };
    }
    case 'START_WAVES': {
      const wave =
        action.from === action.to - 1
          ? `wave ${action.to} of ${r.waves.length}`
          : `all ${count(r.waves.length, 'wave')}`;
      if (outcome.refused) {
        const { workload, reason } = outcome.refused;
        const order = [...r.waves]
          .reverse()
          .flat()
          .filter((w) => children[w]);
        const failure: ReleaseFailure = { workload, cause: 'START', reason, measurements: [], decidedAt: at, order };
        const message = `${wave}: ${workload} could not be started: ${reason}; rolling back the ${count(order.length, 'workload')} that moved, in reverse dependency order: ${order.join(', then ') || 'none'}`;
        return {
          release: {
            ...base,
            phase: 'ROLLING_BACK',
            failure,
            message,
            decisions: logReleaseDecision(r, at, 'START_ROLLBACK', message),
          },
          happenings: [],
        };
      }
      const message = `${wave} started: ${action.workloads.map((w) => `${w} (${children[w]?.image ?? '?'} over ${children[w]?.stableImage ?? '?'})`).join(', ')}`;
      return {
        release: {
          ...base,
          wavesStarted: action.to,
          message,
          decisions: logReleaseDecision(r, at, 'START_WAVE', message),
        },
        happenings: [{ type: 'wave_started', wave: action.to - 1, workloads: action.workloads, message }],
      };
    }
    case 'APPROVE_CHILDREN':
      return {
        release: {
          ...base,
          message: action.message,
          decisions: logReleaseDecision(r, at, 'APPROVE_CHILDREN', action.message),
        },
        happenings: [],
      };
    case 'START_PROMOTION':
      return {
        release: {
          ...base,
          phase: 'PROMOTING',
          message: action.message,
          decisions: logReleaseDecision(r, at, 'START_PROMOTION', action.message),
        },
        happenings: [],
      };
    case 'AWAIT_PROMOTION':
      return {
        release: {
          ...base,
          phase: 'PAUSED',
          pauseReason: 'PROMOTION',
          message: action.message,
          decisions: logReleaseDecision(r, at, 'AWAIT_PROMOTION', action.message),
        },
        happenings: [{ type: 'paused', message: action.message }],
      };
    case 'FINISH_PROMOTION':
      return {
        release: {
          ...base,
          phase: 'PROMOTED',
          completedAt: at,
          message: action.message,
          decisions: logReleaseDecision(r, at, 'FINISH_PROMOTION', action.message),
        },
        happenings: [{ type: 'promoted', message: action.message }],
      };
    case 'START_ROLLBACK': {
      const failure: ReleaseFailure = { ...action.failure, decidedAt: at };
      const { pauseReason: _p, ...kept } = base;
      return {
        release: {
          ...kept,
          phase: 'ROLLING_BACK',
          failure,
          message: action.message,
          decisions: logReleaseDecision(
            r,
            at,
            'START_ROLLBACK',
            action.message,
            failure.measurements.length ? { measurements: failure.measurements } : {},
          ),
        },
        happenings: [],
      };
    }
    case 'ABORT_CHILD': {
      if (outcome.refused) {
        const message = `${action.workload} cannot be rolled back: ${outcome.refused.reason}`;
        return {
          release: {
            ...base,
            progress: progressOf(r, children, (p) =>
              p.name === action.workload ? { rollbackRefused: outcome.refused!.reason } : {},
            ),
            message,
            decisions: logReleaseDecision(r, at, 'ROLLBACK_REFUSED', message),
          },
          happenings: [],
        };
      }
      return {
        release: {
          ...base,
          message: action.message,
          decisions: logReleaseDecision(r, at, 'ABORT_CHILD', action.message),
        },
        happenings: [],
      };
    }
    case 'FINISH_ROLLBACK': {
      const failure = r.failure!;
      const partly = progress.some((p) => p.rollbackRefused);
      const message = `${action.message} (cause: ${failure.reason})`;
      return {
        release: {
          ...base,
          phase: partly ? 'FAILED' : 'ROLLED_BACK',
          completedAt: at,
          message,
          decisions: logReleaseDecision(r, at, 'FINISH_ROLLBACK', action.message),
        },
        happenings: partly ? [{ type: 'failed', message, failure }] : [{ type: 'rolled_back', message, failure }],
      };
    }
  }
}
