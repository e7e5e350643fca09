import type { CloudEvent } from '@flightdeck/events';
import type { Role } from '@flightdeck/kernel';
import type {
  Approval,
  ChecklistTick,
  Evaluation,
  Evidence,
  GateDefinition,
  ReadinessBaseline,
} from '../domain/index.js';

export interface Clock {
  now(): Date;
}

export type IdGenerator = () => string;

/** Who is acting: from the verified token. */
export interface Actor {
  /** The token's subject: the identity key every rule compares and every record keeps. */
  subject: string;
  /** The display name, kept beside the subject where people are shown; never compared. */
  name?: string;
  roles: Role[];
  machine: boolean;
  correlationId?: string;
}

export type AuditAction =
  | 'GATE_DEFINED'
  | 'EVIDENCE_SUBMITTED'
  | 'GATE_EVALUATED'
  | 'GATE_OVERRIDDEN'
  | 'APPROVAL_GRANTED'
  | 'APPROVAL_WITHDRAWN'
  | 'CHECKLIST_TICKED'
  | 'READINESS_ASSESSED'
  | 'GATE_VALIDATED';

/** One line of the append-only audit trail: who did what, when, and why. */
export interface AuditEntry {
  id: string;
  at: Date;
  by: string;
  byName?: string;
  action: AuditAction;
  product: string;
  releaseId?: string;
  gate?: string;
  what: string;
  why?: string;
}

/** Everything about one gate of one release: its evidence, ticks, approvals, evaluations (newest last) and audit lines. */
export interface GateState {
  releaseId: string;
  gate: string;
  product: string;
  evidence: Evidence[];
  ticks: ChecklistTick[];
  approvals: Approval[];
  evaluations: Evaluation[];
  passedAt?: Date;
  audit: AuditEntry[];
}

export interface StoredGateState {
  state: GateState;
  /** undefined for a state not stored yet. */
  revision?: number;
}

/** What gates knows of a release, from planning's events. */
export interface ReleaseView {
  id: string;
  product: string;
  version: string;
  type: 'MAJOR' | 'MINOR' | 'PATCH' | 'HOTFIX';
  /** The subject of whoever created the release in planning: four-eyes compares approvers with it. */
  requestedBy?: string;
  status?: string;
  features: { id: string; title: string; status: string }[];
}

export interface Readiness extends ReadinessBaseline {
  id: string;
  releaseId: string;
  source: 'ai' | 'deterministic';
  rationale?: string;
  fallbackReason?: string;
  predictionId: string;
  assessedAt: Date;
  assessedBy: string;
  assessedByName?: string;
}

export interface AuditFilter {
  releaseId?: string;
  product?: string;
  gate?: string;
  action?: AuditAction;
  limit?: number;
}

/**
 * Where gates keeps its data. Every write of a gate state stores its events in the same document
 * (transactional outbox) and is refused with a ConflictError when the state moved past `revision`.
 */
export interface GatesStore {
  definitions(product: string): Promise<GateDefinition[]>;
  /** Stores a new version of a product's gate; a ConflictError when that version exists already. */
  insertDefinition(def: GateDefinition, audit: AuditEntry): Promise<void>;
  state(releaseId: string, gate: string): Promise<StoredGateState | undefined>;
  saveState(state: GateState, revision: number | undefined, events: CloudEvent[]): Promise<void>;
  statesOfRelease(releaseId: string): Promise<GateState[]>;
  audit(filter: AuditFilter): Promise<AuditEntry[]>;
  release(id: string): Promise<ReleaseView | undefined>;
  releaseByVersion(product: string, version: string): Promise<ReleaseView | undefined>;
  /** Applies a planning event to the release projection at most once per event id. */
  applyToRelease(eventId: string, releaseId: string, change: ReleaseChange): Promise<'applied' | 'duplicate'>;
  saveReadiness(readiness: Readiness, audit: AuditEntry, events: CloudEvent[]): Promise<void>;
  readiness(releaseId: string): Promise<Readiness[]>;
  /** Keeps an advice's audit line and events on the release (the advice itself is a prediction, kept by the advisor). */
  recordAdvice(releaseId: string, audit: AuditEntry, events: CloudEvent[]): Promise<void>;
}

export type ReleaseChange =
  | { kind: 'created'; release: Omit<ReleaseView, 'features'> }
  | { kind: 'status'; status: string }
  | { kind: 'feature'; featureId: string; title: string; status?: string; removed?: boolean };

/** Instant PromQL values (Prometheus HTTP API). Throws with a sentence when the query fails or has no data. */
export interface MetricsSource {
  value(promql: string, at: Date): Promise<number>;
}
