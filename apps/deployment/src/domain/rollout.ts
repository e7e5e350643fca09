import { DEFAULT_SCORING, validateMetric, type AnalysisRun, type MetricTemplate, type Scoring } from './analysis.js';
import type { Person } from '@flightdeck/auth';
import { RolloutRuleError } from './errors.js';
import { BUILT_IN_TEMPLATES, DEFAULT_TEMPLATES } from './templates.js';
import { count } from './words.js';

export type Strategy = 'CANARY' | 'ROLLING';

/**
 * PROGRESSING moves through the steps; PAUSED waits for a person (an approval, or a decision after inconclusive
 * analysis); PROMOTING and ROLLING_BACK are applying their change; PROMOTED and ROLLED_BACK are final; FAILED
 * (a roll-forward-only rollout whose analysis failed) and STUCK (no progress by the deadline, nothing undone) are
 * held for a person to retry or abort.
 */
export type Phase = 'PROGRESSING' | 'PAUSED' | 'PROMOTING' | 'ROLLING_BACK' | 'PROMOTED' | 'ROLLED_BACK' | 'FAILED' | 'STUCK';
export const PHASES: Phase[] = ['PROGRESSING', 'PAUSED', 'PROMOTING', 'ROLLING_BACK', 'PROMOTED', 'ROLLED_BACK', 'FAILED', 'STUCK'];
export const FINAL_PHASES: Phase[] = ['PROMOTED', 'ROLLED_BACK'];
/** Phases the controller drives on its own. */
export const ACTIVE_PHASES: Phase[] = ['PROGRESSING', 'PROMOTING', 'ROLLING_BACK', 'PAUSED'];
/** Phases the controller loop moves on every tick (a paused rollout waits for a person). */
export const DRIVEN_PHASES: Phase[] = ['PROGRESSING', 'PROMOTING', 'ROLLING_BACK'];

export type StepSpec =
  | { kind: 'SET_WEIGHT'; weight: number }
  /** Without seconds: wait for approveStep. */
  | { kind: 'PAUSE'; seconds?: number }
  | { kind: 'ANALYSIS'; templates: string[]; initialDelaySeconds?: number }
  /** Rolling strategy: the Deployment's own rolling update to the new image. */
  | { kind: 'ROLLING_UPDATE' };

export type StepStatus = 'PENDING' | 'RUNNING' | 'COMPLETED';

export interface StepState {
  status: StepStatus;
  startedAt?: string;
  /** When the step's change was applied to the cluster (weights, image): never applied twice. */
  appliedAt?: string;
  completedAt?: string;
  /** The approver's subject; `approvedByName` is their display name. */
  approvedBy?: string;
  approvedByName?: string;
  runId?: string;
}

export interface RolloutTargetRef {
  /** Kubeconfig context name; '' for the current one. */
  cluster: string;
  namespace: string;
  deployment: string;
  container: string;
}

/** REFUSED: the cluster refused a change for good (forbidden, gone, fields another manager applies, invalid). */
export type RollbackCause = 'ANALYSIS' | 'DEADLINE' | 'ABORT' | 'WEBHOOK' | 'REFUSED';

export type HookName = 'PRE_ROLLOUT' | 'PRE_PROMOTION' | 'POST_ROLLBACK';

/** Webhooks called with the rollout as JSON; a 2xx answer within the time-out lets the rollout go on. */
export interface Webhooks {
  preRollout?: string;
  prePromotion?: string;
  postRollback?: string;
  timeoutSeconds: number;
}

export interface HookResult {
  ok: boolean;
  /** HTTP status, or 0 when there was no answer. */
  status: number;
  detail: string;
  at: string;
}

export interface MeasurementNote {
  metric: string;
  value: number | null;
  phase: string;
  detail: string;
  query: string;
}

export interface Decision {
  at: string;
  action: string;
  message: string;
  measurements?: MeasurementNote[];
}

export interface Rollout {
  id: string;
  releaseId: string;
  environment: string;
  target: RolloutTargetRef;
  image: string;
  /** The image serving before the rollout, found on the Deployment at start. */
  stableImage: string;
  /** The stable Deployment's replica count at start; canary weights are shares of it. */
  totalReplicas: number;
  strategy: Strategy;
  steps: StepSpec[];
  stepStates: StepState[];
  /** The metric templates analysis steps refer to by name. */
  metrics: MetricTemplate[];
  scoring: Scoring;
  rollForwardOnly: boolean;
  progressDeadlineSeconds: number;
  phase: Phase;
  stepIndex: number;
  /** The canary's desired share of the replicas, 0 to 100. */
  weight: number;
  pauseReason?: 'APPROVAL' | 'INCONCLUSIVE';
  /** What the rollout is doing now, in a sentence: the last decision, or what it waits for. */
  message: string;
  /** What the rollout waits for, as last recorded: a wait is recorded again only when this changes. */
  waiting?: { reason: string; until?: string };
  rollback?: {
    cause: RollbackCause;
    reason: string;
    decidedAt: string;
    appliedAt?: string;
    measurements: MeasurementNote[];
    /** After promotion: the warm previous version scaled up, then the stable Deployment put back. */
    fast?: boolean;
    restoredAt?: string;
  };
  /** After promotion the previous version stays warm (scaled to 0 in the canary Deployment) until then. */
  rollbackWindowSeconds: number;
  warmUntil?: string;
  webhooks?: Webhooks;
  hookResults?: Partial<Record<HookName, HookResult>>;
  /** The post-deployment validation checklist, from promotion on. */
  validation?: import('./validation.js').ValidationCheck[];
  promotion?: { decidedAt: string; appliedAt?: string };
  /** `by` is the subject of whoever asked, `byName` their display name. */
  abortRequest?: { by: string; byName?: string; reason: string; at: string };
  analysisRuns: AnalysisRun[];
  decisions: Decision[];
  attempt: number;
  /** The subject of whoever started the rollout; `createdByName` is their display name. */
  createdBy: string;
  createdByName?: string;
  startedAt: string;
  updatedAt: string;
  completedAt?: string;
}

