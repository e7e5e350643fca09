import { RuleError } from '@flightdeck/kernel';
import { MaxHeap } from './heap.js';
import type { Feature } from './scope.js';
import { costOfDelay, rankByWsjf, type RankedFeature } from './wsjf.js';

export type AlternativeName = 'MVP' | 'RECOMMENDED' | 'EXTENDED';

export interface LeftOut {
  featureId: string;
  title: string;
  reason: string;
}

export interface ScopeAlternative {
  name: AlternativeName;
  /** What the alternative is, in one sentence. */
  summary: string;
  capacity: number;
  /** Selected features in a workable order: dependencies first, then highest WSJF. */
  selected: string[];
  totalEffort: number;
  totalCostOfDelay: number;
  /** Share of the whole scope's cost of delay this alternative delivers, 0…1. */
  valueShare: number;
  overCapacity: boolean;
  leftOut: LeftOut[];
  notes: string[];
}

export interface Prioritization {
  ranking: RankedFeature[];
  recommended: ScopeAlternative;
  mvp: ScopeAlternative;
  extended: ScopeAlternative;
}

export interface SelectionOptions {
  /** Story points the team can deliver in this release. */
  capacity: number;
  /** Extra capacity the extended alternative assumes, as a fraction (0.25 = 25% more). */
  stretch?: number;
}

/** The feature graph in arrays, so selection over thousands of features stays fast. */
interface Graph {
  features: readonly Feature[];
  index: Map<string, number>;
  deps: number[][];
  /** Dependencies first. */
  topo: number[];
  wsjf: Float64Array;
}

function buildGraph(features: readonly Feature[]): Graph {
  const index = new Map<string, number>();
  features.forEach((f, i) => index.set(f.id, i));
  const deps = features.map((f) =>
    f.dependsOn.map((d) => {
      const j = index.get(d);
      if (j === undefined)
        throw new RuleError(`'${f.title}' depends on feature ${d}, which is not in this release's scope`, 'dependsOn');
      return j;
    }),
  );
  const dependents: number[][] = features.map(() => []);
  const waiting = new Int32Array(features.length);
  deps.forEach((ds, i) => {
    waiting[i] = ds.length;
    for (const d of ds) dependents[d]!.push(i);
  });
  const topo: number[] = [];
  for (let i = 0; i < features.length; i++) if (waiting[i] === 0) topo.push(i);
  for (let k = 0; k < topo.length; k++) {
    for (const j of dependents[topo[k]!]!) if (--waiting[j] === 0) topo.push(j);
  }
  if (topo.length !== features.length)
    throw new RuleError('the dependencies form a cycle; remove it before prioritising', 'dependsOn');
  const wsjf = Float64Array.from(features, (f) => costOfDelay(f) / f.effort);
  return { features, index, deps, topo, wsjf };
}

function notPlanned(f: Feature): string | undefined {
  if (f.status === 'DROPPED') return 'dropped from the release';
  if (f.priority === 'WONT') return 'priority WONT: agreed not to be in this release';
  return undefined;
}

/** For each feature, why it cannot be selected at all (itself or a dependency not planned), in dependency order. */
function blockers(g: Graph): (string | undefined)[] {
  const why: (string | undefined)[] = new Array(g.features.length);
  for (const i of g.topo) {
    const own = notPlanned(g.features[i]!);
    if (own) {
      why[i] = own;
      continue;
    }
    for (const d of g.deps[i]!) {
      if (why[d] !== undefined) {
        const dep = g.features[d]!;
        why[i] =
          `depends on '${dep.title}', which ${notPlanned(dep) ? `is out of scope (${notPlanned(dep)})` : 'cannot be delivered'}`;
        break;
      }
    }
  }
  return why;
}

interface Run {
  name: AlternativeName;
  summary: string;
  capacity: number;
  /** May a feature be chosen for its own value (otherwise only MUSTs and their dependencies are)? */
  optional: boolean;
}

