import type { Evaluation } from './evaluation.js';

export type Verdict = 'PASS' | 'FAIL' | 'CONDITIONAL';

export interface GateValidation {
  verdict: Verdict;
  criteria: { criterionId: string; name: string; verdict: Verdict; risk: string }[];
  /** What proceeding now would risk, one sentence per concern. */
  risksOfProceeding: string[];
}

/** The deterministic quality-gate validation: each criterion's measured result as PASS / FAIL / CONDITIONAL, and what going on anyway risks. */
export function gateValidationBaseline(
  e: Pick<Evaluation, 'gate' | 'outcome' | 'criteria' | 'approvalsPending' | 'approvals'>,
): GateValidation {
  const criteria = e.criteria.map((c) => {
    const verdict: Verdict = c.result === 'PASS' ? 'PASS' : c.result === 'WARN' ? 'CONDITIONAL' : 'FAIL';
    const risk =
      verdict === 'PASS' ? 'none measured' : `${c.hard ? 'a hard' : 'a soft'} criterion not met: ${c.explanation}`;
    return { criterionId: c.criterionId, name: c.name, verdict, risk };
  });
  const risks = criteria.filter((c) => c.verdict !== 'PASS').map((c) => `${c.name}: ${c.risk}`);
  if (e.approvalsPending)
    risks.push(
      `proceeding without the sign-off of ${e.approvals
        .filter((a) => !a.satisfied)
        .map((a) => a.role)
        .join(', ')}`,
    );
  return { verdict: e.outcome, criteria, risksOfProceeding: risks };
}