export interface RolloutRequest {
  id: string;
  releaseId: string;
  environment: string;
  target: RolloutTargetRef;
  image: string;
  strategy: Strategy;
  steps?: StepSpec[];
  /** Custom metric templates, added to (or replacing by name) the built-in ones. */
  metrics?: MetricTemplate[];
  analysisIntervalSeconds?: number;
  analysisCount?: number;
  scoring?: Scoring;
  rollForwardOnly?: boolean;
  progressDeadlineSeconds?: number;
  /** How long after promotion a rollback is a scale-up of the warm previous version; default 3600, 0 for none. */
  rollbackWindowSeconds?: number;
  webhooks?: Omit<Webhooks, 'timeoutSeconds'> & { timeoutSeconds?: number };
  /** Who starts the rollout: the subject is kept as `createdBy`, the display name as `createdByName`. */
  createdBy: Person;
}

export const DEFAULT_CANARY_STEPS: StepSpec[] = [
  { kind: 'SET_WEIGHT', weight: 10 },
  { kind: 'ANALYSIS', templates: DEFAULT_TEMPLATES },
  { kind: 'SET_WEIGHT', weight: 25 },
  { kind: 'ANALYSIS', templates: DEFAULT_TEMPLATES },
  { kind: 'SET_WEIGHT', weight: 50 },
  { kind: 'ANALYSIS', templates: DEFAULT_TEMPLATES },
  { kind: 'SET_WEIGHT', weight: 100 },
  { kind: 'ANALYSIS', templates: DEFAULT_TEMPLATES },
];

function resolveMetrics(req: RolloutRequest): MetricTemplate[] {
  const interval = req.analysisIntervalSeconds ?? 60;
  const count = req.analysisCount ?? 3;
  const byName = new Map<string, MetricTemplate>();
  for (const t of Object.values(BUILT_IN_TEMPLATES)) byName.set(t.name, { ...t, intervalSeconds: interval, count });
  for (const m of req.metrics ?? []) byName.set(m.name, m);
  return [...byName.values()];
}

function validateSteps(steps: StepSpec[], strategy: Strategy, metrics: MetricTemplate[]): void {
  if (steps.length === 0) throw new RolloutRuleError('steps: give at least one step', 'steps');
  if (steps.length > 50) throw new RolloutRuleError(`steps: ${steps.length} steps is too many; at most 50`, 'steps');
  const known = new Set(metrics.map((m) => m.name));
  steps.forEach((s, i) => {
    const where = `steps[${i}]`;
    if (strategy === 'ROLLING' && s.kind === 'SET_WEIGHT') throw new RolloutRuleError(`${where}: a rolling rollout has no weights; use the canary strategy for weighted steps`, where);
    if (strategy === 'CANARY' && s.kind === 'ROLLING_UPDATE') throw new RolloutRuleError(`${where}: ROLLING_UPDATE belongs to the rolling strategy`, where);
    if (s.kind === 'SET_WEIGHT' && !(Number.isInteger(s.weight) && s.weight >= 1 && s.weight <= 100)) throw new RolloutRuleError(`${where}.weight: ${s.weight} must be a whole percentage from 1 to 100`, `${where}.weight`);
    if (s.kind === 'PAUSE' && s.seconds !== undefined && !(s.seconds > 0 && s.seconds <= 86_400)) throw new RolloutRuleError(`${where}.seconds: ${s.seconds} must be above 0 and at most 86400; leave it out to wait for an approval`, `${where}.seconds`);
    if (s.kind === 'ANALYSIS') {
      if (s.templates.length === 0) throw new RolloutRuleError(`${where}.templates: name at least one template (built in: ${Object.keys(BUILT_IN_TEMPLATES).join(', ')})`, `${where}.templates`);
      for (const t of s.templates) if (!known.has(t)) throw new RolloutRuleError(`${where}.templates: "${t}" is no known template; known: ${[...known].join(', ')}`, `${where}.templates`);
    }
  });
  if (strategy === 'ROLLING' && steps[0]?.kind !== 'ROLLING_UPDATE') throw new RolloutRuleError('steps[0]: a rolling rollout starts with ROLLING_UPDATE', 'steps[0]');
}

