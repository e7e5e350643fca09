import { count, type Person, RuleError } from '@flightdeck/kernel';
import { validateAlertSpec } from './alerts.js';
import { FINAL_PHASES } from './phases.js';
import { DEFAULT_SCORING, validateMetric } from './analysis.js';
import { BUILT_IN_TEMPLATES, DEFAULT_TEMPLATES } from './templates.js';
import type {
  AlertAbortSpec,
  MetricTemplate,
  Rollout,
  RolloutTargetRef,
  Scoring,
  StepSpec,
  Strategy,
  Webhooks,
} from './types.js';

export * from './phases.js';

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
  /** Alerts that roll the rollout back at once; minSeverity defaults to WARNING. */
  abortOnAlerts?: Omit<AlertAbortSpec, 'minSeverity'> & { minSeverity?: AlertAbortSpec['minSeverity'] };
  /** Templates the bake analyses after promotion; default: the last analysis step's, without those comparing with the stable version. */
  bakeTemplates?: string[];
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
  if (steps.length === 0) throw new RuleError('steps: give at least one step', 'steps');
  if (steps.length > 50) throw new RuleError(`steps: ${steps.length} steps is too many; at most 50`, 'steps');
  const known = new Set(metrics.map((m) => m.name));
  steps.forEach((s, i) => {
    const where = `steps[${i}]`;
    if (strategy === 'ROLLING' && s.kind === 'SET_WEIGHT')
      throw new RuleError(
        `${where}: a rolling rollout has no weights; use the canary strategy for weighted steps`,
        where,
      );
    if (strategy === 'CANARY' && s.kind === 'ROLLING_UPDATE')
      throw new RuleError(`${where}: ROLLING_UPDATE belongs to the rolling strategy`, where);
    if (s.kind === 'SET_WEIGHT' && !(Number.isInteger(s.weight) && s.weight >= 1 && s.weight <= 100))
      throw new RuleError(`${where}.weight: ${s.weight} must be a whole percentage from 1 to 100`, `${where}.weight`);
    if (s.kind === 'PAUSE' && s.seconds !== undefined && !(s.seconds > 0 && s.seconds <= 86_400))
      throw new RuleError(
        `${where}.seconds: ${s.seconds} must be above 0 and at most 86400; leave it out to wait for an approval`,
        `${where}.seconds`,
      );
    if (s.kind === 'ANALYSIS') {
      if (s.templates.length === 0)
        throw new RuleError(
          `${where}.templates: name at least one template (built in: ${Object.keys(BUILT_IN_TEMPLATES).join(', ')})`,
          `${where}.templates`,
        );
      for (const t of s.templates)
        if (!known.has(t))
          throw new RuleError(
            `${where}.templates: "${t}" is no known template; known: ${[...known].join(', ')}`,
            `${where}.templates`,
          );
    }
  });
  if (strategy === 'ROLLING' && steps[0]?.kind !== 'ROLLING_UPDATE')
    throw new RuleError('steps[0]: a rolling rollout starts with ROLLING_UPDATE', 'steps[0]');
}