function select(
  g: Graph,
  ranking: RankedFeature[],
  blocked: (string | undefined)[],
  run: Run,
  totalCod: number,
): ScopeAlternative {
  const n = g.features.length;
  const chosen = new Uint8Array(n);
  const seen = new Int32Array(n).fill(-1);
  const reasons: (string | undefined)[] = new Array(n);
  const notes: string[] = [];
  let used = 0;
  let stamp = 0;
  const stack: number[] = [];
  const closure: number[] = [];

  /** The unselected dependencies-and-self of `start`, stopping once they exceed `limit` points. */
  const gather = (start: number, limit: number): { points: number; complete: boolean } => {
    stamp++;
    closure.length = 0;
    stack.length = 0;
    stack.push(start);
    seen[start] = stamp;
    let points = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      closure.push(i);
      points += g.features[i]!.effort;
      if (points > limit) return { points, complete: false };
      for (const d of g.deps[i]!) {
        if (chosen[d] || seen[d] === stamp) continue;
        seen[d] = stamp;
        stack.push(d);
      }
    }
    return { points, complete: true };
  };
  const take = (): void => {
    for (const i of closure) {
      if (!chosen[i]) {
        chosen[i] = 1;
        used += g.features[i]!.effort;
      }
    }
  };

  // MUSTs are kept whatever the capacity says, with what they depend on.
  for (const r of ranking) {
    const i = g.index.get(r.featureId)!;
    const f = g.features[i]!;
    if (f.priority !== 'MUST' || f.status === 'DROPPED' || chosen[i]) continue;
    if (blocked[i]) {
      notes.push(
        `MUST '${f.title}' cannot be delivered: it ${blocked[i]!.startsWith('depends') ? blocked[i] : `is ${blocked[i]}`}`,
      );
      continue;
    }
    gather(i, Infinity);
    take();
  }
  const overCapacity = used > run.capacity;
  if (overCapacity)
    notes.push(
      `the MUSTs and their dependencies need ${round(used)} points, more than the capacity of ${round(run.capacity)}: cut or split MUSTs, or add capacity`,
    );

  if (run.optional) {
    for (const r of ranking) {
      const i = g.index.get(r.featureId)!;
      if (chosen[i] || blocked[i]) continue;
      const left = run.capacity - used;
      if (left <= 0) {
        reasons[i] = `no capacity left (${round(used)} of ${round(run.capacity)} points taken by higher-WSJF features)`;
        continue;
      }
      if (gather(i, left).complete) {
        take();
        continue;
      }
      const own = g.features[i]!.effort;
      reasons[i] =
        own > left
          ? `needs ${round(own)} points, more than the ${round(left)} of ${round(run.capacity)} left`
          : `needs its ${round(own)} points plus unselected dependencies, more than the ${round(left)} of ${round(run.capacity)} points left`;
    }
  }

  const leftOut: LeftOut[] = [];
  let cod = 0;
  for (const r of ranking) {
    const i = g.index.get(r.featureId)!;
    const f = g.features[i]!;
    if (chosen[i]) {
      cod += r.costOfDelay;
      continue;
    }
    const reason =
      blocked[i] ??
      reasons[i] ??
      `not a MUST and no MUST depends on it (priority ${f.priority}, WSJF ${round(r.wsjf)})`;
    leftOut.push({ featureId: f.id, title: f.title, reason });
  }
  return {
    name: run.name,
    summary: run.summary,
    capacity: run.capacity,
    selected: sequence(g, chosen),
    totalEffort: round(used),
    totalCostOfDelay: round(cod),
    valueShare: totalCod > 0 ? round(cod / totalCod, 3) : 0,
    overCapacity,
    leftOut,
    notes,
  };
}

/** Selected features with every dependency before its dependents; among ready ones, highest WSJF first. */
function sequence(g: Graph, chosen: Uint8Array): string[] {
  const waiting = new Int32Array(g.features.length);
  const dependents: number[][] = g.features.map(() => []);
  const ready = new MaxHeap<number>();
  for (let i = 0; i < g.features.length; i++) {
    if (!chosen[i]) continue;
    for (const d of g.deps[i]!) {
      if (!chosen[d]) continue;
      waiting[i]!++;
      dependents[d]!.push(i);
    }
    if (waiting[i] === 0) ready.push(i, g.wsjf[i]!);
  }
  const order: string[] = [];
  while (ready.size > 0) {
    const i = ready.pop()!;
    order.push(g.features[i]!.id);
    for (const j of dependents[i]!) if (--waiting[j] === 0) ready.push(j, g.wsjf[j]!);
  }
  return order;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Deterministic prioritisation: WSJF ranking, then a capacity-constrained selection that keeps the
 * MUSTs, takes what each feature depends on with it, and offers an MVP and an extended alternative,
 * each listing what it leaves out and why.
 */
export function prioritize(features: readonly Feature[], options: SelectionOptions): Prioritization {
  if (!Number.isFinite(options.capacity) || options.capacity < 0) {
    throw new RuleError(`capacity must be a number of story points ≥ 0, got ${options.capacity}`, 'capacity');
  }
  const stretch = options.stretch ?? 0.25;
  if (!Number.isFinite(stretch) || stretch < 0 || stretch > 5) {
    throw new RuleError(`stretch must be a fraction from 0 to 5 (0.25 = 25% more capacity), got ${stretch}`, 'stretch');
  }
  const g = buildGraph(features);
  const ranking = rankByWsjf(features);
  const blocked = blockers(g);
  let totalCod = 0;
  features.forEach((f, i) => {
    if (!blocked[i]) totalCod += costOfDelay(f);
  });
  const extendedCapacity = round(options.capacity * (1 + stretch));
  return {
    ranking,
    recommended: select(
      g,
      ranking,
      blocked,
      {
        name: 'RECOMMENDED',
        summary: `MUSTs, then highest WSJF first within the capacity of ${round(options.capacity)} points`,
        capacity: options.capacity,
        optional: true,
      },
      totalCod,
    ),
    mvp: select(
      g,
      ranking,
      blocked,
      { name: 'MVP', summary: 'only the MUSTs and what they depend on', capacity: options.capacity, optional: false },
      totalCod,
    ),
    extended: select(
      g,
      ranking,
      blocked,
      {
        name: 'EXTENDED',
        summary: `as recommended, with ${Math.round(stretch * 100)}% more capacity (${extendedCapacity} points)`,
        capacity: extendedCapacity,
        optional: true,
      },
      totalCod,
    ),
  };
}
