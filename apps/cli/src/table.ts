export interface CriterionRow {
  criterionId: string;
  name: string;
  hard: boolean;
  result: string;
  measured: string;
  threshold: string;
  explanation: string;
}

export interface GateReport {
  name: string;
  outcome: string | null;
  latestEvaluation: {
    outcome: string;
    approvalsPending: boolean;
    reasons: string[];
    evaluatedAt: string;
    criteria: CriterionRow[];
    approvals: { role: string; required: number; approvedBy: string[]; satisfied: boolean }[];
  } | null;
}

const width = (rows: string[][], i: number) => Math.max(...rows.map((r) => r[i]!.length));

/** The per-criterion table a person reads in the pipeline's log. */
export function formatGate(release: string, g: GateReport): string {
  const e = g.latestEvaluation;
  if (!e) return `${release} ${g.name}: not evaluated yet`;
  const rows = [
    ['RESULT', 'CRITERION', 'MEASURED', 'THRESHOLD'],
    ...e.criteria.map((c) => [c.result, `${c.name}${c.hard ? '' : ' (soft)'}`, c.measured, c.threshold]),
  ];
  const w = [0, 1, 2].map((i) => width(rows, i));
  const lines = rows.map((r) => `${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]}`);
  for (const a of e.approvals)
    lines.push(
      `${(a.satisfied ? 'PASS' : 'WAIT').padEnd(w[0]!)}  approval ${a.role} ${a.approvedBy.length}/${a.required}${a.approvedBy.length ? ` (${a.approvedBy.join(', ')})` : ''}`,
    );
  return [
    `${release} ${g.name}: ${e.outcome}${e.approvalsPending ? ' (approvals pending)' : ''} — evaluated ${e.evaluatedAt}`,
    ...lines,
    ...e.reasons.map((r) => `  - ${r}`),
  ].join('\n');
}
