import { count, type Person, RuleError } from '@flightdeck/kernel';
import { createRollout, defaultSteps } from '../rollout.js';
import type { Decision, Rollout, StepSpec } from '../types.js';
import type { ReleaseRollout, ReleaseRolloutPhase, StartMode, WorkloadSpec } from './types.js';
import { wavesOf } from './waves.js';

export const RELEASE_PHASES: ReleaseRolloutPhase[] = [
  'PROGRESSING',
  'PAUSED',
  'PROMOTING',
  'ROLLING_BACK',
  'PROMOTED',
  'ROLLED_BACK',
  'FAILED',
];
export const RELEASE_FINAL_PHASES: ReleaseRolloutPhase[] = ['PROMOTED', 'ROLLED_BACK', 'FAILED'];
/** Phases the controller looks at on every tick (a paused release still rolls back when a workload fails). */
export const RELEASE_DRIVEN_PHASES: ReleaseRolloutPhase[] = ['PROGRESSING', 'PAUSED', 'PROMOTING', 'ROLLING_BACK'];

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface ReleaseRolloutRequest {
  id: string;
  releaseId: string;
  environment: string;
  mode: StartMode;
  autoPromote?: boolean;
  workloads: { name?: string; dependsOn?: string[]; rollout: WorkloadSpec['rollout'] }[];
  createdBy: Person;
}

/** The id of a workload's child rollout: the same for the same release rollout, workload and attempt, so creating it twice is caught. */
export const childRolloutId = (r: Pick<ReleaseRollout, 'id' | 'attempt'>, workload: string) =>
  `${r.id}.${workload}.${r.attempt}`;

/** The step every child rollout ends on: it waits there until the release promotes all workloads together. */
export const RELEASE_HOLD: StepSpec = { kind: 'PAUSE' };

/** The child's steps: its own (or its strategy's default) and the release's hold before promotion. */
export const childSteps = (spec: WorkloadSpec): StepSpec[] => [
  ...(spec.rollout.steps?.length ? spec.rollout.steps : defaultSteps(spec.rollout.strategy)),
  RELEASE_HOLD,
];

/** The child rollout ready to promote: paused at the release's hold, its last step. */
export const isHeld = (c: Rollout) =>
  c.phase === 'PAUSED' && c.stepIndex === c.steps.length - 1 && c.steps.at(-1)?.kind === 'PAUSE';

/** A workload's child rollout, checked like any rollout; `live` is what its Deployment runs now. */
export function childRollout(
  r: ReleaseRollout,
  spec: WorkloadSpec,
  live: { image: string; replicas: number },
  now: Date,
): Rollout {
  return createRollout(
    {
      ...spec.rollout,
      steps: childSteps(spec),
      id: childRolloutId(r, spec.name),
      releaseId: r.releaseId,
      environment: r.environment,
      createdBy: { subject: r.createdBy, name: r.createdByName ?? r.createdBy },
    },
    live,
    now,
  );
}

