import { agree, count } from '@flightdeck/kernel';
import { approvalsOutcome, type Approval, type ApprovalStatus } from './approvals.js';
import { compare, type Criterion } from './criteria.js';
import {
  ratio,
  type BenchmarkSummary,
  type CoverageSummary,
  type Evidence,
  type SecuritySummary,
  noTests,
  type TestSummary,
} from './evidence.js';
import type { GateDefinition } from './gate-definition.js';
import { evaluateSlo, fmt, type Measurement } from './slo.js';
import { verifyArtifactSignature } from './artifact.js';
import { judgeLicences } from './sbom.js';

export type Outcome = 'PASS' | 'FAIL' | 'CONDITIONAL';
export type CriterionResult = 'PASS' | 'WARN' | 'FAIL';

export interface CriterionEvaluation {
  criterionId: string;
  name: string;
  kind: Criterion['kind'];
  hard: boolean;
  result: CriterionResult;
  /** The measured value as a number when there is one (pass rate, coverage %, findings, score …). */
  value?: number;
  /** The measured value in words, e.g. "118 of 184 lines (64.13%)". */
  measured: string;
  threshold: string;
  /** One sentence a person reads in an incident. */
  explanation: string;
  /** Names of the evidence files (or the query) the value came from. */
  evidence: string[];
}

export interface Evaluation {
  id: string;
  releaseId: string;
  gate: string;
  definitionVersion: number;
  outcome: Outcome;
  criteria: CriterionEvaluation[];
  approvals: ApprovalStatus[];
  approvalsPending: boolean;
  /** Why the outcome is what it is, in sentences. */
  reasons: string[];
  evaluatedAt: Date;
  /** The subject of whoever (or whatever service) caused the evaluation; `evaluatedByName` is for display. */
  evaluatedBy: string;
  evaluatedByName?: string;
  trigger: string;
  /** Set when a person overrode the measured outcome: who (subject and display name) and why, and what it was. */
  override?: { by: string; byName?: string; reason: string; measuredOutcome: Outcome };
}

export interface ChecklistTick {
  criterionId: string;
  itemId: string;
  by: string;
  byName?: string;
  at: Date;
  evidenceUrl?: string;
  note?: string;
}

export interface ScopeFacts {
  total: number;
  done: number;
  /** Titles of the in-scope features not done yet. */
  open: string[];
}

export interface EvaluationInput {
  id: string;
  releaseId: string;
  definition: GateDefinition;
  evidence: Evidence[];
  ticks: ChecklistTick[];
  /** Latest outcome of each other gate of the release. */
  upstream: Record<string, Outcome | undefined>;
  scope?: ScopeFacts;
  /** PromQL values fetched for slo and performance-query criteria, by criterion id (one per objective for slo). */
  measurements: Record<string, Measurement[]>;
  approvals: Approval[];
  /** The subject of whoever requested the release (planning's `createdBy`). */
  requester?: string;
  at: Date;
  by: string;
  byName?: string;
  trigger: string;
}

type Partial = Omit<CriterionEvaluation, 'criterionId' | 'name' | 'kind' | 'hard' | 'result'> & {
  ok: boolean | 'warn';
};

const pct = (n: number | undefined) => (n === undefined ? 'n/a' : `${fmt(n)}%`);
const names = (list: Evidence[]) => list.map((e) => e.name);

function testsOf(evidence: Evidence[]): { sum: TestSummary; from: Evidence[] } | undefined {
  const from = evidence.filter((e) => e.summary.kind === 'JUNIT');
  if (!from.length) return undefined;
  const sum: TestSummary = noTests();
  for (const e of from) {
    if (e.summary.kind !== 'JUNIT') continue;
    const t = e.summary.tests;
    sum.tests += t.tests;
    sum.passed += t.passed;
    sum.failures += t.failures;
    sum.errors += t.errors;
    sum.skipped += t.skipped;
    sum.failed.push(...t.failed);
  }
  return { sum, from };
}

