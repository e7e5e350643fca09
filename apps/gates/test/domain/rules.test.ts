import { describe, expect, it } from 'vitest';
import { ForbiddenError, RuleError } from '@flightdeck/kernel';
import {
  approvalsOutcome,
  checkApproval,
  evaluateSlo,
  gatesForRelease,
  gatesOfProduct,
  parseGateDefinition,
  readinessBaseline,
  type Approval,
} from '../../src/domain/index.js';
import { template } from './helpers.js';

const person = (subject: string, ...roles: Approval['role'][]) => ({ subject, roles, machine: false });

describe('who may approve', () => {
  const prod = template('PRODUCTION');
  it('never the CI role, whatever other roles the token carries', () => {
    expect(() =>
      checkApproval(
        prod,
        [],
        { subject: 'pipeline', roles: ['CI', 'RELEASE_MANAGER'], machine: true },
        undefined,
        undefined,
      ),
    ).toThrow(ForbiddenError);
  });
  it('only with a role the gate needs and the person holds, once per role, and never after the gate passed', () => {
    expect(checkApproval(prod, [], person('rm', 'RELEASE_MANAGER'), undefined, undefined)).toBe('RELEASE_MANAGER');
    expect(() => checkApproval(prod, [], person('dev', 'DEVELOPER'), undefined, undefined)).toThrow(
      /dev holds DEVELOPER, none of which the PRODUCTION gate still needs an approval from \(it needs RELEASE_MANAGER\)/,
    );
    expect(() => checkApproval(prod, [], person('qa', 'QA_LEAD'), 'RELEASE_MANAGER', undefined)).toThrow(
      'qa does not hold the role RELEASE_MANAGER and cannot approve as it',
    );
    const given: Approval[] = [{ id: 'a', by: 'rm', role: 'RELEASE_MANAGER', comment: '', at: new Date() }];
    expect(() => checkApproval(prod, given, person('rm', 'RELEASE_MANAGER'), 'RELEASE_MANAGER', undefined)).toThrow(
      'rm has already approved the PRODUCTION gate as RELEASE_MANAGER',
    );
    expect(() =>
      checkApproval(prod, [], person('rm', 'RELEASE_MANAGER'), undefined, new Date('2026-03-02T00:00:00Z')),
    ).toThrow(RuleError);
  });
});

describe('four-eyes', () => {
  const needs = [
    { role: 'TECHNICAL_LEAD' as const, count: 1 },
    { role: 'PRODUCT_OWNER' as const, count: 1 },
  ];
  const approval = (by: string, byName: string, role: Approval['role']): Approval => ({
    id: `${by}-${role}`,
    by,
    byName,
    role,
    comment: '',
    at: new Date(),
  });

  it('tells the requester apart by subject, whatever display name their approvals carry', () => {
    const alone = approvalsOutcome(
      needs,
      [approval('tina', 'Tina Lead', 'TECHNICAL_LEAD'), approval('tina', 'Tina Lead', 'PRODUCT_OWNER')],
      true,
      'tina',
    );
    expect(alone.complete).toBe(false);
    expect(alone.pending).toEqual([
      'four-eyes: Tina Lead requested the release and cannot be its only approver; another person must approve',
    ]);
    expect(alone.statuses.map((s) => [s.approvedBy, s.approvedByNames])).toEqual([
      [['tina'], ['Tina Lead']],
      [['tina'], ['Tina Lead']],
    ]);
  });

  it('is not fooled by a display name: someone else named like the requester is another person', () => {
    const other = approvalsOutcome(
      needs,
      [approval('tina', 'Tina Lead', 'TECHNICAL_LEAD'), approval('mallory', 'tina', 'PRODUCT_OWNER')],
      true,
      'tina',
    );
    expect(other).toMatchObject({ complete: true, pending: [] });
    const impostor = approvalsOutcome(
      needs,
      [approval('mallory', 'tina', 'TECHNICAL_LEAD'), approval('mallory', 'tina', 'PRODUCT_OWNER')],
      true,
      'tina',
    );
    expect(impostor.complete).toBe(true);
  });
});

describe('SLO evaluation in the manner of Keptn', () => {
  const objectives = [
    {
      name: 'error rate',
      query: 'x',
      pass: { op: '<=' as const, value: 0.01 },
      warning: { op: '<=' as const, value: 0.05 },
      weight: 1,
      key: false,
    },
    { name: 'p95 latency', query: 'y', pass: { op: '<=' as const, value: 300 }, weight: 1, key: true },
  ];
  it('scores pass as the weight and warning as half, against the total thresholds', () => {
    expect(evaluateSlo(objectives, [{ value: 0.001 }, { value: 250 }], 90, 75)).toMatchObject({
      score: 100,
      result: 'PASS',
    });
    expect(evaluateSlo(objectives, [{ value: 0.03 }, { value: 250 }], 90, 75)).toMatchObject({
      score: 75,
      result: 'WARN',
    });
    expect(evaluateSlo(objectives, [{ value: 0.2 }, { value: 250 }], 90, 75)).toMatchObject({
      score: 50,
      result: 'FAIL',
    });
  });
  it('fails when a key objective fails, whatever the score, and when a query has no data', () => {
    const r = evaluateSlo(objectives, [{ value: 0.001 }, { value: 400 }], 50, 25);
    expect(r).toMatchObject({ score: 50, result: 'FAIL' });
    expect(r.explanation).toMatch(/^key objective p95 latency failed/);
    expect(evaluateSlo(objectives, [{ error: 'empty result' }, { value: 1 }], 90, 75).objectives[0]).toMatchObject({
      result: 'FAIL',
      explanation: 'error rate: no value (empty result); pass needs <= 0.01, warning <= 0.05',
    });
  });
});

