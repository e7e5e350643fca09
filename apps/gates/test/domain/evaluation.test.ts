import { describe, expect, it } from 'vitest';
import {
  awaitingApprovals,
  criterionSchema,
  evaluateGate,
  type Approval,
  type GateDefinition,
} from '../../src/domain/index.js';
import { benchmark, evidenceFrom, input, template } from './helpers.js';

const approval = (by: string, role: Approval['role'], extra: Partial<Approval> = {}): Approval => ({
  id: `${by}-${role}`,
  by,
  role,
  comment: 'ok',
  at: new Date(),
  ...extra,
});
const gate = (criteria: unknown[], over: Partial<GateDefinition> = {}): GateDefinition => ({
  ...template('FEATURE_COMPLETE'),
  name: 'CUSTOM',
  criteria: criteria.map((c) => criterionSchema.parse(c)),
  approvals: [],
  ...over,
});

describe('criteria measured from real evidence', () => {
  it('tests: the Surefire report fails "failures = 0" and says which cases broke', async () => {
    const ev = await evidenceFrom('JUNIT', 'maven-surefire-EmailAddressTest.xml');
    const e = evaluateGate(
      input(gate([{ id: 't', name: 'Tests', kind: 'tests', maxFailures: 0, minTests: 5 }]), { evidence: [ev] }),
    );
    const c = e.criteria[0]!;
    expect(c).toMatchObject({
      result: 'FAIL',
      measured: '9 tests: 2 passed, 2 failed, 5 errors, 0 skipped (pass rate 22.22%)',
      threshold: 'failures + errors ≤ 0, at least 5 tests',
      evidence: ['maven-surefire-EmailAddressTest.xml'],
    });
    expect(c.explanation).toMatch(
      /^2 failures and 5 errors exceed 0 \(first: action\.surefire\.report\.email\.EmailAddressTest\./,
    );
    expect(e.outcome).toBe('FAIL');
  });

  it('tests: pass rate leaves skipped cases out (pytest: 6 of 8 run)', async () => {
    const ev = await evidenceFrom('JUNIT', 'pytest-junitxml.xml');
    const pass = evaluateGate(
      input(gate([{ id: 't', name: 'Tests', kind: 'tests', minPassRate: 75 }]), { evidence: [ev] }),
    );
    expect(pass.criteria[0]).toMatchObject({ result: 'PASS', value: 75 });
    const fail = evaluateGate(
      input(gate([{ id: 't', name: 'Tests', kind: 'tests', minPassRate: 76 }]), { evidence: [ev] }),
    );
    expect(fail.criteria[0]).toMatchObject({ result: 'FAIL', explanation: 'pass rate 75% is below 76%' });
  });

  it('coverage: line and branch, overall and of changed files', async () => {
    const cob = await evidenceFrom('COBERTURA', 'cobertura-2.1.1-java.xml', ['test/AbstractClass.java']);
    const e = evaluateGate(
      input(
        gate([
          { id: 'line', name: 'Line', kind: 'coverage', metric: 'line', min: 66 },
          { id: 'branch', name: 'Branch', kind: 'coverage', metric: 'branch', min: 50 },
          { id: 'changed', name: 'Changed', kind: 'coverage', metric: 'line', scope: 'changed', min: 100 },
        ]),
        { evidence: [cob] },
      ),
    );
    expect(e.criteria.map((c) => [c.result, c.measured])).toEqual([
      ['PASS', '24 of 36 lines (66.67%)'],
      ['FAIL', '1 of 4 branches (25%)'],
      ['PASS', '3 of 3 lines (100%)'],
    ]);
  });

  it('security: levels summed over several SARIF logs, a soft limit only warns', async () => {
    const evidence = [
      await evidenceFrom('SARIF', 'trivy-alpine-310.sarif'),
      await evidenceFrom('SARIF', 'msbuild-converter-someerrors.sarif'),
    ];
    const e = evaluateGate(
      input(
        gate([
          { id: 'errors', name: 'No errors', kind: 'security', maxErrors: 4 },
          { id: 'warnings', name: 'Few warnings', kind: 'security', hard: false, maxWarnings: 5 },
        ]),
        { evidence },
      ),
    );
    expect(e.criteria[0]).toMatchObject({
      result: 'PASS',
      value: 4,
      measured: '4 errors, 8 warnings, 3 notes (0 suppressed) from Trivy, MSBuild',
    });
    expect(e.criteria[1]).toMatchObject({ result: 'WARN', explanation: '8 warnings exceed 5' });
    expect(e.outcome).toBe('CONDITIONAL');
    expect(e.reasons).toEqual(['Few warnings (soft): 8 warnings exceed 5']);
  });

  it('performance from a benchmark file and from a PromQL measurement', () => {
    const def = gate([
      { id: 'p95', name: 'p95', kind: 'performance', metric: 'p95_latency_ms', op: '<=', bound: 500 },
      {
        id: 'rps',
        name: 'throughput',
        kind: 'performance',
        query: 'sum(rate(http_requests_total[5m]))',
        op: '>=',
        bound: 100,
      },
    ]);
    const e = evaluateGate(
      input(def, { evidence: [benchmark({ p95_latency_ms: 612 })], measurements: { rps: [{ value: 140 }] } }),
    );
    expect(e.criteria.map((c) => [c.result, c.explanation])).toEqual([
      ['FAIL', 'p95_latency_ms = 612 misses <= 500'],
      ['PASS', 'the query = 140 meets >= 100'],
    ]);
  });

  it('missing evidence fails a hard criterion with a sentence saying what to submit', () => {
    const e = evaluateGate(input(gate([{ id: 't', name: 'Tests', kind: 'tests', maxFailures: 0 }])));
    expect(e.criteria[0]).toMatchObject({
      result: 'FAIL',
      measured: 'no evidence',
      explanation: 'no JUnit report submitted for this gate yet',
    });
  });
});

describe('the standard gates', () => {
  it('Feature Complete: scope, checklist, coverage and tests, then the Technical Lead approval', async () => {
    const def = template('FEATURE_COMPLETE');
    const base = {
      evidence: [
        await evidenceFrom('LCOV', 'lcov-istanbul-coveralls.info'),
        await evidenceFrom('JUNIT', 'phpunit-nested-testsuites.xml'),
      ],
      scope: { total: 3, done: 2, open: ['Checkout v2'] },
      ticks: [
        {
          criterionId: 'code-freeze',
          itemId: 'reviews-done',
          by: 'ann',
          at: new Date(),
          evidenceUrl: 'https://ci/reviews',
        },
      ],
    };
    const first = evaluateGate(input(def, base));
    expect(first.outcome).toBe('FAIL');
    expect(first.criteria.map((c) => `${c.criterionId}:${c.result}`)).toEqual([
      'scope-done:FAIL',
      'code-freeze:FAIL',
      'unit-coverage:PASS',
      'integration-tests:FAIL',
    ]);
    expect(first.reasons).toContain('Code freeze checklist: not ticked yet: Release branch cut');
    expect(first.reasons).toContain('approval pending: 1 more approval from TECHNICAL_LEAD (0 of 1)');
    // Failing criteria: not a gate waiting on approvals alone (the event carries no awaitingApprovals).
    expect(awaitingApprovals(first)).toBeUndefined();

    const jest = await evidenceFrom('JUNIT', 'jest-junit.xml');
    if (jest.summary.kind !== 'JUNIT') throw new Error('expected a JUnit summary');
    const greenRun = {
      ...jest,
      summary: { kind: 'JUNIT' as const, tests: { ...jest.summary.tests, failures: 0, passed: 5, failed: [] } },
    };
    const fixed = {
      ...base,
      evidence: [base.evidence[0]!, greenRun],
      scope: { total: 3, done: 3, open: [] },
      ticks: [...base.ticks, { criterionId: 'code-freeze', itemId: 'branch-cut', by: 'ann', at: new Date() }],
    };
    const pending = evaluateGate(input(def, fixed));
    expect(pending.outcome).toBe('CONDITIONAL');
    expect(pending.approvalsPending).toBe(true);
    expect(pending.criteria.every((c) => c.result === 'PASS')).toBe(true);
    expect(awaitingApprovals(pending)).toEqual({ roles: ['TECHNICAL_LEAD'] });
    const approved = evaluateGate(input(def, { ...fixed, approvals: [approval('tom', 'TECHNICAL_LEAD')] }));
    expect(approved.outcome).toBe('PASS');
    expect(approved.reasons).toEqual(['all 4 criteria passed and the approvals are complete']);
    expect(awaitingApprovals(approved)).toBeUndefined();
  });

  it('Production: the upstream Beta gate, the checklist, and four-eyes on the Release Manager approval', () => {
    const def = template('PRODUCTION');
    const ticks = ['beta-feedback', 'deployment-tested', 'rollback-validated', 'monitoring-ready'].map((itemId) => ({
      criterionId: 'production-validation',
      itemId,
      by: 'rm',
      at: new Date(),
    }));
    const byRequester = evaluateGate(
      input(def, {
        ticks,
        upstream: { BETA: 'PASS' },
        requester: 'rita',
        approvals: [approval('rita', 'RELEASE_MANAGER')],
      }),
    );
    expect(byRequester.outcome).toBe('CONDITIONAL');
    expect(byRequester.reasons).toEqual([
      'approval pending: four-eyes: rita requested the release and cannot be its only approver; another person must approve',
    ]);
    // Every role has its approval; four-eyes waits for another person.
    expect(awaitingApprovals(byRequester)).toEqual({ roles: [] });

    const second = evaluateGate(
      input(def, {
        ticks,
        upstream: { BETA: 'PASS' },
        requester: 'rita',
        approvals: [approval('rita', 'RELEASE_MANAGER'), approval('sam', 'RELEASE_MANAGER')],
      }),
    );
    expect(second.outcome).toBe('PASS');
    expect(second.approvals).toEqual([
      {
        role: 'RELEASE_MANAGER',
        required: 1,
        approvedBy: ['rita', 'sam'],
        approvedByNames: ['rita', 'sam'],
        satisfied: true,
      },
    ]);

    const withdrawn = evaluateGate(
      input(def, {
        ticks,
        upstream: { BETA: 'PASS' },
        approvals: [approval('sam', 'RELEASE_MANAGER', { withdrawnAt: new Date() })],
      }),
    );
    expect(withdrawn.outcome).toBe('CONDITIONAL');

    const betaConditional = evaluateGate(
      input(def, { ticks, upstream: { BETA: 'CONDITIONAL' }, approvals: [approval('sam', 'RELEASE_MANAGER')] }),
    );
    expect(betaConditional.outcome).toBe('CONDITIONAL');
    expect(evaluateGate(input(def, { ticks, approvals: [approval('sam', 'RELEASE_MANAGER')] })).reasons[0]).toBe(
      'Beta gate passed: the BETA gate has not been evaluated yet',
    );
  });
});
