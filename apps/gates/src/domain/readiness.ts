import type { Outcome } from './evaluation.js';

export interface GateStanding {
  gate: string;
  outcome?: Outcome;
  /** Outcomes of the gate's evaluations, oldest first. */
  history: Outcome[];
  /** Names of the hard criteria the latest evaluation measured as failing. */
  failingHard: string[];
  /** The latest outcome was set by a person (an audited override): who (display name) and why. */
  override?: { byName: string; reason: string };
}

export interface ReadinessBaseline {
  score: number;
  recommendation: 'GO' | 'CONDITIONAL_GO' | 'NO_GO';
  confidence: number;
  blockingIssues: string[];
  mitigations: string[];
  monitoring: string[];
  /** What the last gate (Production or Hotfix) is expected to come out as. */
  predictedOutcome: Outcome;
}

const value = (o: Outcome | undefined) => (o === 'PASS' ? 1 : o === 'CONDITIONAL' ? 0.5 : 0);

/**
 * A deterministic go/no-go score out of 100: 60 from the gates (PASS full, CONDITIONAL half), 25 from
 * open critical issues (failing hard criteria and critical findings, 5 points each), 15 from the trend
 * (the latest evaluations improving or holding rather than getting worse).
 */
export function readinessBaseline(gates: GateStanding[], criticalIssues: string[]): ReadinessBaseline {
  const gateScore = gates.length ? (60 * gates.reduce((a, g) => a + value(g.outcome), 0)) / gates.length : 0;
  // A person who overrode a gate to PASS or CONDITIONAL accepted its failing criteria: they are followed up, not blocking.
  const accepted = gates.filter((g) => g.override && g.outcome !== 'FAIL' && g.failingHard.length > 0);
  const issues = [
    ...criticalIssues,
    ...gates.filter((g) => !accepted.includes(g)).flatMap((g) => g.failingHard.map((c) => `${g.gate}: ${c}`)),
  ];
  const issueScore = Math.max(0, 25 - 5 * issues.length);
  const trends = gates
    .filter((g) => g.history.length >= 2)
    .map((g) => Math.sign(value(g.history.at(-1)) - value(g.history.at(-2))));
  const trendScore = trends.length ? 15 * (trends.filter((t) => t >= 0).length / trends.length) : 7.5;
  const score = Math.round(gateScore + issueScore + trendScore);
  const failed = gates.filter((g) => g.outcome === 'FAIL' || g.outcome === undefined);
  const recommendation =
    failed.length === 0 && issues.length === 0 && score >= 80
      ? 'GO'
      : failed.length === 0 && score >= 60
        ? 'CONDITIONAL_GO'
        : 'NO_GO';
  const last = gates.at(-1);
  return {
    score,
    recommendation,
    confidence: 0.6,
    blockingIssues: [...failed.map((g) => `${g.gate} gate ${g.outcome ? 'failed' : 'not evaluated'}`), ...issues],
    mitigations: [
      ...gates
        .filter((g) => g.outcome === 'CONDITIONAL')
        .map((g) => `resolve the conditions of the ${g.gate} gate before going live`),
      ...accepted.map(
        (g) =>
          `the ${g.gate} gate was overridden to ${g.outcome} by ${g.override!.byName} (${g.override!.reason}) with ${g.failingHard.length} hard ${g.failingHard.length === 1 ? 'criterion' : 'criteria'} failing: ${g.failingHard.join(', ')}; follow ${g.failingHard.length === 1 ? 'it' : 'them'} up`,
      ),
    ],
    monitoring: ['error rate and latency SLOs for the first 48 h', 'rollback readiness during the rollout'],
    predictedOutcome:
      last?.outcome ??
      (recommendation === 'GO' ? 'PASS' : recommendation === 'CONDITIONAL_GO' ? 'CONDITIONAL' : 'FAIL'),
  };
}
