import type { CloudEvent } from '@flightdeck/events';
import type { EntityKind, FactUpdate, IncidentRecord, ReleaseRecord, RolloutRecord } from '../domain/facts.js';
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

/** A record whose facts changed, with the header fields that say which partition (product) it belongs to. */
export interface ChangedRecord {
  entity: EntityKind;
  id: string;
  product?: string;
  releaseId?: string;
  workload?: string;
  rolloutId?: string;
  /** A rollout's namespace. */
  team?: string;
}

/** The header fields a ChangedRecord carries. */
export const CHANGE_FIELDS = ['product', 'releaseId', 'workload', 'rolloutId', 'team'] as const;

/** The ChangedRecord of a stored record: the string-valued CHANGE_FIELDS of its header. */
export function changedRecordOf(entity: EntityKind, id: string, header: Record<string, unknown>): ChangedRecord {
  const record: ChangedRecord = { entity, id };
  for (const field of CHANGE_FIELDS) {
    const value = header[field];
    if (typeof value === 'string' && value) record[field] = value;
  }
  return record;
}

/** Where a reader of changes is; opaque to it. */
export type ChangeCursor = unknown;

/** The read models built from events: adding a fact is idempotent and commutative (see domain/facts.ts). */
export interface ProjectionStore {
  /** Adds the fact; `outbox` events are stored by the same write and published afterwards (analytics' own events). */
  apply(update: FactUpdate, outbox?: CloudEvent[]): Promise<void>;
  /** What the metrics of a product need (its releases, their rollouts, the incidents of it or its workloads), or everything. */
  load(product?: string): Promise<ProjectionRecords>;
  /**
   * Records of no known product (see domain/partitions.ts): with a namespace, the rollouts in it whose release is
   * not known to carry a product and the unattributed incidents on its workloads; without one, releases without a
   * product, rollouts with no namespace yet and unattributed incidents on no workload.
   */
  loadUnattributed(namespace?: string): Promise<ProjectionRecords>;
  /**
   * The namespaces that have rollouts of no known product, or incidents of none on workloads that no known
   * product deployed (`deployedByAProduct` says which): the partitions loadUnattributed serves.
   */
  unattributedNamespaces(deployedByAProduct: (workload: string) => boolean): Promise<string[]>;
  /**
   * The records changed since the cursor (possibly some seen before, never one missed), and the next cursor.
   * Without a cursor: no changes and a cursor at the present, to start from after reading everything.
   * `everything`: the store cannot tell what changed (it was emptied since), so every partition may differ.
   */
  changesSince(
    cursor: ChangeCursor | undefined,
  ): Promise<{ cursor: ChangeCursor; changes: ChangedRecord[]; everything?: boolean }>;
  release(id: string): Promise<ReleaseRecord | undefined>;
  incident(id: string): Promise<IncidentRecord | undefined>;
  products(): Promise<string[]>;
  /** Empties the projections, before a replay. */
  clear(): Promise<void>;
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

/** Who asks, from the token: `by` is the subject (the identity key), `byName` the display name. */
export interface RequestMeta {
  by: string;
  byName?: string;
  correlationId?: string;
}
