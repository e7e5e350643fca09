import { type Person, RuleError } from '@flightdeck/kernel';
import { newRun, recordMeasurements } from './analysis.js';
import { analysisStarted, bakeMessages } from './messages.js';
import type { Action } from './decide.js';
import { bakeVars, notesOf, queryVars } from './decide.js';
import { DRIVEN_PHASES } from './rollout.js';
import { validationChecklist } from './validation.js';
import type { AnalysisRun, Decision, HookResult, MeasurementNote, QueryOutcome, Rollout, StepSpec } from './types.js';

/** Something an SRE (and other services) should hear about; the application turns these into events. */
export type Happening =
  | { type: 'step_completed'; stepIndex: number; message: string }
  | { type: 'analysis_completed'; run: AnalysisRun; message: string }
  | { type: 'paused'; message: string; measurements: MeasurementNote[] }
  | { type: 'promoted'; message: string }
  | { type: 'rolled_back'; message: string; measurements: MeasurementNote[] }
  | { type: 'failed'; message: string; measurements: MeasurementNote[] }
  | { type: 'stuck'; message: string; measurements: MeasurementNote[] }
  /** The bake found the promoted version failing: rolled back to the warm version, or held (roll-forward-only). */
  | { type: 'bake_failed'; outcome: 'rolled_back' | 'held'; message: string };

export interface Change {
  rollout: Rollout;
  happenings: Happening[];
}

const MAX_DECISIONS = 300;
/** Bake analysis runs kept on a rollout (the latest). */
const MAX_BAKE_RUNS = 3;

/** The rollout's decisions with one more, the oldest dropped past the bound. */
export function logDecision(
  r: Rollout,
  at: string,
  action: string,
  message: string,
  measurements?: MeasurementNote[],
): Decision[] {
  const d: Decision = { at, action, message, ...(measurements?.length ? { measurements } : {}) };
  return [...r.decisions, d].slice(-MAX_DECISIONS);
}

/** What a step does, for the sentence saying it started. */
function describeStep(r: Rollout, step: StepSpec): string {
  switch (step.kind) {
    case 'SET_WEIGHT':
      return `canary weight ${step.weight}%`;
    case 'PAUSE':
      return step.seconds === undefined
        ? 'a pause until a person approves the next step'
        : `a pause of ${step.seconds} s`;
    case 'ROLLING_UPDATE':
      return `a rolling update of ${r.target.deployment} to ${r.image}`;
    case 'ANALYSIS':
      return `analysis of ${step.templates.join(', ')}`;
  }
}

/** A wait as the rollout's message says it: the reason, and with a time how long from now. */
function waitMessage(reason: string, until: string | undefined, now: Date): string {
  if (!until) return reason;
  const seconds = Math.max(0, Math.ceil((Date.parse(until) - now.getTime()) / 1000));
  return `${reason} in ${seconds} s (at ${until})`;
}

function withStep(r: Rollout, index: number, patch: Partial<Rollout['stepStates'][number]>): Rollout['stepStates'] {
  return r.stepStates.map((s, i) => (i === index ? { ...s, ...patch } : s));
}

/**
 * The rollout after `action` was carried out (its effect applied, its queries answered in `results`): a pure
 * function, so every transition is tested without a cluster. A WAIT changes the rollout only when what it waits
 * for changed since the last one recorded: then it becomes the message and the last decision (a run of waits
 * keeps only the latest), so the rollout always says what it is doing without a write on every tick.
 */