function coverageOf(evidence: Evidence[]): { sum: CoverageSummary; from: Evidence[] } | undefined {
  const from = evidence.filter((e) => e.summary.kind === 'LCOV' || e.summary.kind === 'COBERTURA');
  if (!from.length) return undefined;
  const sum: CoverageSummary = {
    format: 'lcov',
    files: 0,
    lines: { covered: 0, total: 0 },
    branches: { covered: 0, total: 0 },
  };
  for (const e of from) {
    if (e.summary.kind !== 'LCOV' && e.summary.kind !== 'COBERTURA') continue;
    const c = e.summary.coverage;
    sum.files += c.files;
    sum.lines.covered += c.lines.covered;
    sum.lines.total += c.lines.total;
    sum.branches.covered += c.branches.covered;
    sum.branches.total += c.branches.total;
    if (c.changed) {
      sum.changed ??= {
        files: 0,
        lines: { covered: 0, total: 0 },
        branches: { covered: 0, total: 0 },
        notInReport: [],
      };
      sum.changed.files += c.changed.files;
      sum.changed.lines.covered += c.changed.lines.covered;
      sum.changed.lines.total += c.changed.lines.total;
      sum.changed.branches.covered += c.changed.branches.covered;
      sum.changed.branches.total += c.changed.branches.total;
      sum.changed.notInReport.push(...c.changed.notInReport);
    }
  }
  return { sum, from };
}

function securityOf(evidence: Evidence[]): { sum: SecuritySummary; from: Evidence[] } | undefined {
  const from = evidence.filter((e) => e.summary.kind === 'SARIF');
  if (!from.length) return undefined;
  const sum: SecuritySummary = {
    runs: 0,
    tools: [],
    byLevel: { error: 0, warning: 0, note: 0, none: 0 },
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    suppressed: 0,
    total: 0,
  };
  for (const e of from) {
    if (e.summary.kind !== 'SARIF') continue;
    const s = e.summary.security;
    sum.runs += s.runs;
    sum.tools.push(...s.tools.filter((t) => !sum.tools.includes(t)));
    for (const k of Object.keys(sum.byLevel) as (keyof SecuritySummary['byLevel'])[]) sum.byLevel[k] += s.byLevel[k];
    for (const k of Object.keys(sum.bySeverity) as (keyof SecuritySummary['bySeverity'])[])
      sum.bySeverity[k] += s.bySeverity[k];
    sum.suppressed += s.suppressed;
    sum.total += s.total;
  }
  return { sum, from };
}

function benchmarksOf(evidence: Evidence[]): { metrics: BenchmarkSummary['metrics']; from: Evidence[] } {
  const from = evidence.filter((e) => e.summary.kind === 'BENCHMARK');
  const metrics: BenchmarkSummary['metrics'] = {};
  for (const e of from) if (e.summary.kind === 'BENCHMARK') Object.assign(metrics, e.summary.benchmark.metrics);
  return { metrics, from };
}

const missing = (what: string, threshold: string): Partial => ({
  ok: false,
  measured: 'no evidence',
  threshold,
  explanation: `no ${what} submitted for this gate yet`,
  evidence: [],
});

