import type { CloudEvent } from '@flightdeck/events';
import type {
  Effect,
  Happening,
  HookResult,
  Observation,
  Phase,
  QueryOutcome,
  Rollout,
  RolloutTargetRef,
} from '../domain/index.js';

/** A metrics backend (Prometheus first): one instant query, a number or why there is none. */
export interface MetricProvider {
  readonly name: string;
  runQuery(query: string, signal?: AbortSignal): Promise<QueryOutcome>;
  isOnline(): Promise<boolean>;
}

/**
 * The workload a rollout changes (a Kubernetes Deployment and its canary first). Every effect is idempotent, and
 * all or nothing of it is applied. When the cluster refuses for good it throws a TargetRefusedError
 * (target-errors.ts: forbidden, not found, conflict, invalid); any other error passes and is tried again.
 */
export interface RolloutTarget {
  /** What the Deployment runs now; undefined when it does not exist. */
  live(ref: RolloutTargetRef): Promise<{ image: string; replicas: number } | undefined>;
  observe(rollout: Rollout): Promise<Observation>;
  apply(rollout: Rollout, effect: Effect): Promise<void>;
}

/** Where rollout decisions are said out loud besides events: the log, a chat hook. */
export interface Notifier {
  notify(rollout: Rollout, kind: string, message: string, details?: Record<string, unknown>): void;
}

export interface StoredRollout {
  rollout: Rollout;
  revision: number;
}

export interface RolloutFilter {
  releaseId?: string;
  phase?: Phase[];
  environment?: string;
  namespace?: string;
}

export interface PageRequest {
  first?: number;
  after?: string;
}

export interface RolloutPage {
  edges: { node: StoredRollout; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount(): Promise<number>;
}

export interface RolloutRepository {
  insert(rollout: Rollout, events: CloudEvent[]): Promise<StoredRollout>;
  /** Saves the state and its events in one write if still at `revision`; throws ConflictError otherwise. */
  save(rollout: Rollout, revision: number, events: CloudEvent[]): Promise<StoredRollout>;
  get(id: string): Promise<StoredRollout | undefined>;
  /** Rollouts the controller drives (not final, not held, or promoted and baking). */
  active(): Promise<StoredRollout[]>;
  /** Rollouts an alert can still act on: they name `abortOnAlerts` and are under way or baking. */
  watchingAlerts(): Promise<StoredRollout[]>;
  /** The promoted rollout of this Deployment whose bake still runs, if any. */
  bakingFor(target: RolloutTargetRef): Promise<StoredRollout | undefined>;
  /** A rollout of the same Deployment that is not final yet. */
  unfinishedFor(target: RolloutTargetRef): Promise<StoredRollout | undefined>;
  list(filter: RolloutFilter, page: PageRequest): Promise<RolloutPage>;
  /** Rollouts not final yet (driven or held), and final ones completed at `since` or later: what the metrics show. */
  unfinishedOrCompletedSince(since: Date): Promise<StoredRollout[]>;
}

/** Whether a release may go to production, known from gates events. */
export interface ReleaseClearance {
  clearance(releaseId: string): Promise<{ cleared: boolean; reason: string }>;
}

/** Where gates' evaluations are kept as they arrive (what ReleaseClearance answers from). */
export interface GateOutcomes {
  /** Keeps a gate's latest evaluation of a release; an earlier or repeated one changes nothing. */
  record(releaseId: string, gate: string, outcome: string, evaluationId: string, at: string): Promise<void>;
}

/** What SREs see of rollouts on /metrics (Prometheus first). */
export interface RolloutMetrics {
  /** The rollout after one of the leader's decisions, and what happened in it. */
  decided(rollout: Rollout, happenings: Happening[]): void;
  /** How long one controller action (a cluster change, queries, a webhook) took. */
  actionTook(action: string, seconds: number): void;
  /** One alert looked at for one rollout: it matched (the rollout rolls back) or was ignored. */
  alertReceived(result: 'matched' | 'ignored'): void;
}

export interface Clock {
  now(): Date;
}

/** Only the leader drives rollouts. */
export interface Leadership {
  isLeader(): boolean;
}

export type IdGenerator = () => string;

/** Calls a rollout's webhooks (pre-rollout, pre-promotion, post-rollback). */
export interface WebhookCaller {
  call(url: string, payload: unknown, timeoutMs: number): Promise<HookResult>;
}

/** Wakes the controller of whichever replica leads, at once, rather than at its next tick. */
export interface LeaderWake {
  /** Tells every replica (this one included) to act on this rollout now; the leader does. */
  announce(rolloutId: string): void;
}
