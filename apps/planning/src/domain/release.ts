import { NotFoundError, RuleError } from '@flightdeck/kernel';
import type { FreezeRecord } from './freeze-record.js';
import { qualifyHotfix, type HotfixJustification } from './hotfix.js';
import {
  allowedNext,
  gateToLeave,
  transition,
  type GateOutcome,
  type ReleaseSignals,
  type ReleaseStatus,
  type StatusTransition,
} from './lifecycle.js';
import type { Forecast } from './forecast.js';
import { isReleaseType, type ReleaseType } from './release-type.js';
import {
  checkDependencies,
  checkFeature,
  diffFeature,
  NOTE_FIELDS,
  type Feature,
  type FeatureStatus,
  type ScopeChange,
} from './scope.js';
import type { TeamCapacity } from './timeline.js';
import { decideVersion } from './version.js';

export interface Release {
  id: string;
  /** The deployable service or application this release ships. */
  product: string;
  version: string;
  type: ReleaseType;
  /** A hotfix's released starting point. */
  baseVersion?: string;
  hotfix?: HotfixJustification;
  theme: string;
  owner: string;
  targetDate: Date;
  status: ReleaseStatus;
  transitions: StatusTransition[];
  features: Feature[];
  scopeChanges: ScopeChange[];
  team: TeamCapacity;
  signals: ReleaseSignals;
  /** Every gate evaluation reported for this release, in arrival order. */
  gateResults: GateResult[];
  /** Every production rollout outcome reported for this release, in arrival order. */
  productionRollouts: ProductionRolloutResult[];
  /** The latest timeline forecast, kept for the health report. */
  lastForecast?: StoredForecast;
  /** The scope document's technical considerations and success criteria. */
  considerations?: TechnicalConsiderations;
  /** The code-freeze checklist's ticks and the changes let in during the freeze. */
  freeze?: FreezeRecord;
  createdAt: Date;
  updatedAt: Date;
}

/** What the scope document lists besides the features (each a list of sentences). */
export interface TechnicalConsiderations {
  architectureChanges: string[];
  dependencies: string[];
  migrations: string[];
  successCriteria: string[];
}

/** A production rollout of the release succeeded, or was rolled back, at `at` (the deployment service's event time). */
export interface ProductionRolloutResult {
  rolloutId: string;
  succeeded: boolean;
  at: Date;
}

export interface GateResult {
  gate: string;
  outcome: GateOutcome;
  evaluationId: string;
  at: Date;
  /** Why the gate decided as it did, as gates reported it (failing criteria, pending approvals). */
  reasons?: string[];
}

export interface StoredForecast extends Forecast {
  at: Date;
  seed: number;
}

/** Who made a change, and when: `by` is the subject (the identity key), `byName` only for display. */
export interface Actor {
  by: string;
  byName?: string;
  at: Date;
}

/** The actor as a record keeps them: the subject and, when known, the display name. */
export function attribution(actor: Pick<Actor, 'by' | 'byName'>): { by: string; byName?: string } {
  return { by: actor.by, ...(actor.byName ? { byName: actor.byName } : {}) };
}

export interface PlanReleaseInput {
  product: string;
  version: string;
  type?: string;
  theme: string;
  owner: string;
  targetDate: Date;
  hotfixReason?: string;
  hotfixDetails?: string;
  team?: Partial<TeamCapacity>;
}

const PRODUCT = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function checkText(value: string, field: string, max: number): string {
  const t = value.trim();
  if (t.length === 0) throw new RuleError(`${field} must not be empty`, field);
  if (t.length > max) throw new RuleError(`${field} is ${t.length} characters; at most ${max}`, field);
  return t;
}