export function defaultSteps(strategy: Strategy): StepSpec[] {
  return strategy === 'CANARY'
    ? DEFAULT_CANARY_STEPS
    : [{ kind: 'ROLLING_UPDATE' }, { kind: 'ANALYSIS', templates: DEFAULT_TEMPLATES }];
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
  if (!/^[^\s]+$/.test(req.image) || req.image.length > 512)
    throw new RuleError(`image "${req.image}" is not an image reference such as registry/app:1.2.3`, 'image');
  if (req.image === live.image)
    throw new RuleError(
      `${req.target.namespace}/${req.target.deployment} already runs ${req.image}; nothing to roll out`,
      'image',
    );
  const metrics = resolveMetrics(req);
  metrics.forEach((m, i) => validateMetric(m, `metrics[${i}]`));
  const steps = req.steps?.length ? req.steps : defaultSteps(req.strategy);
  validateSteps(steps, req.strategy, metrics);
  const deadline = req.progressDeadlineSeconds ?? 600;
  if (!(deadline >= 1 && deadline <= 86_400))
    throw new RuleError(`progressDeadlineSeconds: ${deadline} must be from 1 to 86400`, 'progressDeadlineSeconds');
  const window = req.rollbackWindowSeconds ?? 3600;
  if (!(window >= 0 && window <= 7 * 86_400))
    throw new RuleError(`rollbackWindowSeconds: ${window} must be from 0 to 604800 (a week)`, 'rollbackWindowSeconds');
  let webhooks: Webhooks | undefined;
  if (req.webhooks) {
    const timeoutSeconds = req.webhooks.timeoutSeconds ?? 10;
    if (!(timeoutSeconds > 0 && timeoutSeconds <= 300))
      throw new RuleError(
        `webhooks.timeoutSeconds: ${timeoutSeconds} must be above 0 and at most 300`,
        'webhooks.timeoutSeconds',
      );
    for (const key of ['preRollout', 'prePromotion', 'postRollback'] as const) {
      const url = req.webhooks[key];
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url))
        throw new RuleError(`webhooks.${key}: "${url}" is not an http(s) URL`, `webhooks.${key}`);
    }
    webhooks = { ...req.webhooks, timeoutSeconds };
  }
  const abortOnAlerts = req.abortOnAlerts
    ? validateAlertSpec({
        matchers: req.abortOnAlerts.matchers,
        minSeverity: req.abortOnAlerts.minSeverity ?? 'WARNING',
      })
    : undefined;
  const bakeTemplates = req.bakeTemplates ?? bakeTemplatesFrom(steps, metrics);
  const known = new Set(metrics.map((m) => m.name));
  bakeTemplates.forEach((t, i) => {
    if (!known.has(t))
      throw new RuleError(
        `bakeTemplates[${i}]: "${t}" is no known template; known: ${[...known].join(', ')}`,
        `bakeTemplates[${i}]`,
      );
  });
  const scoring = req.scoring ?? DEFAULT_SCORING;
  if (!(scoring.warning <= scoring.pass && scoring.pass <= 100 && scoring.warning >= 0))
    throw new RuleError(`scoring: need 0 <= warning (${scoring.warning}) <= pass (${scoring.pass}) <= 100`, 'scoring');
  if (live.replicas < 1)
    throw new RuleError(
      `${req.target.namespace}/${req.target.deployment} has 0 replicas; scale it up before rolling out`,
      'target',
    );
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
    ...(abortOnAlerts ? { abortOnAlerts } : {}),
    bakeTemplates,
    phase: 'PROGRESSING',
    stepIndex: 0,
    weight: 0,
    message: `rolling out ${req.image} to ${req.target.namespace}/${req.target.deployment} (now ${live.image}, ${count(live.replicas, 'replica')}) by ${req.strategy.toLowerCase()}`,
    analysisRuns: [],
    decisions: [
      {
        at,
        action: 'START',
        message: `${req.createdBy.name} started rolling out ${req.image} over ${live.image} with ${count(steps.length, 'step')}`,
      },
    ],
    attempt: 1,
    createdBy: req.createdBy.subject,
    createdByName: req.createdBy.name,
    startedAt: at,
    updatedAt: at,
  };
}

/** The last analysis step's templates (the defaults without one), leaving out those that compare with the stable version: after promotion it is the warm one, at 0 replicas. */
function bakeTemplatesFrom(steps: StepSpec[], metrics: MetricTemplate[]): string[] {
  const last = steps.filter((s): s is Extract<StepSpec, { kind: 'ANALYSIS' }> => s.kind === 'ANALYSIS').at(-1);
  const names = last?.templates ?? DEFAULT_TEMPLATES;
  return names.filter((n) => !metrics.find((m) => m.name === n)?.query.includes('stableSelector'));
}

/** Canary and stable replica counts for a canary weight: the canary gets at least one pod for any weight above 0. */
export function replicasFor(total: number, weight: number): { canary: number; stable: number } {
  if (weight <= 0) return { canary: 0, stable: total };
  const canary = Math.min(total, Math.max(1, Math.ceil((total * weight) / 100)));
  return { canary, stable: total - canary };
}

export const isFinal = (r: Pick<Rollout, 'phase'>) => FINAL_PHASES.includes(r.phase);