export function applyAction(
  r: Rollout,
  action: Action,
  now: Date,
  results: Record<string, QueryOutcome> = {},
  hook?: HookResult,
): Change {
  const at = now.toISOString();
  const { waiting: _done, ...rest } = r;
  const base = { ...rest, updatedAt: at };
  switch (action.kind) {
    case 'WAIT': {
      const same = r.waiting?.reason === action.reason && r.waiting?.until === action.until;
      if (same || !(DRIVEN_PHASES.includes(r.phase) || r.bake?.status === 'RUNNING'))
        return { rollout: r, happenings: [] };
      const message = waitMessage(action.reason, action.until, now);
      const earlier = r.decisions.at(-1)?.action === 'WAIT' ? r.decisions.slice(0, -1) : r.decisions;
      const waiting = { reason: action.reason, ...(action.until ? { until: action.until } : {}) };
      return {
        rollout: {
          ...base,
          waiting,
          message,
          decisions: logDecision({ ...r, decisions: earlier }, at, 'WAIT', message),
        },
        happenings: [],
      };
    }
    case 'START_STEP': {
      const step = r.steps[action.index]!;
      if (step.kind !== 'ANALYSIS') {
        const message = `step ${action.index + 1} of ${r.steps.length} started: ${describeStep(r, step)}`;
        return {
          rollout: {
            ...base,
            stepStates: withStep(r, action.index, { status: 'RUNNING', startedAt: at }),
            message,
            decisions: logDecision(r, at, 'START_STEP', message),
          },
          happenings: [],
        };
      }
      const runId = `${r.id}-s${action.index + 1}-a${r.attempt}-${r.analysisRuns.length + 1}`;
      const templates = step.templates.map((name) => r.metrics.find((m) => m.name === name)!);
      const run = newRun(runId, action.index, templates, queryVars(r), r.scoring, now, step.initialDelaySeconds ?? 0);
      return {
        rollout: {
          ...base,
          stepStates: withStep(r, action.index, {
            status: 'RUNNING',
            startedAt: r.stepStates[action.index]!.startedAt ?? at,
            runId,
          }),
          analysisRuns: [...r.analysisRuns, run],
          message: `step ${action.index + 1} of ${r.steps.length}: analysing ${step.templates.join(', ')}`,
          decisions: logDecision(
            r,
            at,
            'START_ANALYSIS',
            analysisStarted(`step ${action.index + 1} of ${r.steps.length}`, runId, templates),
          ),
        },
        happenings: [],
      };
    }
    case 'APPLY_STEP': {
      const weight =
        action.effect.type === 'SCALE_CANARY'
          ? Math.round((action.effect.canaryReplicas / r.totalReplicas) * 100)
          : r.weight;
      return {
        rollout: {
          ...base,
          weight,
          stepStates: withStep(r, action.index, { appliedAt: at }),
          message: action.message,
          decisions: logDecision(r, at, 'APPLY_STEP', action.message),
        },
        happenings: [],
      };
    }
    case 'COMPLETE_STEP':
      return {
        rollout: {
          ...base,
          stepIndex: action.index + 1,
          stepStates: withStep(r, action.index, { status: 'COMPLETED', completedAt: at }),
          message: action.message,
          decisions: logDecision(r, at, 'COMPLETE_STEP', action.message),
        },
        happenings: [{ type: 'step_completed', stepIndex: action.index, message: action.message }],
      };
    case 'AWAIT_APPROVAL':
      return {
        rollout: {
          ...base,
          phase: 'PAUSED',
          pauseReason: 'APPROVAL',
          message: action.message,
          decisions: logDecision(r, at, 'AWAIT_APPROVAL', action.message),
        },
        happenings: [{ type: 'paused', message: action.message, measurements: [] }],
      };
    case 'MEASURE': {
      const before = r.analysisRuns.find((a) => a.id === action.runId);
      if (!before) return { rollout: r, happenings: [] };
      const run = recordMeasurements(before, results, now);
      const notes = notesOf(run).filter((n) => action.metrics.some((m) => m.name === n.metric));
      const message = notes
        .map((n) => `${n.metric} = ${n.value ?? 'no value'} (${n.phase.toLowerCase()}: ${n.detail})`)
        .join('; ');
      const happenings: Happening[] =
        run.phase !== 'RUNNING' ? [{ type: 'analysis_completed', run, message: run.message! }] : [];
      return {
        rollout: {
          ...base,
          analysisRuns: r.analysisRuns.map((a) => (a.id === run.id ? run : a)),
          decisions: logDecision(r, at, 'MEASURE', message, notes),
        },
        happenings,
      };
    }
    case 'CALL_HOOK': {
      const result = hook ?? { ok: false, status: 0, detail: 'the webhook was not called', at };
      const message = `${action.hook.toLowerCase().replace('_', '-')} webhook ${action.url}: ${result.ok ? 'allowed' : 'refused'} (${result.status || 'no answer'}: ${result.detail})`;
      return {
        rollout: {
          ...base,
          hookResults: { ...r.hookResults, [action.hook]: result },
          message,
          decisions: logDecision(r, at, 'WEBHOOK', message),
        },
        happenings: [],
      };
    }
    case 'START_ROLLBACK': {
      const stuck = action.cause === 'DEADLINE';
      if (r.phase === 'PROMOTED') {
        // Inside the rollback window: the warm previous version is scaled up (a fast rollback), as a person's abort there does.
        const { completedAt: _c, ...open } = base;
        return {
          rollout: {
            ...open,
            phase: 'ROLLING_BACK',
            rollback: {
              cause: action.cause,
              reason: action.reason,
              decidedAt: at,
              measurements: action.measurements,
              fast: true,
            },
            bake: { ...r.bake!, status: 'FAILED', reason: action.reason, endedAt: at },
            message: `rolling back to the warm ${r.stableImage}: ${action.reason}`,
            decisions: logDecision(r, at, 'START_ROLLBACK', action.reason, action.measurements),
          },
          happenings: [{ type: 'bake_failed', outcome: 'rolled_back', message: action.reason }],
        };
      }
      return {
        rollout: {
          ...base,
          phase: 'ROLLING_BACK',
          rollback: { cause: action.cause, reason: action.reason, decidedAt: at, measurements: action.measurements },
          message: `rolling back: ${action.reason}`,
          decisions: logDecision(r, at, 'START_ROLLBACK', action.reason, action.measurements),
        },
        happenings: stuck ? [{ type: 'stuck', message: action.reason, measurements: action.measurements }] : [],
      };
    }
    case 'HOLD':
      return {
        rollout: {
          ...base,
          phase: action.phase,
          message: action.reason,
          decisions: logDecision(r, at, 'HOLD', action.reason, action.measurements),
        },
        happenings: [
          {
            type: action.phase === 'STUCK' ? 'stuck' : 'failed',
            message: action.reason,
            measurements: action.measurements,
          },
        ],
      };
    case 'PAUSE_INCONCLUSIVE':
      return {
        rollout: {
          ...base,
          phase: 'PAUSED',
          pauseReason: 'INCONCLUSIVE',
          message: action.reason,
          decisions: logDecision(r, at, 'PAUSE', action.reason, action.measurements),
        },
        happenings: [{ type: 'paused', message: action.reason, measurements: action.measurements }],
      };
    case 'APPLY_ROLLBACK':
      return {
        rollout: {
          ...base,
          weight: 0,
          rollback: { ...r.rollback!, appliedAt: at },
          message: action.message,
          decisions: logDecision(r, at, 'APPLY_ROLLBACK', action.message),
        },
        happenings: [],
      };
    case 'RESTORE_STABLE':
      return {
        rollout: {
          ...base,
          rollback: { ...r.rollback!, restoredAt: at },
          message: action.message,
          decisions: logDecision(r, at, 'RESTORE_STABLE', action.message),
        },
        happenings: [],
      };
    case 'FINISH_ROLLBACK':
      return {
        rollout: {
          ...base,
          phase: 'ROLLED_BACK',
          completedAt: at,
          message: `${action.message} (cause: ${r.rollback!.reason})`,
          decisions: logDecision(r, at, 'FINISH_ROLLBACK', action.message),
        },
        happenings: [{ type: 'rolled_back', message: r.rollback!.reason, measurements: r.rollback!.measurements }],
      };
    case 'START_PROMOTION':
      return {
        rollout: {
          ...base,
          phase: 'PROMOTING',
          promotion: { decidedAt: at },
          message: action.message,
          decisions: logDecision(r, at, 'START_PROMOTION', action.message),
        },
        happenings: [],
      };
    case 'APPLY_PROMOTION':
      return {
        rollout: {
          ...base,
          promotion: { ...r.promotion!, appliedAt: at },
          message: action.message,
          decisions: logDecision(r, at, 'APPLY_PROMOTION', action.message),
        },
        happenings: [],
      };
    case 'FINISH_PROMOTION': {
      const warm = action.effect.type === 'PARK_PREVIOUS';
      const promoted: Rollout = {
        ...base,
        phase: 'PROMOTED',
        weight: 100,
        completedAt: at,
        validation: validationChecklist(now),
        ...(warm ? { warmUntil: new Date(now.getTime() + r.rollbackWindowSeconds * 1000).toISOString() } : {}),
        message: action.message,
        decisions: logDecision(r, at, 'FINISH_PROMOTION', action.message),
      };
      const templates = r.bakeTemplates ?? [];
      if (!warm || templates.length === 0)
        return { rollout: promoted, happenings: [{ type: 'promoted', message: action.message }] };
      // The bake: analysis goes on while the previous version is warm.
      const started = bakeMessages.started(promoted, templates);
      return {
        rollout: {
          ...promoted,
          bake: { status: 'RUNNING', templates, runs: 0 },
          decisions: logDecision(promoted, at, 'START_BAKE', started),
        },
        happenings: [{ type: 'promoted', message: action.message }],
      };
    }
    case 'START_BAKE_RUN': {
      const bake = r.bake!;
      const runId = `${r.id}-bake-a${r.attempt}-${bake.runs + 1}`;
      const templates = bake.templates.map((name) => r.metrics.find((m) => m.name === name)!);
      const run = newRun(runId, r.steps.length, templates, bakeVars(r), r.scoring, now);
      // Only the latest bake runs are kept: a week-long window would otherwise grow the rollout without bound.
      const bakeRuns = r.analysisRuns.filter((a) => a.stepIndex === r.steps.length);
      const drop = new Set(bakeRuns.slice(0, Math.max(0, bakeRuns.length - (MAX_BAKE_RUNS - 1))).map((a) => a.id));
      const message = bakeMessages.runStarted(runId, bake.runs + 1, templates);
      return {
        rollout: {
          ...base,
          bake: { ...bake, runId, runs: bake.runs + 1 },
          analysisRuns: [...r.analysisRuns.filter((a) => !drop.has(a.id)), run],
          decisions: logDecision(r, at, 'START_ANALYSIS', message),
        },
        happenings: [],
      };
    }
    case 'END_BAKE':
      return {
        rollout: {
          ...base,
          bake: { ...r.bake!, status: 'PASSED', endedAt: at },
          message: action.message,
          decisions: logDecision(r, at, 'END_BAKE', action.message),
        },
        happenings: [],
      };
    case 'HALT_BAKE':
      return {
        rollout: {
          ...base,
          bake: { ...r.bake!, status: 'HALTED', reason: action.reason, endedAt: at },
          message: action.reason,
          decisions: logDecision(r, at, 'HALT_BAKE', action.reason, action.measurements),
        },
        happenings: [
          { type: 'failed', message: action.reason, measurements: action.measurements },
          { type: 'bake_failed', outcome: 'held', message: action.reason },
        ],
      };
  }
}