export function checkTeam(team: Partial<TeamCapacity> | undefined): TeamCapacity {
  const velocityHistory = team?.velocityHistory ?? [];
  if (velocityHistory.length > 104) throw new RuleError('velocityHistory holds at most 104 weeks', 'velocityHistory');
  for (const v of velocityHistory) {
    if (!Number.isFinite(v) || v < 0 || v > 10_000)
      throw new RuleError(`velocityHistory holds ${v}; each week is 0…10000 points`, 'velocityHistory');
  }
  const planned = team?.plannedVelocity;
  if (planned !== undefined && (!Number.isFinite(planned) || planned < 0 || planned > 10_000)) {
    throw new RuleError(`plannedVelocity must be 0…10000 points per week, got ${planned}`, 'plannedVelocity');
  }
  return { velocityHistory: [...velocityHistory], ...(planned !== undefined ? { plannedVelocity: planned } : {}) };
}

/** A new release in PLANNING, with its type decided from its version against the product's released versions. */
export function planRelease(id: string, input: PlanReleaseInput, released: readonly string[], actor: Actor): Release {
  const product = input.product.trim();
  if (!PRODUCT.test(product)) {
    throw new RuleError(
      `product '${input.product}' must be lower-case letters, digits, '.', '_' or '-' (a service name such as checkout-api)`,
      'product',
    );
  }
  if (input.type !== undefined && !isReleaseType(input.type)) {
    throw new RuleError(`type must be MAJOR, MINOR, PATCH or HOTFIX, got '${input.type}'`, 'type');
  }
  const decision = decideVersion(input.version, released, input.type as ReleaseType | undefined);
  if (Number.isNaN(input.targetDate.getTime())) throw new RuleError('targetDate is not a valid date', 'targetDate');
  if (input.targetDate <= actor.at) {
    throw new RuleError(
      `targetDate ${input.targetDate.toISOString()} is not in the future (now ${actor.at.toISOString()})`,
      'targetDate',
    );
  }
  let hotfix: HotfixJustification | undefined;
  if (decision.type === 'HOTFIX') hotfix = qualifyHotfix(input.hotfixReason, input.hotfixDetails);
  else if (input.hotfixReason)
    throw new RuleError(
      `a hotfix reason only applies to HOTFIX releases; ${decision.version} is ${decision.type}`,
      'hotfixReason',
    );
  return {
    id,
    product,
    version: decision.version,
    type: decision.type,
    ...(decision.baseVersion ? { baseVersion: decision.baseVersion } : {}),
    ...(hotfix ? { hotfix } : {}),
    theme: checkText(input.theme, 'theme', 200),
    owner: checkText(input.owner, 'owner', 100),
    targetDate: input.targetDate,
    status: 'PLANNING',
    transitions: [],
    features: [],
    scopeChanges: [],
    team: checkTeam(input.team),
    signals: { gates: {}, productionRolloutSucceeded: false },
    gateResults: [],
    productionRollouts: [],
    createdAt: actor.at,
    updatedAt: actor.at,
  };
}

export interface ReleaseDetailsPatch {
  theme?: string;
  owner?: string;
  targetDate?: Date;
  team?: Partial<TeamCapacity>;
  considerations?: Partial<TechnicalConsiderations>;
}

function checkConsiderations(
  c: Partial<TechnicalConsiderations>,
  current?: TechnicalConsiderations,
): TechnicalConsiderations {
  const out = { architectureChanges: [], dependencies: [], migrations: [], successCriteria: [], ...current, ...c };
  for (const [field, list] of Object.entries(out)) {
    if (list.length > 50)
      throw new RuleError(`considerations.${field} holds ${list.length} items; at most 50`, `considerations.${field}`);
    list.forEach((item, i) => checkText(item, `considerations.${field}.${i}`, 500));
  }
  return {
    architectureChanges: out.architectureChanges.map((x) => x.trim()),
    dependencies: out.dependencies.map((x) => x.trim()),
    migrations: out.migrations.map((x) => x.trim()),
    successCriteria: out.successCriteria.map((x) => x.trim()),
  };
}

export function updateDetails(release: Release, patch: ReleaseDetailsPatch, actor: Actor): Release {
  assertEditable(release);
  const next = { ...release, updatedAt: actor.at };
  if (patch.theme !== undefined) next.theme = checkText(patch.theme, 'theme', 200);
  if (patch.owner !== undefined) next.owner = checkText(patch.owner, 'owner', 100);
  if (patch.targetDate !== undefined) {
    if (Number.isNaN(patch.targetDate.getTime())) throw new RuleError('targetDate is not a valid date', 'targetDate');
    next.targetDate = patch.targetDate;
  }
  if (patch.team !== undefined) next.team = checkTeam({ ...release.team, ...patch.team });
  if (patch.considerations !== undefined)
    next.considerations = checkConsiderations(patch.considerations, release.considerations);
  return next;
}

