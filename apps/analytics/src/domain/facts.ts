/**
 * What the projections keep: per release, rollout and incident a header (descriptive fields) and a
 * set of facts keyed by the id of the event that stated them. Adding a fact under its event's key
 * is idempotent and commutes with every other addition, so duplicated and out-of-order delivery
 * give the same record; everything time-dependent is derived from the facts' own times.
 */
export type Timestamp = string;

export type GateOutcome = 'PASS' | 'FAIL' | 'CONDITIONAL';
export type Recommendation = 'GO' | 'CONDITIONAL_GO' | 'NO_GO';
export type Source = 'ai' | 'deterministic';
/** What deployment-health advice recommended for a rollout after one of its analysis runs. */
export type HealthRecommendation = 'PROMOTE' | 'HOLD' | 'ROLLBACK';
export type Severity = 'critical' | 'warning' | 'info';

export interface ReleaseHeader {
  product?: string;
  version?: string;
  type?: 'MAJOR' | 'MINOR' | 'PATCH' | 'HOTFIX';
  theme?: string;
  targetDate?: Timestamp;
  baseVersion?: string;
}

/** `h`: the header fields the fact's event stated, so that a release's header follows event time, not arrival order. */
export type ReleaseFact = ReleaseFactBody & { h?: ReleaseHeader };

type ReleaseFactBody =
  | { k: 'created'; at: Timestamp }
  | { k: 'status'; to: string; at: Timestamp }
  | { k: 'scope'; featureId: string; change: 'ADDED' | 'UPDATED' | 'REMOVED' | 'STATUS_CHANGED'; at: Timestamp }
  | { k: 'feature'; featureId: string; to: string; at: Timestamp }
  | { k: 'gate'; gate: string; outcome: GateOutcome; at: Timestamp }
  | {
      k: 'readiness';
      recommendation: Recommendation;
      source: Source;
      confidence: number;
      predictionId: string;
      at: Timestamp;
    }
  /** A forecast, with the timeline-risk advice given with it when the event names it (who answered; whether it named a HIGH-likelihood risk). */
  | {
      k: 'forecast';
      p50: Timestamp;
      targetDate: Timestamp;
      probabilityOnTime: number;
      predictionId?: string;
      adviceSource?: Source;
      adviceFlagsSlip?: boolean;
      at: Timestamp;
    }
  /** The scope a prioritisation advice proposed. */
  | { k: 'recommendation'; source: Source; predictionId: string; recommended: string[]; at: Timestamp }
  /** A progress assessment: its chance to make feature complete by `featureCompleteBy`. */
  | {
      k: 'progress';
      probabilityOnTime: number;
      featureCompleteBy: Timestamp;
      source: Source;
      predictionId: string;
      at: Timestamp;
    }
  /** A quality-gate validation: the verdict it expects the gate to settle at. */
  | { k: 'validation'; gate: string; verdict: GateOutcome; source: Source; predictionId: string; at: Timestamp };

export interface RolloutHeader {
  releaseId?: string;
  environment?: string;
  product?: string;
  /** namespace/deployment. */
  workload?: string;
  /** The workload's namespace: Flightdeck's convention is one namespace per owning team. */
  team?: string;
}

export type RolloutFact =
  | { k: 'started'; at: Timestamp }
  | { k: 'succeeded'; at: Timestamp }
  | { k: 'rolled_back'; at: Timestamp; reason: string }
  /** Failed and left in place (roll-forward only). */
  | { k: 'failed'; at: Timestamp; reason: string }
  /** Deployment-health advice on one analysis run. */
  | {
      k: 'advice';
      runId: string;
      recommendation: HealthRecommendation;
      source: Source;
      confidence: number;
      predictionId: string;
      at: Timestamp;
    };

export interface IncidentHeader {
  title?: string;
  severity?: Severity;
  source?: 'alertmanager' | 'api';
  product?: string;
  workload?: string;
  rolloutId?: string;
}

export type IncidentFact =
  { k: 'opened'; at: Timestamp; by: string } | { k: 'resolved'; at: Timestamp; by: string; resolution?: string };

export interface EntityRecord<H, F> {
  id: string;
  header: H;
  facts: Record<string, F>;
}

export type ReleaseRecord = EntityRecord<ReleaseHeader, ReleaseFact>;
export type RolloutRecord = EntityRecord<RolloutHeader, RolloutFact>;
export type IncidentRecord = EntityRecord<IncidentHeader, IncidentFact>;

/** One addition to a projection, derived from one event. */
export type FactUpdate =
  | { entity: 'release'; id: string; header: ReleaseHeader; key: string; fact: ReleaseFact }
  | { entity: 'rollout'; id: string; header: RolloutHeader; key: string; fact: RolloutFact }
  | { entity: 'incident'; id: string; header: IncidentHeader; key: string; fact: IncidentFact };

export type EntityKind = FactUpdate['entity'];

/** Applies an update to a record in memory, exactly as the MongoDB store does with $set. */
export function applyUpdate<H extends object, F>(
  record: EntityRecord<H, F> | undefined,
  id: string,
  header: H,
  key: string,
  fact: F,
): EntityRecord<H, F> {
  const base = record ?? { id, header: {} as H, facts: {} };
  return { id, header: { ...base.header, ...definedOnly(header) }, facts: { ...base.facts, [key]: fact } };
}

export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Facts in event-time order (ties broken by key, so the order never depends on arrival). */
export function factsInOrder<F extends { at: Timestamp }>(record: { facts: Record<string, F> }): F[] {
  return Object.entries(record.facts)
    .sort(([ka, a], [kb, b]) => Date.parse(a.at) - Date.parse(b.at) || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, f]) => f);
}