/** A person lets a paused rollout go on: past a manual pause, or past an inconclusive analysis. */
export function approveStep(r: Rollout, who: Person, now: Date): Rollout {
  if (r.phase !== 'PAUSED')
    throw new RuleError(`rollout ${r.id} is ${r.phase}, not PAUSED: there is no step waiting for approval`, 'id');
  const i = r.stepIndex;
  const at = now.toISOString();
  const message =
    r.pauseReason === 'INCONCLUSIVE'
      ? `${who.name} approved step ${i + 1} despite inconclusive analysis`
      : `${who.name} approved step ${i + 1}`;
  const stepStates = r.stepStates.map((s, k) =>
    k === i ? { ...s, approvedBy: who.subject, approvedByName: who.name } : s,
  );
  const runs = r.analysisRuns;
  const next =
    r.pauseReason === 'INCONCLUSIVE'
      ? {
          stepIndex: i + 1,
          stepStates: stepStates.map((s, k) => (k === i ? { ...s, status: 'COMPLETED' as const, completedAt: at } : s)),
        }
      : { stepStates };
  const { pauseReason: _p, ...rest } = r;
  return {
    ...rest,
    ...next,
    analysisRuns: runs,
    phase: 'PROGRESSING',
    message,
    updatedAt: at,
    decisions: logDecision(r, at, 'APPROVE', message),
  };
}