function assertEditable(release: Release): void {
  if (['RELEASED', 'CLOSED', 'CANCELLED'].includes(release.status)) {
    throw new RuleError(
      `release ${release.product} ${release.version} is ${release.status}; it can no longer change`,
      'id',
    );
  }
}

function assertScopeOpen(release: Release, f: { priority?: string } = {}): void {
  assertEditable(release);
  const frozen = ['CODE_FREEZE', 'ALPHA', 'BETA', 'RELEASE_CANDIDATE'].includes(release.status);
  if (frozen && f.priority !== 'MUST') {
    throw new RuleError(
      `release is in ${release.status}: scope is frozen; only MUST changes (release blockers) are accepted`,
      'priority',
    );
  }
}

export type FeatureInput = Omit<Feature, 'id' | 'status' | 'dependsOn' | 'description'> & {
  description?: string;
  status?: FeatureStatus;
  dependsOn?: string[];
};

export interface ScopeResult {
  release: Release;
  change: ScopeChange;
  feature: Feature;
}

export function addFeature(
  release: Release,
  id: string,
  input: FeatureInput,
  actor: Actor,
  reason?: string,
): ScopeResult {
  assertScopeOpen(release, input);
  const feature: Feature = {
    id,
    title: input.title.trim(),
    description: input.description?.trim() ?? '',
    priority: input.priority,
    businessValue: input.businessValue,
    timeCriticality: input.timeCriticality,
    riskReduction: input.riskReduction,
    effort: input.effort,
    status: input.status ?? 'TODO',
    dependsOn: input.dependsOn ?? [],
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.breakingChange ? { breakingChange: input.breakingChange.trim() } : {}),
    ...(input.migration ? { migration: input.migration.trim() } : {}),
    ...(input.exclusion ? { exclusion: input.exclusion } : {}),
  };
  checkFeature(feature);
  if (release.features.length >= 5000)
    throw new RuleError('a release holds at most 5000 features; split it', 'features');
  const features = [...release.features, feature];
  checkDependencies(features);
  const change: ScopeChange = {
    kind: 'ADDED',
    featureId: id,
    title: feature.title,
    ...attribution(actor),
    at: actor.at,
    changes: [],
    ...(reason ? { reason } : {}),
  };
  return {
    release: { ...release, features, scopeChanges: [...release.scopeChanges, change], updatedAt: actor.at },
    change,
    feature,
  };
}

export function findFeature(release: Release, id: string): Feature {
  const f = release.features.find((x) => x.id === id);
  if (!f) throw new NotFoundError(`feature ${id} is not in release ${release.product} ${release.version}`);
  return f;
}

export function updateFeature(
  release: Release,
  id: string,
  patch: Partial<FeatureInput>,
  actor: Actor,
  reason?: string,
): ScopeResult & { statusChanged?: { from: FeatureStatus; to: FeatureStatus } } {
  const before = findFeature(release, id);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<FeatureInput>;
  const after: Feature = { ...before, ...defined, id, title: (defined.title ?? before.title).trim() };
  const changes = diffFeature(before, after);
  const onlyStatus = changes.every((c) => c.field === 'status');
  const progressOrNotes = changes.every(
    (c) => c.field === 'status' || (NOTE_FIELDS as readonly string[]).includes(c.field),
  );
  // Progress on existing work and what the documents say about it are always allowed; changing what is in scope is not, once frozen.
  if (progressOrNotes) assertEditable(release);
  else assertScopeOpen(release, after);
  checkFeature(after);
  const features = release.features.map((f) => (f.id === id ? after : f));
  if (changes.some((c) => c.field === 'dependsOn')) checkDependencies(features);
  const kind = onlyStatus && changes.length > 0 ? 'STATUS_CHANGED' : 'UPDATED';
  const change: ScopeChange = {
    kind,
    featureId: id,
    title: after.title,
    ...attribution(actor),
    at: actor.at,
    changes,
    ...(reason ? { reason } : {}),
  };
  const next = changes.length
    ? { ...release, features, scopeChanges: [...release.scopeChanges, change], updatedAt: actor.at }
    : release;
  return {
    release: next,
    change,
    feature: after,
    ...(before.status !== after.status ? { statusChanged: { from: before.status, to: after.status } } : {}),
  };
}

