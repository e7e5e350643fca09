/**
 * Planning's two heavy domain computations, each next to a baseline of the minimum work it implies:
 * - prioritisation (WSJF ranking, capacity-constrained selection with MVP/extended alternatives) of
 *   N features with E dependency edges, next to sorting the same features by WSJF plus one topological sort;
 * - a Monte Carlo forecast of R runs over the remaining points of F features, next to drawing the same
 *   random velocity samples without the forecast's bookkeeping.
 */
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { forecastCompletion, prioritize, seededRandom, wsjf, type Feature } from '@flightdeck/planning/domain';

const PRIORITIES = ['MUST', 'SHOULD', 'SHOULD', 'COULD', 'COULD', 'COULD', 'WONT'] as const;

/** A random DAG of features: every edge points from a feature to an earlier one, so there is no cycle. */
export function syntheticScope(features: number, edges: number, seed = 1): Feature[] {
  const random = seededRandom(seed);
  const list: Feature[] = Array.from({ length: features }, (_, i) => ({
    id: `f${i}`,
    title: `Feature ${i}`,
    description: '',
    priority: i % 10 === 0 ? 'MUST' : PRIORITIES[1 + Math.floor(random() * (PRIORITIES.length - 1))]!,
    businessValue: 1 + Math.floor(random() * 20),
    timeCriticality: Math.floor(random() * 13),
    riskReduction: Math.floor(random() * 8),
    effort: [1, 2, 3, 5, 8, 13, 20][Math.floor(random() * 7)]!,
    status: 'TODO',
    dependsOn: [],
  }));
  const seen = new Set<string>();
  for (let added = 0, tries = 0; added < edges && tries < edges * 10; tries++) {
    const from = 1 + Math.floor(random() * (features - 1));
    const to = Math.floor(random() * from);
    const key = `${from}>${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list[from]!.dependsOn.push(`f${to}`);
    added++;
  }
  return list;
}

/** The least any prioritisation does: rank by WSJF and order the graph topologically once. */
function baselinePrioritize(features: Feature[]): number {
  const ranked = [...features].sort((a, b) => wsjf(b) - wsjf(a));
  const index = new Map(features.map((f, i) => [f.id, i]));
  const waiting = new Int32Array(features.length);
  const dependents: number[][] = features.map(() => []);
  features.forEach((f, i) => {
    waiting[i] = f.dependsOn.length;
    for (const d of f.dependsOn) dependents[index.get(d)!]!.push(i);
  });
  const order: number[] = [];
  for (let i = 0; i < features.length; i++) if (waiting[i] === 0) order.push(i);
  for (let k = 0; k < order.length; k++) for (const j of dependents[order[k]!]!) if (--waiting[j] === 0) order.push(j);
  return ranked.length + order.length;
}

/** The same random draws as the forecast, with nothing else. */
function baselineDraws(runs: number, remaining: number, history: number[], seed: number): number {
  const random = seededRandom(seed);
  let sum = 0;
  for (let r = 0; r < runs; r++) {
    let left = remaining;
    while (left > 0) {
      const v = history[Math.floor(random() * history.length)]!;
      left -= v;
      sum += v;
    }
  }
  return sum;
}

function timeMs(fn: () => unknown, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export interface DomainBenchResult {
  prioritize: {
    features: number;
    edges: number;
    ms: number;
    baselineMs: number;
    ratio: number;
    selected: number;
    capacity: number;
    /** Story points of the recommended scope: within the capacity. */
    selectedEffort: number;
    /** Every selected feature comes after the features it depends on, which are selected too. */
    dependenciesFirst: boolean;
  };
  forecast: {
    runs: number;
    features: number;
    ms: number;
    baselineMs: number;
    ratio: number;
    simulatedRuns: number;
    remainingPoints: number;
  };
}

export function runPlanningDomainBench(opts: {
  features: number;
  edges: number;
  runs: number;
  forecastFeatures: number;
  repeats: number;
}): DomainBenchResult {
  const scope = syntheticScope(opts.features, opts.edges);
  const edges = scope.reduce((a, f) => a + f.dependsOn.length, 0);
  const capacity = (scope.reduce((a, f) => a + f.effort, 0) * 0.3) | 0;
  let recommended: ReturnType<typeof prioritize>['recommended'] | undefined;
  // Warm-up of both, then the median of `repeats` measurements of each.
  prioritize(scope, { capacity });
  baselinePrioritize(scope);
  const ms = timeMs(() => (recommended = prioritize(scope, { capacity }).recommended), opts.repeats);
  const byId = new Map(scope.map((f) => [f.id, f]));
  const position = new Map(recommended!.selected.map((id, i) => [id, i]));
  const dependenciesFirst = recommended!.selected.every((id, i) =>
    byId.get(id)!.dependsOn.every((d) => (position.get(d) ?? Infinity) < i),
  );
  const baselineMs = timeMs(() => baselinePrioritize(scope), opts.repeats);

  const forecastScope = syntheticScope(opts.forecastFeatures, 0, 2);
  const remaining = forecastScope.reduce((a, f) => a + f.effort, 0);
  const history = [30, 42, 38, 25, 45, 40, 35, 50, 28, 44];
  const start = new Date('2026-01-05T00:00:00Z');
  const input = {
    remainingPoints: remaining,
    velocityHistory: history,
    start,
    deadline: new Date('2026-12-31T00:00:00Z'),
    runs: opts.runs,
  };
  let forecast = forecastCompletion({ ...input, random: seededRandom(3) });
  const fms = timeMs(() => (forecast = forecastCompletion({ ...input, random: seededRandom(3) })), opts.repeats);
  const fbase = timeMs(() => baselineDraws(opts.runs, remaining, history, 3), opts.repeats);
  return {
    prioritize: {
      features: opts.features,
      edges,
      ms,
      baselineMs,
      ratio: ms / baselineMs,
      selected: recommended!.selected.length,
      capacity,
      selectedEffort: recommended!.totalEffort,
      dependenciesFirst,
    },
    forecast: {
      runs: opts.runs,
      features: opts.forecastFeatures,
      ms: fms,
      baselineMs: fbase,
      ratio: fms / fbase,
      simulatedRuns: forecast.runs,
      remainingPoints: forecast.remainingPoints,
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const o = new Command('planning-domain')
    .description(
      'Prioritisation of a large scope and a Monte Carlo forecast, each next to a baseline of the minimum work it implies (median of repeats).',
    )
    .option('--features <n>', 'features to prioritise', '10000')
    .option('--edges <n>', 'dependency edges among them', '20000')
    .option('--runs <n>', 'Monte Carlo runs', '10000')
    .option('--forecast-features <n>', 'features whose points the forecast burns down', '500')
    .option('--repeats <n>', 'measurements of each; the median is shown', '5')
    .parse()
    .opts<{ features: string; edges: string; runs: string; forecastFeatures: string; repeats: string }>();
  const r = runPlanningDomainBench({
    features: Number(o.features),
    edges: Number(o.edges),
    runs: Number(o.runs),
    forecastFeatures: Number(o.forecastFeatures),
    repeats: Number(o.repeats),
  });
  const p = r.prioritize;
  console.log(
    `prioritize ${p.features} features, ${p.edges} edges: ${p.ms.toFixed(1)} ms (target < 500 ms), ${p.selected} selected`,
  );
  console.log(
    `  baseline (WSJF sort + one topological sort): ${p.baselineMs.toFixed(1)} ms   ratio ${p.ratio.toFixed(2)}`,
  );
  const f = r.forecast;
  console.log(`Monte Carlo ${f.runs} runs over ${f.features} features: ${f.ms.toFixed(1)} ms (target < 200 ms)`);
  console.log(`  baseline (the same random draws alone): ${f.baselineMs.toFixed(1)} ms   ratio ${f.ratio.toFixed(2)}`);
}
