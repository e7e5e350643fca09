import type { CloudEvent } from '@flightdeck/events';
import type { Effect, HookResult, Observation, Phase, QueryOutcome, Rollout, RolloutTargetRef } from '../domain/index.js';

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
  /** Rollouts the controller drives (not final, not held). */
  active(): Promise<StoredRollout[]>;
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