export function removeFeature(release: Release, id: string, actor: Actor, reason?: string): ScopeResult {
  const feature = findFeature(release, id);
  assertScopeOpen(release, feature);
  const dependents = release.features.filter((f) => f.dependsOn.includes(id));
  if (dependents.length) {
    throw new RuleError(
      `'${feature.title}' cannot be removed: ${dependents.map((f) => `'${f.title}'`).join(', ')} depend on it; remove those dependencies first`,
      'id',
    );
  }
  const change: ScopeChange = {
    kind: 'REMOVED',
    featureId: id,
    title: feature.title,
    ...attribution(actor),
    at: actor.at,
    changes: [],
    ...(reason ? { reason } : {}),
  };
  return {
    release: {
      ...release,
      features: release.features.filter((f) => f.id !== id),
      scopeChanges: [...release.scopeChanges, change],
      updatedAt: actor.at,
    },
    change,
    feature,
  };
}

export function changeStatus(
  release: Release,
  to: ReleaseStatus,
  actor: Actor,
  reason: string,
): { release: Release; transition: StatusTransition } {
  const t = transition(release, to, release.signals, { ...actor, reason });
  return {
    release: { ...release, status: to, transitions: [...release.transitions, t], updatedAt: actor.at },
    transition: t,
  };
}

/** Records a gate evaluation; the latest evaluation of each gate (by evaluation time) is what counts. */
export function recordGateResult(release: Release, result: GateResult): Release {
  const gateResults = [...release.gateResults, result];
  const latest = new Map<string, GateResult>();
  for (const r of gateResults) {
    const seen = latest.get(r.gate);
    if (!seen || r.at >= seen.at) latest.set(r.gate, r);
  }
  const gates = Object.fromEntries([...latest].map(([g, r]) => [g, r.outcome]));
  return { ...release, gateResults, signals: { ...release.signals, gates } };
}

/**
 * Records a production rollout's outcome. Each rollout counts by its latest outcome (by event time; a rollback
 * wins a tie), so a rollback of one workload does not undo another's success, and arrival order does not matter.
 */
export function recordProductionRollout(release: Release, result: ProductionRolloutResult): Release {
  const productionRollouts = [...release.productionRollouts, result];
  const latest = new Map<string, ProductionRolloutResult>();
  for (const r of productionRollouts) {
    const seen = latest.get(r.rolloutId);
    if (!seen || r.at > seen.at || (r.at.getTime() === seen.at.getTime() && !r.succeeded)) latest.set(r.rolloutId, r);
  }
  const productionRolloutSucceeded = [...latest.values()].some((r) => r.succeeded);
  return { ...release, productionRollouts, signals: { ...release.signals, productionRolloutSucceeded } };
}

/**
 * The step a release takes on its own once what held it has happened: the gate of its current
 * status passed, or (from RELEASE_CANDIDATE) the production rollout succeeded. Undefined when it stays.
 */
export function automaticNextStatus(release: Release): ReleaseStatus | undefined {
  const next = allowedNext(release.status, release.type).find((s) => s !== 'CANCELLED');
  if (!next || next === 'CLOSED' || release.status === 'PLANNING' || release.status === 'IN_DEVELOPMENT')
    return undefined;
  const gate = gateToLeave(release.status, release.type);
  if (!gate) return undefined;
  const outcome = release.signals.gates[gate];
  if (outcome !== 'PASS' && outcome !== 'CONDITIONAL') return undefined;
  if (next === 'RELEASED' && !release.signals.productionRolloutSucceeded) return undefined;
  return next;
}
