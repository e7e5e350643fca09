import { RuleError } from '@flightdeck/kernel';

export const PRIORITIES = ['MUST', 'SHOULD', 'COULD', 'WONT'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const FEATURE_STATUSES = ['TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE', 'DROPPED'] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];

/** A scope item of a release. Values and effort use the team's relative scale (Fibonacci 1…20 is usual). */
export interface Feature {
  id: string;
  title: string;
  description: string;
  priority: Priority;
  businessValue: number;
  timeCriticality: number;
  riskReduction: number;
  /** Story points. */
  effort: number;
  status: FeatureStatus;
  dependsOn: string[];
  /** What customers read about it in the release notes (absent: a new feature). */
  kind?: FeatureKind;
  /** A change customers must act on, said for them; it puts the feature under "Breaking changes". */
  breakingChange?: string;
  /** How to move over, for a breaking change: the release notes' migration guide. */
  migration?: string;
  /** For a feature left out (WONT or DROPPED): why, and the release it is meant for instead. */
  exclusion?: { reason: string; targetRelease?: string };
}

/** What the documents say about a feature: writing them goes on after the scope freezes. */
export const NOTE_FIELDS = ['kind', 'breakingChange', 'migration', 'exclusion'] as const;

export const FEATURE_KINDS = ['FEATURE', 'IMPROVEMENT', 'FIX'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

export type ScopeChangeKind = 'ADDED' | 'UPDATED' | 'REMOVED' | 'STATUS_CHANGED';

/** One change of scope, kept forever: planned-versus-delivered accuracy is computed from these. */
export interface ScopeChange {
  kind: ScopeChangeKind;
  featureId: string;
  title: string;
  /** The subject of whoever made the change; `byName` is their display name. */
  by: string;
  byName?: string;
  at: Date;
  /** Fields that changed, with their previous and new values. */
  changes: { field: string; from: unknown; to: unknown }[];
  reason?: string;
}

const MAX_SCALE = 100;
const MAX_EFFORT = 1000;

function checkNumber(value: number, field: string, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RuleError(`${field} must be a number from ${min} to ${max}, got ${value}`, field);
  }
}

/** Checks the values of one feature (not its dependencies: see `checkDependencies`). */
export function checkFeature(f: Feature): void {
  if (f.title.trim().length === 0) throw new RuleError('a feature needs a title', 'title');
  if (f.title.length > 200) throw new RuleError(`title is ${f.title.length} characters; at most 200`, 'title');
  if (!PRIORITIES.includes(f.priority))
    throw new RuleError(`priority must be one of ${PRIORITIES.join(', ')}`, 'priority');
  if (!FEATURE_STATUSES.includes(f.status))
    throw new RuleError(`status must be one of ${FEATURE_STATUSES.join(', ')}`, 'status');
  checkNumber(f.businessValue, 'businessValue', 0, MAX_SCALE);
  checkNumber(f.timeCriticality, 'timeCriticality', 0, MAX_SCALE);
  checkNumber(f.riskReduction, 'riskReduction', 0, MAX_SCALE);
  checkNumber(f.effort, 'effort', 0.5, MAX_EFFORT);
  if (new Set(f.dependsOn).size !== f.dependsOn.length)
    throw new RuleError('dependsOn lists a feature twice', 'dependsOn');
  if (f.dependsOn.includes(f.id)) throw new RuleError(`'${f.title}' cannot depend on itself`, 'dependsOn');
  if (f.kind !== undefined && !FEATURE_KINDS.includes(f.kind))
    throw new RuleError(`kind must be one of ${FEATURE_KINDS.join(', ')}, got '${f.kind}'`, 'kind');
  for (const [field, text] of [
    ['breakingChange', f.breakingChange],
    ['migration', f.migration],
    ['exclusion.reason', f.exclusion?.reason],
  ] as const) {
    if (text !== undefined && text.length > 2000)
      throw new RuleError(`${field} is ${text.length} characters; at most 2000`, field);
  }
  if (f.migration && !f.breakingChange)
    throw new RuleError('a migration guide belongs to a breaking change: give breakingChange too', 'migration');
  if (f.exclusion && !f.exclusion.reason.trim()) throw new RuleError('an exclusion needs a reason', 'exclusion.reason');
}

/**
 * Finds one dependency cycle, as the list of feature ids along it with the first repeated at the
 * end (a → b → c → a), or undefined. Iterative depth-first search: safe for deep graphs.
 */
export function findCycle(features: readonly Pick<Feature, 'id' | 'dependsOn'>[]): string[] | undefined {
  const deps = new Map(features.map((f) => [f.id, f.dependsOn]));
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = finished
  for (const start of deps.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const next: number[] = [0];
    state.set(start, 1);
    while (path.length > 0) {
      const node = path.at(-1)!;
      const edges = deps.get(node) ?? [];
      const i = next[next.length - 1]!;
      if (i >= edges.length) {
        state.set(node, 2);
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const dep = edges[i]!;
      if (!deps.has(dep)) continue;
      const s = state.get(dep);
      if (s === 1) return [...path.slice(path.indexOf(dep)), dep];
      if (s === undefined) {
        state.set(dep, 1);
        path.push(dep);
        next.push(0);
      }
    }
  }
  return undefined;
}

/** Refuses unknown dependencies and cycles, naming the features along the cycle. */
export function checkDependencies(features: readonly Feature[]): void {
  const byId = new Map(features.map((f) => [f.id, f]));
  for (const f of features) {
    for (const dep of f.dependsOn) {
      if (!byId.has(dep)) {
        throw new RuleError(
          `'${f.title}' depends on feature ${dep}, which is not in this release's scope`,
          'dependsOn',
        );
      }
    }
  }
  const cycle = findCycle(features);
  if (cycle) {
    const names = cycle.map((id) => `'${byId.get(id)!.title}'`).join(' → ');
    throw new RuleError(`dependencies would form a cycle: ${names}; remove one of these dependencies`, 'dependsOn');
  }
}

/** The fields that differ between two versions of a feature, for the scope history. */
export function diffFeature(before: Feature, after: Feature): ScopeChange['changes'] {
  const fields: (keyof Feature)[] = [
    'title',
    'description',
    'priority',
    'businessValue',
    'timeCriticality',
    'riskReduction',
    'effort',
    'status',
    'dependsOn',
    ...NOTE_FIELDS,
  ];
  return fields
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => ({ field: k, from: before[k], to: after[k] }));
}

/** Features that count toward the release (dropped ones and WONTs do not). */
export function inScope(f: Pick<Feature, 'status' | 'priority'>): boolean {
  return f.status !== 'DROPPED' && f.priority !== 'WONT';
}