export function defaultSteps(strategy: Strategy): StepSpec[] {
  return strategy === 'CANARY' ? DEFAULT_CANARY_STEPS : [{ kind: 'ROLLING_UPDATE' }, { kind: 'ANALYSIS', templates: DEFAULT_TEMPLATES }];
}

export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(colon + 1) : 'latest';
}

/** A new rollout, checked; `live` is what the Deployment runs now. */
export function createRollout(req: RolloutRequest, live: { image: string; replicas: number }, now: Date): Rollout {
  if (!/^[^\s]+$/.test(req.image) || req.image.length > 512) throw new RolloutRuleError(`image "${req.image}" is not an image reference such as registry/app:1.2.3`, 'image');
  if (req.image === live.image) throw new RolloutRuleError(`${req.target.namespace}/${req.target.deployment} already runs ${req.image}; nothing to roll out`, 'image');
  const metrics = resolveMetrics(req);
  metrics.forEach((m, i) => validateMetric(m, `metrics[${i}]`));
  const steps = req.steps?.length ? req.steps : defaultSteps(req.strategy);
  validateSteps(steps, req.strategy, metrics);
  const deadline = req.progressDeadlineSeconds ?? 600;
  if (!(deadline >= 1 && deadline <= 86_400)) throw new RolloutRuleError(`progressDeadlineSeconds: ${deadline} must be from 1 to 86400`, 'progressDeadlineSeconds');
  const window = req.rollbackWindowSeconds ?? 3600;
  if (!(window >= 0 && window <= 7 * 86_400)) throw new RolloutRuleError(`rollbackWindowSeconds: ${window} must be from 0 to 604800 (a week)`, 'rollbackWindowSeconds');
  let webhooks: Webhooks | undefined;
  if (req.webhooks) {
    const timeoutSeconds = req.webhooks.timeoutSeconds ?? 10;
    if (!(timeoutSeconds > 0 && timeoutSeconds <= 300)) throw new RolloutRuleError(`webhooks.timeoutSeconds: ${timeoutSeconds} must be above 0 and at most 300`, 'webhooks.timeoutSeconds');
    for (const key of ['preRollout', 'prePromotion', 'postRollback'] as const) {
      const url = req.webhooks[key];
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new RolloutRuleError(`webhooks.${key}: "${url}" is not an http(s) URL`, `webhooks.${key}`);
    }
    webhooks = { ...req.webhooks, timeoutSeconds };
  }
  const scoring = req.scoring ?? DEFAULT_SCORING;
  if (!(scoring.warning <= scoring.pass && scoring.pass <= 100 && scoring.warning >= 0)) throw new RolloutRuleError(`scoring: need 0 <= warning (${scoring.warning}) <= pass (${scoring.pass}) <= 100`, 'scoring');
  if (live.replicas < 1) throw new RolloutRuleError(`${req.target.namespace}/${req.target.deployment} has 0 replicas; scale it up before rolling out`, 'target');
  const at = now.toISOString();
  return {
    id: req.id,
    releaseId: req.releaseId,
    environment: req.environment,
    target: req.target,
    image: req.image,
    stableImage: live.image,
    totalReplicas: live.replicas,
    strategy: req.strategy,
    steps,
    stepStates: steps.map(() => ({ status: 'PENDING' })),
    metrics,
    scoring,
    rollForwardOnly: req.rollForwardOnly ?? false,
    progressDeadlineSeconds: deadline,
    rollbackWindowSeconds: req.strategy === 'CANARY' ? window : 0,
    ...(webhooks ? { webhooks } : {}),
    phase: 'PROGRESSING',
    stepIndex: 0,
    weight: 0,
    message: `rolling out ${req.image} to ${req.target.namespace}/${req.target.deployment} (now ${live.image}, ${count(live.replicas, 'replica')}) by ${req.strategy.toLowerCase()}`,
    analysisRuns: [],
    decisions: [{ at, action: 'START', message: `${req.createdBy.name} started rolling out ${req.image} over ${live.image} with ${count(steps.length, 'step')}` }],
    attempt: 1,
    createdBy: req.createdBy.subject,
    createdByName: req.createdBy.name,
    startedAt: at,
    updatedAt: at,
  };
}

export const canaryName = (r: Pick<Rollout, 'target'>) => `${r.target.deployment}-canary`;

/** Canary and stable replica counts for a canary weight: the canary gets at least one pod for any weight above 0. */
export function replicasFor(total: number, weight: number): { canary: number; stable: number } {
  if (weight <= 0) return { canary: 0, stable: total };
  const canary = Math.min(total, Math.max(1, Math.ceil((total * weight) / 100)));
  return { canary, stable: total - canary };
}

export const isFinal = (r: Pick<Rollout, 'phase'>) => FINAL_PHASES.includes(r.phase);
