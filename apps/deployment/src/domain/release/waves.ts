import { RuleError } from '@flightdeck/kernel';

export interface DependencyNode {
  name: string;
  dependsOn: string[];
}

/**
 * The waves of a release: each workload in the wave after the last of its dependencies, so a backend starts
 * before the frontends that call it. Within a wave the order is the order given. Unknown dependencies and cycles
 * are refused, naming what is wrong.
 */
export function wavesOf(nodes: DependencyNode[]): string[][] {
  const names = nodes.map((n) => n.name);
  const known = new Set(names);
  nodes.forEach((n, i) => {
    for (const d of n.dependsOn) {
      if (d === n.name)
        throw new RuleError(
          `workloads[${i}].dependsOn: ${n.name} depends on itself; a workload cannot wait for its own rollout`,
          `workloads[${i}].dependsOn`,
        );
      if (!known.has(d))
        throw new RuleError(
          `workloads[${i}].dependsOn: "${d}" is no workload of this release; the workloads are ${names.join(', ')}`,
          `workloads[${i}].dependsOn`,
        );
    }
  });
  const waveOf = new Map<string, number>();
  const waves: string[][] = [];
  let left = nodes;
  while (left.length) {
    const ready = left.filter((n) => n.dependsOn.every((d) => waveOf.has(d)));
    if (!ready.length)
      throw new RuleError(
        `workloads.dependsOn: the dependencies form a cycle: ${cycleIn(left).join(' → ')}; a release must have an order to start in`,
        'workloads',
      );
    for (const n of ready) waveOf.set(n.name, waves.length);
    waves.push(ready.map((n) => n.name));
    left = left.filter((n) => !waveOf.has(n.name));
  }
  return waves;
}

/** One cycle among nodes none of which can start: follow unresolved dependencies until a name repeats. */
function cycleIn(stuck: DependencyNode[]): string[] {
  const byName = new Map(stuck.map((n) => [n.name, n]));
  const path: string[] = [];
  let at = stuck[0]!;
  while (!path.includes(at.name)) {
    path.push(at.name);
    at = byName.get(at.dependsOn.find((d) => byName.has(d))!)!;
  }
  return [...path.slice(path.indexOf(at.name)), at.name];
}

/** The order to undo a release in: dependents before what they depend on (the waves backwards). */
export function reverseDependencyOrder(waves: string[][]): string[] {
  return [...waves].reverse().flatMap((w) => [...w].reverse());
}
