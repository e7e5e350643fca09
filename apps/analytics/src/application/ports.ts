import type { CloudEvent } from '@flightdeck/events';
import type { FactUpdate, IncidentRecord, ReleaseRecord, RolloutRecord } from '../domain/facts.js';
import type { Retrospective } from '../domain/retrospective.js';

export interface Clock {
  now(): Date;
}
export type IdGenerator = () => string;

export interface ProjectionRecords {
  releases: ReleaseRecord[];
  rollouts: RolloutRecord[];
  incidents: IncidentRecord[];
}

/** The read models built from events: adding a fact is idempotent and commutative (see domain/facts.ts). */
export interface ProjectionStore {
  /** Adds the fact; `outbox` events are stored by the same write and published afterwards (analytics' own events). */
  apply(update: FactUpdate, outbox?: CloudEvent[]): Promise<void>;
  /** What the metrics of a product need (its releases, their rollouts, its incidents), or everything. */
  load(product?: string): Promise<ProjectionRecords>;
  release(id: string): Promise<ReleaseRecord | undefined>;
  incident(id: string): Promise<IncidentRecord | undefined>;
  products(): Promise<string[]>;
  /** Empties the projections, before a replay. */
  clear(): Promise<void>;
  /** A number that changes whenever the projections change, when the store can tell (one process owns them); lets readers cache. */
  revision?(): number;
}

export interface StoredRetrospective {
  retrospective: Retrospective;
  revision: number;
}

export interface RetrospectiveStore {
  find(releaseId: string): Promise<StoredRetrospective | undefined>;
  /** Creates it unless one exists for the release; returns what is stored either way. */
  create(retrospective: Retrospective): Promise<StoredRetrospective>;
  /** Saves at the expected revision (ConflictError otherwise), with events for the outbox. */
  save(retrospective: Retrospective, expectedRevision: number, outbox?: CloudEvent[]): Promise<StoredRetrospective>;
  /** Open retrospectives and action items, to find the overdue ones. */
  open(): Promise<StoredRetrospective[]>;
}

export interface RequestMeta {
  by: string;
  correlationId?: string;
}