function judge(c: Criterion, input: EvaluationInput): Partial {
  const ev = input.evidence;
  switch (c.kind) {
    case 'tests': {
      const bounds = [
        c.minPassRate !== undefined && `pass rate ≥ ${c.minPassRate}%`,
        c.maxFailures !== undefined && `failures + errors ≤ ${c.maxFailures}`,
        c.minTests !== undefined && `at least ${c.minTests} tests`,
      ]
        .filter(Boolean)
        .join(', ');
      const t = testsOf(ev);
      if (!t) return missing('JUnit report', bounds);
      const s = t.sum;
      const ran = s.tests - s.skipped;
      const rate = ran === 0 ? 0 : (100 * s.passed) / ran;
      const broken: string[] = [];
      if (c.minPassRate !== undefined && rate < c.minPassRate)
        broken.push(`pass rate ${pct(rate)} is below ${c.minPassRate}%`);
      if (c.maxFailures !== undefined && s.failures + s.errors > c.maxFailures) {
        const first = s.failed
          .slice(0, 3)
          .map((f) => `${f.classname ? `${f.classname}.` : ''}${f.name}`)
          .join(', ');
        broken.push(
          `${s.failures} failures and ${s.errors} errors exceed ${c.maxFailures}${first ? ` (first: ${first})` : ''}`,
        );
      }
      if (c.minTests !== undefined && s.tests < c.minTests)
        broken.push(`${count(s.tests, 'test')} ${agree(s.tests, 'is', 'are')} fewer than ${c.minTests}`);
      const measured = `${s.tests} tests: ${s.passed} passed, ${s.failures} failed, ${s.errors} errors, ${s.skipped} skipped (pass rate ${pct(rate)})`;
      return {
        ok: broken.length === 0,
        value: rate,
        measured,
        threshold: bounds,
        explanation: broken.length ? broken.join('; ') : `${measured} meets ${bounds}`,
        evidence: names(t.from),
      };
    }
    case 'coverage': {
      const threshold = `${c.metric} coverage${c.scope === 'changed' ? ' of changed files' : ''} ≥ ${c.min}%`;
      const cov = coverageOf(ev);
      if (!cov) return missing('coverage report (lcov or Cobertura)', threshold);
      const totals = c.scope === 'changed' ? cov.sum.changed : cov.sum;
      if (!totals)
        return {
          ok: false,
          measured: 'no changed files given',
          threshold,
          explanation:
            'the coverage evidence names no changed files; submit it with the changed files to measure their coverage',
          evidence: names(cov.from),
        };
      const r = c.metric === 'line' ? totals.lines : totals.branches;
      const value = ratio(r);
      const measured = `${r.covered} of ${r.total} ${c.metric === 'line' ? 'lines' : 'branches'} (${pct(value)})`;
      if (value === undefined)
        return {
          ok: false,
          measured,
          threshold,
          explanation: `the report has no ${c.metric === 'line' ? 'lines' : 'branches'} to measure`,
          evidence: names(cov.from),
        };
      const ok = value >= c.min;
      return {
        ok,
        value,
        measured,
        threshold,
        explanation: ok ? `${measured} meets ${c.min}%` : `${measured} is below ${c.min}%`,
        evidence: names(cov.from),
      };
    }
    case 'security': {
      const limits: [string, number | undefined, (s: SecuritySummary) => number][] = [
        ['errors', c.maxErrors, (s) => s.byLevel.error],
        ['warnings', c.maxWarnings, (s) => s.byLevel.warning],
        ['notes', c.maxNotes, (s) => s.byLevel.note],
        ['critical (security-severity ≥ 9)', c.maxCritical, (s) => s.bySeverity.critical],
        ['high (security-severity 7–8.9)', c.maxHigh, (s) => s.bySeverity.high],
      ];
      const threshold = limits
        .filter(([, max]) => max !== undefined)
        .map(([n, max]) => `${n} ≤ ${max}`)
        .join(', ');
      const sec = securityOf(ev);
      if (!sec) return missing('SARIF scan', threshold);
      const s = sec.sum;
      const over = limits
        .filter(([, max, get]) => max !== undefined && get(s) > max)
        .map(([n, max, get]) => `${get(s)} ${n} exceed ${max}`);
      const measured = `${s.byLevel.error} errors, ${s.byLevel.warning} warnings, ${s.byLevel.note} notes (${s.suppressed} suppressed) from ${s.tools.join(', ')}`;
      const worst = limits.find(([, max]) => max !== undefined);
      return {
        ok: over.length === 0,
        value: worst ? worst[2](s) : s.total - s.suppressed,
        measured,
        threshold,
        explanation: over.length ? over.join('; ') : `${measured} within ${threshold}`,
        evidence: names(sec.from),
      };
    }
    case 'performance': {
      const threshold = `${c.metric ?? 'query'} ${c.op} ${c.bound}`;
      let value: number | undefined;
      let from: string[] = [];
      if (c.metric) {
        const b = benchmarksOf(ev);
        value = b.metrics[c.metric]?.value;
        from = names(b.from);
        if (value === undefined)
          return { ...missing(`benchmark result with "${c.metric}"`, threshold), evidence: from };
      } else {
        const m = input.measurements[c.id]?.[0];
        from = [c.query!];
        if (!m || 'error' in m)
          return {
            ok: false,
            measured: 'no value',
            threshold,
            explanation: `the query returned no value: ${m && 'error' in m ? m.error : 'not measured'}`,
            evidence: from,
          };
        value = m.value;
      }
      const ok = compare(value, c.op, c.bound);
      return {
        ok,
        value,
        measured: fmt(value),
        threshold,
        explanation: `${c.metric ?? 'the query'} = ${fmt(value)} ${ok ? 'meets' : 'misses'} ${c.op} ${c.bound}`,
        evidence: from,
      };
    }
    case 'slo': {
      const r = evaluateSlo(c.objectives, input.measurements[c.id] ?? [], c.passScore, c.warningScore);
      return {
        ok: r.result === 'PASS' ? true : r.result === 'WARN' ? 'warn' : false,
        value: r.score,
        measured: `score ${fmt(r.score)}%`,
        threshold: `score ≥ ${c.passScore}% (warning ≥ ${c.warningScore}%) over ${c.window}`,
        explanation: r.explanation,
        evidence: c.objectives.map((o) => o.query),
      };
    }
    case 'checklist': {
      const ticked = c.items.filter((i) => input.ticks.some((t) => t.criterionId === c.id && t.itemId === i.id));
      const open = c.items.filter((i) => !ticked.includes(i));
      const links = input.ticks.filter((t) => t.criterionId === c.id && t.evidenceUrl).map((t) => t.evidenceUrl!);
      return {
        ok: open.length === 0,
        value: ticked.length,
        measured: `${ticked.length} of ${count(c.items.length, 'item')} ticked`,
        threshold: c.items.length === 1 ? 'the one item ticked' : `all ${c.items.length} items ticked`,
        explanation: open.length
          ? `not ticked yet: ${open.map((i) => i.label).join('; ')}`
          : `every item ticked (${c.items.map((i) => i.label).join('; ')})`,
        evidence: links,
      };
    }
    case 'upstream': {
      const o = input.upstream[c.gate];
      const threshold = `${c.gate} gate PASS`;
      if (o === 'PASS')
        return { ok: true, measured: 'PASS', threshold, explanation: `the ${c.gate} gate passed`, evidence: [c.gate] };
      if (o === 'CONDITIONAL')
        return {
          ok: 'warn',
          measured: 'CONDITIONAL',
          threshold,
          explanation: `the ${c.gate} gate passed only with conditions`,
          evidence: [c.gate],
        };
      return {
        ok: false,
        measured: o ?? 'not evaluated',
        threshold,
        explanation: o ? `the ${c.gate} gate failed` : `the ${c.gate} gate has not been evaluated yet`,
        evidence: [c.gate],
      };
    }
    case 'sbom': {
      const threshold = `no ${c.deniedLicences.join(', ')} licences; at most ${c.maxWithoutLicence} components without a licence${c.allowUnparsed ? '' : '; every licence an SPDX expression'}; at least ${c.minComponents} components`;
      const from = ev.filter((e) => e.summary.kind === 'SBOM');
      const latest = from.at(-1);
      if (!latest || latest.summary.kind !== 'SBOM') return missing('SBOM (CycloneDX or SPDX JSON)', threshold);
      const sbom = latest.summary.sbom;
      const verdict = judgeLicences(sbom, {
        denied: c.deniedLicences,
        maxWithoutLicence: c.maxWithoutLicence,
        allowUnparsed: c.allowUnparsed,
      });
      const broken = [
        ...verdict.refused.map((u) => `${u.components} with ${u.expression} (${u.examples.join(', ')})`),
        ...(c.allowUnparsed
          ? []
          : verdict.unparsed.map(
              (u) => `${u.components} with "${u.expression}", not an SPDX expression (${u.examples.join(', ')})`,
            )),
        ...(verdict.withoutLicence > c.maxWithoutLicence
          ? [`${verdict.withoutLicence} without a licence (${sbom.withoutLicence.examples.join(', ')})`]
          : []),
        ...(sbom.components < c.minComponents ? [`only ${sbom.components} components listed`] : []),
      ];
      const measured = `${sbom.format} ${sbom.specVersion}: ${sbom.components} components, ${sbom.licences.length} distinct licences (${sbom.licences
        .slice(0, 5)
        .map((u) => `${u.expression} ${u.components}`)
        .join(', ')}), ${sbom.withoutLicence.components} without`;
      return {
        ok: broken.length === 0,
        value: sbom.components,
        measured,
        threshold,
        explanation: broken.length
          ? `the licence policy refuses: ${broken.join('; ')}`
          : `${measured}: within the licence policy`,
        evidence: [latest.name],
      };
    }
    case 'artifact': {
      const threshold = `signed with the team's key, built from a branch matching ${c.branchPattern}${c.requireCleanBuild ? ', from a clean checkout' : ''}`;
      const latest = ev.filter((e) => e.summary.kind === 'ARTIFACT').at(-1);
      if (!latest || latest.summary.kind !== 'ARTIFACT')
        return missing('build record of the release candidate', threshold);
      const a = latest.summary.artifact;
      const measured = `${a.artifact} ${a.versionTag} ${a.digest} from ${a.sourceBranch}@${a.commit.slice(0, 12)}${a.cleanBuild ? ' (clean build)' : ' (not a clean build)'}`;
      const broken: string[] = [];
      if (!new RegExp(c.branchPattern).test(a.sourceBranch))
        broken.push(`built from ${a.sourceBranch}, not a branch matching ${c.branchPattern}`);
      if (c.requireCleanBuild && !a.cleanBuild) broken.push('the build did not start from a clean checkout');
      let signed = '';
      if (!c.publicKey)
        broken.push(
          "the gate names no public key of the team: define the gate for the product with the team's key (criterion publicKey)",
        );
      else {
        const check = verifyArtifactSignature(a, c.publicKey);
        if (check.valid) signed = `, ${check.algorithm} signature verified`;
        else broken.push(check.reason);
      }
      return {
        ok: broken.length === 0,
        measured: measured + signed,
        threshold,
        explanation: broken.length ? broken.join('; ') : `${measured}${signed}`,
        evidence: [latest.name],
      };
    }
    case 'scope': {
      const s = input.scope;
      const threshold = 'every planned feature DONE';
      if (!s || s.total === 0)
        return {
          ok: false,
          measured: 'no planned features known',
          threshold,
          explanation: "no planned features are known for this release (from planning's events)",
          evidence: ['planning'],
        };
      const ok = s.done === s.total;
      return {
        ok,
        value: (100 * s.done) / s.total,
        measured: `${s.done} of ${count(s.total, 'feature')} done`,
        threshold,
        explanation: ok
          ? allDone(s.total)
          : `not done yet: ${s.open.slice(0, 5).join('; ')}${s.open.length > 5 ? ` and ${s.open.length - 5} more` : ''}`,
        evidence: ['planning'],
      };
    }
  }
}