/** Checks the workloads (names, dependencies, each child's rollout against what its Deployment runs) and builds the release rollout. */
export function createReleaseRollout(
  req: ReleaseRolloutRequest,
  live: (spec: WorkloadSpec) => { image: string; replicas: number },
  now: Date,
): ReleaseRollout {
  if (!req.workloads.length) throw new RuleError('workloads: give at least one workload of the release', 'workloads');
  if (req.workloads.length > 50)
    throw new RuleError(`workloads: ${req.workloads.length} workloads is too many; at most 50`, 'workloads');
  if (req.workloads.some((w) => w.rollout.rollForwardOnly)) {
    throw new RuleError(
      'workloads: a roll-forward-only workload cannot be part of a release-wide rollout, which rolls every workload back when one fails; roll it out on its own',
      'workloads',
    );
  }
  const workloads: WorkloadSpec[] = req.workloads.map((w, i) => {
    const name = w.name ?? w.rollout.target.deployment;
    if (!NAME.test(name))
      throw new RuleError(
        `workloads[${i}].name: "${name}" must be a DNS label (lower-case letters, digits and '-', at most 63)`,
        `workloads[${i}].name`,
      );
    return { name, dependsOn: [...new Set(w.dependsOn ?? [])], rollout: w.rollout };
  });
  const seen = new Set<string>();
  const targets = new Set<string>();
  workloads.forEach((w, i) => {
    if (seen.has(w.name))
      throw new RuleError(
        `workloads[${i}].name: "${w.name}" is named twice; give each workload its own name`,
        `workloads[${i}].name`,
      );
    seen.add(w.name);
    const t = w.rollout.target;
    const key = `${t.cluster}/${t.namespace}/${t.deployment}`;
    if (targets.has(key))
      throw new RuleError(
        `workloads[${i}].target: ${t.namespace}/${t.deployment} is rolled out by another workload of this release`,
        `workloads[${i}].target`,
      );
    targets.add(key);
  });
  const waves = wavesOf(workloads);
  const at = now.toISOString();
  const draft: ReleaseRollout = {
    id: req.id,
    releaseId: req.releaseId,
    environment: req.environment,
    mode: req.mode,
    autoPromote: req.autoPromote ?? true,
    workloads,
    waves,
    progress: waves.flatMap((names, wave) => names.map((name) => ({ name, wave }))),
    phase: 'PROGRESSING',
    wavesStarted: 0,
    message: '',
    decisions: [],
    attempt: 1,
    createdBy: req.createdBy.subject,
    createdByName: req.createdBy.name,
    startedAt: at,
    updatedAt: at,
  };
  // Every child is checked now, so a bad workload refuses the release before anything moves.
  workloads.forEach((w, i) => {
    try {
      childRollout(draft, w, live(w), now);
    } catch (err) {
      if (err instanceof RuleError)
        throw new RuleError(`workloads[${i}] (${w.name}): ${err.message}`, `workloads[${i}].${err.field ?? 'rollout'}`);
      throw err;
    }
  });
  const order =
    req.mode === 'TOGETHER'
      ? 'all at once'
      : `in ${count(waves.length, 'wave')}: ${waves.map((w) => w.join(' + ')).join(', then ')}`;
  const message = `${req.createdBy.name} started rolling out release ${req.releaseId} to ${count(workloads.length, 'workload')} ${order}`;
  return { ...draft, message, decisions: [{ at, action: 'START', message }] };
}

export const isReleaseFinal = (r: Pick<ReleaseRollout, 'phase'>) => RELEASE_FINAL_PHASES.includes(r.phase);

const MAX_DECISIONS = 300;
export function logReleaseDecision(
  r: ReleaseRollout,
  at: string,
  action: string,
  message: string,
  extra: Omit<Decision, 'at' | 'action' | 'message'> = {},
): Decision[] {
  return [...r.decisions, { at, action, message, ...extra }].slice(-MAX_DECISIONS);
}

/** Promote-all: every paused workload goes on, and the release is promoted as soon as every workload is ready. */
export function requestPromoteAll(r: ReleaseRollout, who: Person, now: Date): ReleaseRollout {
  if (r.phase !== 'PROGRESSING' && r.phase !== 'PAUSED')
    throw new RuleError(
      `release rollout ${r.id} is ${r.phase}: promote-all applies while it progresses or is paused`,
      'id',
    );
  if (r.abortRequest)
    throw new RuleError(`release rollout ${r.id} is being aborted: there is nothing to promote`, 'id');
  const at = now.toISOString();
  const message = `${who.name} asked to promote all workloads: every paused workload goes on, and the release is promoted once all are ready`;
  const { pauseReason: _p, waiting: _w, ...rest } = r;
  return {
    ...rest,
    phase: 'PROGRESSING',
    promoteRequest: { by: who.subject, byName: who.name, at },
    message,
    updatedAt: at,
    decisions: logReleaseDecision(r, at, 'PROMOTE_ALL', message),
  };
}