describe('gate definitions', () => {
  it("a product's own definition replaces the template of that name; hotfixes get the hotfix gate", () => {
    const custom = {
      ...template('ALPHA'),
      version: 2,
      criteria: template('ALPHA').criteria.slice(0, 1),
      definedBy: 'tl',
    };
    const gates = gatesOfProduct('shop', [custom]);
    expect(gates.map((g) => g.name)).toEqual(['FEATURE_COMPLETE', 'HOTFIX', 'ALPHA', 'BETA', 'PRODUCTION']);
    expect(gates.find((g) => g.name === 'ALPHA')!.version).toBe(2);
    expect(gatesForRelease('MINOR', gates).map((g) => g.name)).toEqual([
      'FEATURE_COMPLETE',
      'ALPHA',
      'BETA',
      'PRODUCTION',
    ]);
    expect(gatesForRelease('HOTFIX', gates).map((g) => g.name)).toEqual(['HOTFIX']);
  });
  it('refuses bad definitions naming the field and the fix', () => {
    expect(() => parseGateDefinition({ name: 'perf', criteria: [] })).toThrow(
      /name: upper case with underscores.*criteria: a gate needs at least one criterion/,
    );
    expect(() =>
      parseGateDefinition({
        name: 'X',
        criteria: [{ id: 'a', name: 'A', kind: 'scope' }],
        approvals: [{ role: 'CI' }],
      }),
    ).toThrow(/approvals\.0\.role: the CI role never approves/);
    expect(() =>
      parseGateDefinition({ name: 'X', criteria: [{ id: 'a', name: 'A', kind: 'performance', op: '<', bound: 1 }] }),
    ).toThrow(/give exactly one of metric/);
    expect(() =>
      parseGateDefinition({
        name: 'X',
        criteria: [
          { id: 'a', name: 'A', kind: 'scope' },
          { id: 'a', name: 'B', kind: 'scope' },
        ],
      }),
    ).toThrow(/criterion id "a" is used twice/);
  });
});

describe('readiness baseline', () => {
  it('GO only when every gate passed with nothing critical open; a failed gate is a blocking issue', () => {
    const go = readinessBaseline(
      [
        { gate: 'BETA', outcome: 'PASS', history: ['FAIL', 'PASS'], failingHard: [] },
        { gate: 'PRODUCTION', outcome: 'PASS', history: ['PASS'], failingHard: [] },
      ],
      [],
    );
    expect(go).toMatchObject({ score: 100, recommendation: 'GO', predictedOutcome: 'PASS', blockingIssues: [] });
    const noGo = readinessBaseline(
      [
        { gate: 'BETA', outcome: 'PASS', history: ['PASS'], failingHard: [] },
        { gate: 'PRODUCTION', outcome: 'FAIL', history: ['CONDITIONAL', 'FAIL'], failingHard: ['Rollback validated'] },
      ],
      [],
    );
    expect(noGo.recommendation).toBe('NO_GO');
    expect(noGo.score).toBe(30 + 20 + 0);
    expect(noGo.blockingIssues).toEqual(['PRODUCTION gate failed', 'PRODUCTION: Rollback validated']);
  });
  it("an override to PASS accepts the gate's failing criteria: followed up, not blocking; an override to FAIL still blocks", () => {
    const override = { byName: 'Rita Manager', reason: 'waived by the CTO' };
    const passed = readinessBaseline(
      [
        {
          gate: 'PRODUCTION',
          outcome: 'PASS',
          history: ['FAIL', 'PASS'],
          failingHard: ['Rollback validated'],
          override,
        },
      ],
      [],
    );
    expect(passed).toMatchObject({ recommendation: 'GO', score: 100, blockingIssues: [] });
    expect(passed.mitigations).toEqual([
      'the PRODUCTION gate was overridden to PASS by Rita Manager (waived by the CTO) with 1 hard criterion failing: Rollback validated; follow it up',
    ]);
    const failed = readinessBaseline(
      [
        {
          gate: 'PRODUCTION',
          outcome: 'FAIL',
          history: ['CONDITIONAL', 'FAIL'],
          failingHard: ['Rollback validated'],
          override,
        },
      ],
      [],
    );
    expect(failed.blockingIssues).toEqual(['PRODUCTION gate failed', 'PRODUCTION: Rollback validated']);
  });
});