export function requestAbort(r: Rollout, who: Person, reason: string, now: Date): Rollout {
  if (!reason.trim()) throw new RuleError('reason: say why the rollout is aborted', 'reason');
  const at = now.toISOString();
  if (r.phase === 'PROMOTED') {
    if (!r.warmUntil || Date.parse(r.warmUntil) <= now.getTime()) {
      const why = r.warmUntil ? `its rollback window closed at ${r.warmUntil}` : 'it kept no warm previous version';
      throw new RuleError(
        `rollout ${r.id} is PROMOTED and ${why}: roll ${r.stableImage} out as a new rollout instead`,
        'id',
      );
    }
    const message = `${who.name} rolled back the promoted ${r.image} inside its rollback window: ${reason}`;
    const { completedAt: _c, ...rest } = r;
    const bake =
      r.bake?.status === 'RUNNING'
        ? { bake: { ...r.bake, status: 'FAILED' as const, reason: message, endedAt: at } }
        : {};
    return {
      ...rest,
      ...bake,
      phase: 'ROLLING_BACK',
      rollback: {
        cause: 'ABORT',
        reason: `${who.name} aborted the rollout: ${reason}`,
        decidedAt: at,
        measurements: [],
        fast: true,
      },
      message,
      updatedAt: at,
      decisions: logDecision(r, at, 'ABORT', message),
    };
  }
  if (r.phase === 'ROLLED_BACK' || r.phase === 'ROLLING_BACK')
    throw new RuleError(`rollout ${r.id} is ${r.phase}: there is nothing left to abort`, 'id');
  const message = `${who.name} asked to abort: ${reason}`;
  // FAILED and STUCK rollouts are held, not driven; an abort puts them back in the loop to be rolled back.
  return {
    ...r,
    phase: r.phase === 'FAILED' || r.phase === 'STUCK' || r.phase === 'PAUSED' ? 'PROGRESSING' : r.phase,
    abortRequest: { by: who.subject, byName: who.name, reason, at },
    message,
    updatedAt: at,
    decisions: logDecision(r, at, 'ABORT', message),
  };
}