/** Pause-all: no further wave starts and nothing is promoted until a person resumes (retry) or promotes; failures still roll back. */
export function requestPauseAll(r: ReleaseRollout, who: Person, reason: string, now: Date): ReleaseRollout {
  if (r.phase !== 'PROGRESSING')
    throw new RuleError(
      `release rollout ${r.id} is ${r.phase}${r.pauseReason ? ` (${r.pauseReason})` : ''}: pause-all applies while it progresses`,
      'id',
    );
  const at = now.toISOString();
  const message = `${who.name} paused the release rollout${reason.trim() ? `: ${reason.trim()}` : ''}; no further wave starts and nothing is promoted until it is resumed (retry) or promoted`;
  const { promoteRequest: _p, waiting: _w, ...rest } = r;
  return {
    ...rest,
    phase: 'PAUSED',
    pauseReason: 'PERSON',
    message,
    updatedAt: at,
    decisions: logReleaseDecision(r, at, 'PAUSE_ALL', message),
  };
}

/** Abort-all: every workload that moved is rolled back, in reverse dependency order. */
export function requestAbortAll(r: ReleaseRollout, who: Person, reason: string, now: Date): ReleaseRollout {
  if (!reason.trim()) throw new RuleError('reason: say why the release rollout is aborted', 'reason');
  if (r.phase === 'ROLLING_BACK' || r.phase === 'ROLLED_BACK' || r.phase === 'FAILED')
    throw new RuleError(`release rollout ${r.id} is ${r.phase}: there is nothing left to abort`, 'id');
  const at = now.toISOString();
  const message = `${who.name} asked to abort the release rollout: ${reason.trim()}`;
  const { pauseReason: _p, completedAt: _c, waiting: _w, ...rest } = r;
  return {
    ...rest,
    phase: 'PROGRESSING',
    abortRequest: { by: who.subject, byName: who.name, reason: reason.trim(), at },
    message,
    updatedAt: at,
    decisions: logReleaseDecision(r, at, 'ABORT_ALL', message),
  };
}

/** Retry: a paused release resumes; a rolled-back or failed one starts again from the first wave with new child rollouts. */
export function retryRelease(r: ReleaseRollout, who: Person, now: Date): ReleaseRollout {
  const at = now.toISOString();
  if (r.phase === 'PAUSED') {
    const message = `${who.name} resumed the release rollout`;
    const { pauseReason: _p, waiting: _w, ...rest } = r;
    return {
      ...rest,
      phase: 'PROGRESSING',
      message,
      updatedAt: at,
      decisions: logReleaseDecision(r, at, 'RESUME', message),
    };
  }
  if (r.phase === 'ROLLED_BACK' || r.phase === 'FAILED') {
    const message = `${who.name} retried the release rollout (attempt ${r.attempt + 1}) from the first wave`;
    const {
      failure: _f,
      abortRequest: _a,
      promoteRequest: _p,
      completedAt: _c,
      pauseReason: _r,
      waiting: _w,
      ...rest
    } = r;
    return {
      ...rest,
      phase: 'PROGRESSING',
      attempt: r.attempt + 1,
      wavesStarted: 0,
      progress: r.progress.map((p) => ({ name: p.name, wave: p.wave })),
      message,
      updatedAt: at,
      decisions: logReleaseDecision(r, at, 'RETRY', message),
    };
  }
  throw new RuleError(
    `release rollout ${r.id} is ${r.phase}: retry resumes a paused release rollout, or restarts a rolled-back or failed one`,
    'id',
  );
}

/** Share of the workloads ready to promote (held at the release's hold) or promoted, 0 to 1, as the controller last saw them. */
export function releaseProgress(r: ReleaseRollout): number {
  if (!r.workloads.length) return 0;
  return r.progress.filter((p) => p.ready).length / r.workloads.length;
}
