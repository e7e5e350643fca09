/**
 * Reads a V8 CPU profile (node --cpu-prof) and prints where the time went: self time by package (or file outside
 * node_modules), the functions with the most self time, and the inclusive time of the functions with the most.
 * Times are sample counts times the sampling interval (CPU time the profiler saw), not wall-clock deltas.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byPackage: [string, number][];
  selfByFunction: [string, number][];
  inclusiveByFunction: [string, number][];
  /** With `focus`: the stacks through which the focused function's samples were taken (it and 5 callers outside node:internal). */
  focusStacks: [string, number][];
}

/** A package name for a script URL: node_modules/<pkg> (scoped too), node:internal, or the path under the repository. */
export function packageOf(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return 'node:' + (url.slice(5).split('/')[0] ?? '');
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const m = /\/(apps|libs|tools)\/([^/]+)\//.exec(url);
  return m ? `${m[1]}/${m[2]}` : url.replace(/^file:\/\//, '');
}

/** `skipMs`: samples of the first milliseconds (start-up, module loading) are left out. */
export function summarizeProfile(profile: CpuProfile, top = 25, skipMs = 0, focus?: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  // Each sample counts as the median interval: on a busy machine the process is often descheduled between two
  // samples, and the time delta of the next one would charge that wait to whatever function it lands in.
  const sortedDeltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const intervalUs = sortedDeltas[Math.floor(sortedDeltas.length / 2)] ?? 1000;
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs >= skipMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + intervalUs);
  });

  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${packageOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const byPackage = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const focusStacks = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    totalUs += us;
    if (n.callFrame.functionName === '(idle)') idleUs += us;
    const pkg = n.callFrame.url ? packageOf(n.callFrame.url) : n.callFrame.functionName;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    selfByFunction.set(label(n), (selfByFunction.get(label(n)) ?? 0) + us);
    // Inclusive: every distinct frame on the stack of this sample gets its time once (recursion counted once).
    const seen = new Set<string>();
    const stack: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      stack.push(l);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
    if (focus) {
      const at = stack.findIndex((l) => l.startsWith(focus));
      if (at >= 0) {
        // The focused frame, then the nearest callers outside Node's own internals (those say whose work it is).
        const callers = stack.slice(at + 1).filter((l) => !/ node:internal|\(native\)/.test(l));
        const key = [stack[at], ...callers.slice(0, 5)].join(' < ');
        focusStacks.set(key, (focusStacks.get(key) ?? 0) + us);
      }
    }
  }
  const sorted = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, v / 1000] as [string, number]);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    byPackage: sorted(byPackage),
    selfByFunction: sorted(selfByFunction),
    inclusiveByFunction: sorted(inclusive),
    focusStacks: sorted(focusStacks),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('cpuprofile-summary')
    .description(
      'Where the time of a V8 CPU profile (node --cpu-prof) went: self time by package and by function, inclusive time by function.',
    )
    .argument('<profile>', 'a .cpuprofile file')
    .option('--top <n>', 'rows per table', '25')
    .option('--skip <seconds>', 'leave out the first seconds of the profile (start-up)', '0')
    .option(
      '--focus <function>',
      'also list the call stacks through a function (its name as printed, or the start of it)',
    )
    .parse();
  const o = program.opts<{ top: string; skip: string; focus?: string }>();
  const profile = JSON.parse(readFileSync(program.args[0]!, 'utf8')) as CpuProfile;
  const s = summarizeProfile(profile, Number(o.top), Number(o.skip) * 1000, o.focus);
  const busy = s.totalMs - s.idleMs;
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  console.log(
    `sampled ${s.totalMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms, busy ${busy.toFixed(0)} ms (percentages of busy)`,
  );
  for (const [title, rows] of [
    ['self time by package', s.byPackage],
    ['self time by function', s.selfByFunction],
    ['inclusive time by function', s.inclusiveByFunction],
    ...(o.focus ? [[`stacks through ${o.focus}`, s.focusStacks] as const] : []),
  ] as const) {
    console.log(`\n${title}`);
    for (const [name, ms] of rows)
      if (!name.startsWith('(idle)') && !name.startsWith('(root)'))
        console.log(`${pct(ms)} ${ms.toFixed(0).padStart(7)} ms  ${name}`);
  }
}
