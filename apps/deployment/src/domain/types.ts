// The deployment domain's data: what a rollout, its steps, analysis runs, measurements and checks are. The modules
// that act on them (analysis, rollout, decide, apply, health, validation, templates) import these and not each other's.

export type MeasurementPhase = 'SUCCESSFUL' | 'FAILED' | 'INCONCLUSIVE';

export type RunPhase = 'RUNNING' | 'SUCCESSFUL' | 'FAILED' | 'INCONCLUSIVE';

/** A metric of an analysis template, in the manner of an Argo Rollouts AnalysisTemplate metric. */
export interface MetricTemplate {
  name: string;
  /** PromQL with {{namespace}}, {{deployment}}, {{canary}}, {{canarySelector}}, {{stableSelector}}, {{interval}}. */
  query: string;
  successCondition?: string;
  failureCondition?: string;
  intervalSeconds: number;
  /** Measurements in a run; the run succeeds for this metric once all are taken without hitting a limit. */
  count: number;
  /** Failed measurements tolerated; one more fails the metric (0: the first failure does). */
  failureLimit: number;
  /** Inconclusive measurements tolerated; one more makes the metric inconclusive. */
  inconclusiveLimit: number;
  /** Weight in the run's score. */
  weight: number;
}

export interface Scoring {
  /** Score (0 to 100) at or above which a run passes. */
  pass: number;
  /** Score at or above which a run that did not pass is inconclusive (a person decides) rather than failed. */
  warning: number;
}

/** What a query returned: a number, or why there is none. */
export type QueryOutcome = { ok: true; value: number } | { ok: false; reason: string };

export interface Measurement {
  at: string;
  value: number | null;
  phase: MeasurementPhase;
  /** Why the measurement is inconclusive, or which condition decided it. */
  detail: string;
}

export interface MetricRun {
  name: string;
  /** The query as sent, variables filled in. */
  query: string;
  successCondition?: Condition;
  failureCondition?: Condition;
  intervalSeconds: number;
  count: number;
  failureLimit: number;
  inconclusiveLimit: number;
  weight: number;
  measurements: Measurement[];
  phase: RunPhase;
}

export interface AnalysisRun {
  id: string;
  stepIndex: number;
  startedAt: string;
  /** Wait before the first measurement, so the new pods have been scraped. */
  initialDelaySeconds: number;
  completedAt?: string;
  phase: RunPhase;
  score?: number;
  message?: string;
  scoring: Scoring;
  metrics: MetricRun[];
  /** What the advisor said once the run finished (recorded, never acted on). */
  advice?: HealthAdvice;
}

export type Strategy = 'CANARY' | 'ROLLING';

/**
 * PROGRESSING moves through the steps; PAUSED waits for a person (an approval, or a decision after inconclusive
 * analysis); PROMOTING and ROLLING_BACK are applying their change; PROMOTED and ROLLED_BACK are final; FAILED
 * (a roll-forward-only rollout whose analysis failed) and STUCK (no progress by the deadline, nothing undone) are
 * held for a person to retry or abort.
 */
export type Phase =
  'PROGRESSING' | 'PAUSED' | 'PROMOTING' | 'ROLLING_BACK' | 'PROMOTED' | 'ROLLED_BACK' | 'FAILED' | 'STUCK';

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

/**
 * REFUSED: the cluster refused a change for good (forbidden, gone, fields another manager applies, invalid);
 * ALERT: an Alertmanager alert the rollout named in `abortOnAlerts`; BAKE: analysis after promotion, inside the rollback window.
 */
export type RollbackCause = 'ANALYSIS' | 'DEADLINE' | 'ABORT' | 'WEBHOOK' | 'REFUSED' | 'ALERT' | 'BAKE';

export type AlertSeverity = 'INFO' | 'WARNING' | 'CRITICAL';

/** Which alerts abort a rollout: every matcher (Alertmanager syntax, e.g. `alertname="HighErrorRate"`) holds and the severity is at least `minSeverity`. */
export interface AlertAbortSpec {
  matchers: string[];
  minSeverity: AlertSeverity;
}

/** The alert that aborted a rollout, as received. */
export interface AlertCause {
  /** The alert occurrence: fingerprint and start time. */
  key: string;
  alertname: string;
  severity: AlertSeverity;
  labels: Record<string, string>;
  startsAt: string;
  receivedAt: string;
}

/**
 * Analysis after promotion, while the previous version is warm: RUNNING until the window ends (PASSED), a failure
 * (FAILED: rolled back to the warm version; HALTED: roll-forward-only, nothing undone), or a newer rollout of the
 * same Deployment took over (SUPERSEDED).
 */
export interface Bake {
  status: 'RUNNING' | 'PASSED' | 'FAILED' | 'HALTED' | 'SUPERSEDED';
  templates: string[];
  runId?: string;
  /** Analysis runs started during the bake. */
  runs: number;
  reason?: string;
  endedAt?: string;
}

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
  /** Alerts that roll the rollout back at once (see alerts.ts). */
  abortOnAlerts?: AlertAbortSpec;
  /** The matching alert received, waiting for (or recorded as the cause of) the rollback. */
  alertAbort?: AlertCause;
  /** Alerts that acted on an earlier attempt: their repeats change nothing. */
  alertsSeen?: string[];
  /** What the bake analyses after promotion (empty: no bake). */
  bakeTemplates?: string[];
  /** The post-promotion bake, from promotion to the end of the rollback window. */
  bake?: Bake;
  hookResults?: Partial<Record<HookName, HookResult>>;
  /** The post-deployment validation checklist, from promotion on. */
  validation?: ValidationCheck[];
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

export type HealthRecommendation = 'PROMOTE' | 'HOLD' | 'ROLLBACK';

/** What the advisor said about a finished analysis run. It is recorded and shown; it never changes the verdict. */
export interface HealthAdvice {
  recommendation: HealthRecommendation;
  rationale: string;
  source: 'AI' | 'DETERMINISTIC';
  confidence: number;
  predictionId: string;
  fallbackReason?: string;
}

export type CheckWindow = 'IMMEDIATE' | 'EXTENDED' | 'BUSINESS';

export type CheckStatus = 'PENDING' | 'PASSED' | 'FAILED';

export interface ValidationCheck {
  id: string;
  title: string;
  /** IMMEDIATE: within 2 h of promotion; EXTENDED: within 8 h; BUSINESS: within 24 h. */
  window: CheckWindow;
  dueAt: string;
  status: CheckStatus;
  /** The subject of whoever recorded the check; `byName` is their display name. */
  by?: string;
  byName?: string;
  at?: string;
  note?: string;
}

export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** `result <op> threshold`, e.g. `result >= 0.95`; several joined by `&&` must all hold, by `||` one must. */
export interface Condition {
  text: string;
  clauses: { op: Comparator; threshold: number }[];
  join: 'and' | 'or';
}