/** Retry: a paused analysis gets a fresh run; a rolled-back, failed or stuck rollout starts again from step 1. */
export function retry(r: Rollout, who: Person, now: Date): Rollout {
  const at = now.toISOString();
  if (r.phase === 'PAUSED' && r.pauseReason === 'INCONCLUSIVE') {
    const message = `${who.name} retried the analysis of step ${r.stepIndex + 1}`;
    const { pauseReason: _p, ...rest } = r;
    return {
      ...rest,
      phase: 'PROGRESSING',
      stepStates: r.stepStates.map((s, i) => (i === r.stepIndex ? { ...s, runId: undefined } : s)),
      message,
      updatedAt: at,
      decisions: logDecision(r, at, 'RETRY', message),
    };
  }
  if (r.phase === 'ROLLED_BACK' || r.phase === 'FAILED' || r.phase === 'STUCK') {
    const message = `${who.name} retried the rollout (attempt ${r.attempt + 1}) from step 1`;
    const {
      rollback: _r,
      abortRequest: _a,
      completedAt: _c,
      pauseReason: _p,
      promotion: _pr,
      hookResults: _h,
      alertAbort,
      bake: _b,
      ...rest
    } = r;
    const alertsSeen = alertAbort ? { alertsSeen: [...(r.alertsSeen ?? []), alertAbort.key].slice(-50) } : {};
    return {
      ...rest,
      ...alertsSeen,
      phase: 'PROGRESSING',
      attempt: r.attempt + 1,
      stepIndex: 0,
      weight: 0,
      stepStates: r.steps.map(() => ({ status: 'PENDING' })),
      message,
      updatedAt: at,
      decisions: logDecision(r, at, 'RETRY', message),
    };
  }
  throw new RuleError(
    `rollout ${r.id} is ${r.phase}${r.pauseReason ? ` (${r.pauseReason})` : ''}: retry applies to a rollout paused by inconclusive analysis, rolled back, failed or stuck`,
    'id',
  );
}

/** A newer rollout of the same Deployment started: the warm previous version is no longer this rollout's, so the bake ends. */
export function supersedeBake(r: Rollout, by: string, now: Date): Rollout {
  const at = now.toISOString();
  const message = bakeMessages.superseded(by);
  return {
    ...r,
    bake: { ...r.bake!, status: 'SUPERSEDED', reason: message, endedAt: at },
    warmUntil: at,
    message,
    updatedAt: at,
    decisions: logDecision(r, at, 'END_BAKE', message),
  };
}
