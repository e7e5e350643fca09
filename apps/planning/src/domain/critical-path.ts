import { RuleError } from '@flightdeck/kernel';
import { inScope, type Feature } from './scope.js';

export interface CriticalPath {
  /** Feature ids along the longest chain of remaining work, dependencies first. */
  featureIds: string[];
  /** Story points along it: no amount of parallel work finishes sooner than this chain. */
  points: number;
}

/** The longest effort-weighted dependency chain among the in-scope features not done yet. */
export function criticalPath(features: readonly Feature[]): CriticalPath {
  const open = features.filter((f) => inScope(f) && f.status !== 'DONE');
  const index = new Map(open.map((f, i) => [f.id, i]));
  const deps = open.map((f) => f.dependsOn.map((d) => index.get(d)).filter((d): d is number => d !== undefined));
  const dependents: number[][] = open.map(() => []);
  const waiting = new Int32Array(open.length);
  deps.forEach((ds, i) => {
    waiting[i] = ds.length;
    for (const d of ds) dependents[d]!.push(i);
  });
  const order: number[] = [];
  for (let i = 0; i < open.length; i++) if (waiting[i] === 0) order.push(i);
  for (let k = 0; k < order.length; k++) for (const j of dependents[order[k]!]!) if (--waiting[j] === 0) order.push(j);
  if (order.length !== open.length)
    throw new RuleError('the dependencies form a cycle; there is no critical path', 'dependsOn');

  const length = new Float64Array(open.length);
  const via = new Int32Array(open.length).fill(-1);
  let best = -1;
  for (const i of order) {
    let longest = 0;
    for (const d of deps[i]!) {
      if (length[d]! > longest) {
        longest = length[d]!;
        via[i] = d;
      }
    }
    length[i] = longest + open[i]!.effort;
    if (best < 0 || length[i]! > length[best]!) best = i;
  }
  const ids: string[] = [];
  for (let i = best; i >= 0; i = via[i]!) ids.push(open[i]!.id);
  return { featureIds: ids.reverse(), points: best >= 0 ? length[best]! : 0 };
}
