import type { ChaosReport } from './run.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The run in a few lines: the seed, the faults by kind, the releases by outcome, each invariant. */
export function summarize(report: ChaosReport): string {
  const lines: string[] = [];
  lines.push(`chaos run, seed ${report.seed}: ${report.minutes} min of faults, ${report.lanes} lanes`);
  const kinds = new Map<string, number>();
  for (const f of report.faults) kinds.set(`${f.kind} ${f.target}`, (kinds.get(`${f.kind} ${f.target}`) ?? 0) + 1);
  const failedFaults = report.faults.filter((f) => f.error);
  lines.push(
    `faults injected: ${report.faults.length} (${[...kinds].map(([k, n]) => `${k} ×${n}`).join(', ')})${failedFaults.length ? `; ${failedFaults.length} did not heal` : ''}`,
  );
  if (report.unexpectedExits.length)
    lines.push(
      `processes that exited on their own: ${report.unexpectedExits.map((e) => `${e.process} (${e.code ?? e.signal}) at ${seconds(e.atMs)}`).join(', ')}`,
    );
  const done = report.releases.filter((r) => !r.error);
  const phases = new Map<string, number>();
  for (const r of done)
    phases.set(
      `${r.phase}${r.action ? ` then ${r.action}` : ''}`,
      (phases.get(`${r.phase}${r.action ? ` then ${r.action}` : ''}`) ?? 0) + 1,
    );
  const converged = done.map((r) => r.convergedMs ?? 0).sort((a, b) => a - b);
  lines.push(
    `releases completed: ${done.length} of ${report.releases.length} (${[...phases].map(([k, n]) => `${k} ×${n}`).join(', ')}); rollout to rest: median ${seconds(converged[Math.floor(converged.length / 2)] ?? 0)}, max ${seconds(converged.at(-1) ?? 0)}`,
  );
  lines.push(`caught up after the faults in ${seconds(report.settleMs)}`);
  const violations = report.invariants.reduce((n, i) => n + i.violations.length, 0);
  lines.push(`invariant violations: ${violations}`);
  for (const i of report.invariants) {
    const status = !i.checked ? 'NOT CHECKED' : i.violations.length ? `VIOLATED ×${i.violations.length}` : 'holds';
    lines.push(`  ${status.padEnd(13)} ${i.name}: ${i.description} [${i.checked ? i.examined : i.notChecked}]`);
    for (const v of i.violations.slice(0, 20)) lines.push(`      - ${v}`);
    if (i.violations.length > 20) lines.push(`      … and ${i.violations.length - 20} more`);
  }
  if (report.problems?.length) {
    lines.push('last warnings and errors, by process:');
    for (const p of report.problems) {
      lines.push(`  ${p.process}:`);
      for (const line of p.lines) lines.push(`      ${line}`);
    }
  }
  if (!report.ok)
    lines.push(
      `replay: npx tsx tools/chaos/src/main.ts --seed ${report.seed} --minutes ${report.minutes} --lanes ${report.lanes}; logs and stores kept in ${report.dir}`,
    );
  return lines.join('\n');
}