/**
 * What the gate waits for when approvals are all that keep it from passing (CONDITIONAL, every criterion passed): the
 * roles still missing approvals, none when only four-eyes waits for another person. Undefined otherwise.
 */
export function awaitingApprovals(e: Evaluation): { roles: string[] } | undefined {
  if (e.outcome !== 'CONDITIONAL' || !e.approvalsPending || e.criteria.some((c) => c.result !== 'PASS'))
    return undefined;
  return { roles: e.approvals.filter((s) => !s.satisfied).map((s) => s.role) };
}

/**
 * Evaluates a gate from its evidence, ticks, upstream gates, scope, measurements and approvals.
 * FAIL when a hard criterion fails; CONDITIONAL when every hard criterion passes but a soft one does
 * not (or a criterion only warns), or approvals are pending; PASS otherwise.
 */
export function evaluateGate(input: EvaluationInput): Evaluation {
  const def = input.definition;
  const criteria = def.criteria.map((c): CriterionEvaluation => {
    const { ok, ...rest } = judge(c, input);
    const result: CriterionResult = ok === true ? 'PASS' : ok === 'warn' ? 'WARN' : c.hard ? 'FAIL' : 'WARN';
    return { criterionId: c.id, name: c.name, kind: c.kind, hard: c.hard, result, ...rest };
  });
  const approvals = approvalsOutcome(def.approvals, input.approvals, def.fourEyes, input.requester);
  const failed = criteria.filter((c) => c.result === 'FAIL');
  const warned = criteria.filter((c) => c.result === 'WARN');
  const outcome: Outcome = failed.length ? 'FAIL' : warned.length || !approvals.complete ? 'CONDITIONAL' : 'PASS';
  const reasons = [
    ...failed.map((c) => `${c.name}: ${c.explanation}`),
    ...warned.map((c) => `${c.name} (${c.hard ? 'warning' : 'soft'}): ${c.explanation}`),
    ...approvals.pending.map((p) => `approval pending: ${p}`),
  ];
  if (outcome === 'PASS') reasons.push(`all ${criteria.length} criteria passed and the approvals are complete`);
  return {
    id: input.id,
    releaseId: input.releaseId,
    gate: def.name,
    definitionVersion: def.version,
    outcome,
    criteria,
    approvals: approvals.statuses,
    approvalsPending: !approvals.complete,
    reasons,
    evaluatedAt: input.at,
    evaluatedBy: input.by,
    ...(input.byName ? { evaluatedByName: input.byName } : {}),
    trigger: input.trigger,
  };
}

/** "all 3 planned features are done", "the one planned feature is done". */
function allDone(total: number): string {
  return total === 1 ? 'the one planned feature is done' : `all ${total} planned features are done`;
}
