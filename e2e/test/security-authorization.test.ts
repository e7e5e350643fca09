import type {} from '@flightdeck/testing/global-setup';
import { DEADLINES, eventually, gql, type GraphQLResult } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROLES } from '@flightdeck/auth';
import { COLUMNS, operationOf, readExpectedMatrix, renderMatrix, type Column } from '../src/authz-matrix.js';
import { supergraphOperations } from '../src/operations.js';
import { startSecurityStack, type SecurityStack } from '../src/security-stack.js';
import { ATTACKS, forgedTokens, issuedToken, type Attack } from '../src/tokens.js';

/**
 * The authorisation matrix: every mutation, every query and every field another subgraph adds to Release, asked
 * through the gateway of a whole stack (every service its own process, tokens verified against a JWKS as in
 * production) by every role, with no token, and with every kind of forged token. Each answer is compared with the
 * table in docs/SECURITY.md; an operation of the supergraph without a row fails too.
 */

interface Fixtures {
  releaseId: string;
  release: string;
  cancelId: string;
  featureId: string;
}

type Request = { query: string; variables?: Record<string, unknown> };

const JUNIT = '<testsuite name="s" tests="1"><testcase classname="c" name="t" time="0.1"/></testsuite>';
const SIGNOFF = {
  name: 'SIGNOFF',
  order: 50,
  criteria: [
    { id: 'go', name: 'Go-live checklist', kind: 'checklist', items: [{ id: 'runbook', label: 'Runbook reviewed' }] },
  ],
  // More approvals than the matrix gives: the gate never passes, so an approval is always judged on the role.
  approvals: [
    { role: 'QA_LEAD', count: 3 },
    { role: 'TECHNICAL_LEAD', count: 3 },
  ],
};

let serial = 0;

/** One request per row of the matrix; each is sent once per column, in the order of the table. */
const REQUESTS: Record<string, (f: Fixtures) => Request> = {
  'Mutation.openIncident': () => ({
    query: 'mutation { openIncident(input: { title: "matrix", severity: info, product: "matrix" }) { id } }',
  }),
  'Mutation.resolveIncident': () => ({ query: 'mutation { resolveIncident(id: "no-such-incident") { id } }' }),
  'Mutation.startRetrospective': (f) => ({
    query: 'mutation($r: ID!) { startRetrospective(releaseId: $r) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.addRetrospectiveItem': (f) => ({
    query:
      'mutation($r: ID!) { addRetrospectiveItem(releaseId: $r, stage: GATHER_DATA, kind: NOTE, text: "matrix") { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.addActionItem': (f) => ({
    query:
      'mutation($r: ID!) { addActionItem(releaseId: $r, input: { title: "t", owner: "o", dueDate: "2030-01-01T00:00:00Z" }) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.updateActionItem': (f) => ({
    query:
      'mutation($r: ID!) { updateActionItem(releaseId: $r, actionItemId: "none", patch: { title: "x" }) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.completeRetrospective': (f) => ({
    query: 'mutation($r: ID!) { completeRetrospective(releaseId: $r) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.startRollout': (f) => ({
    query:
      'mutation($r: ID!) { startRollout(input: { releaseId: $r, target: { namespace: "demo", deployment: "web", container: "web" }, image: "demo/web:9.9.9" }) { id } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.approveStep': () => ({ query: 'mutation { approveStep(id: "no-such-rollout") { id } }' }),
  'Mutation.abortRollout': () => ({
    query: 'mutation { abortRollout(id: "no-such-rollout", reason: "matrix") { id } }',
  }),
  'Mutation.recordValidationCheck': () => ({
    query: 'mutation { recordValidationCheck(id: "no-such-rollout", checkId: "c", passed: true) { id } }',
  }),
  'Mutation.retryRollout': () => ({ query: 'mutation { retryRollout(id: "no-such-rollout") { id } }' }),
  'Mutation.startReleaseRollout': (f) => ({
    query:
      'mutation($r: ID!) { startReleaseRollout(input: { releaseId: $r, workloads: [{ target: { namespace: "demo", deployment: "web", container: "web" }, image: "demo/web:9.9.9" }] }) { id } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.promoteReleaseRollout': () => ({
    query: 'mutation { promoteReleaseRollout(id: "no-such-release-rollout") { id } }',
  }),
  'Mutation.pauseReleaseRollout': () => ({
    query: 'mutation { pauseReleaseRollout(id: "no-such-release-rollout", reason: "matrix") { id } }',
  }),
  'Mutation.abortReleaseRollout': () => ({
    query: 'mutation { abortReleaseRollout(id: "no-such-release-rollout", reason: "matrix") { id } }',
  }),
  'Mutation.retryReleaseRollout': () => ({
    query: 'mutation { retryReleaseRollout(id: "no-such-release-rollout") { id } }',
  }),
  'Mutation.defineGate': () => ({
    query: 'mutation($d: JSON!) { defineGate(product: "matrix", definition: $d) { version } }',
    variables: { d: SIGNOFF },
  }),
  'Mutation.submitEvidence': (f) => ({
    query: 'mutation($i: SubmitEvidenceInput!) { submitEvidence(input: $i) { name } }',
    variables: { i: { release: f.release, gate: 'SIGNOFF', kind: 'JUNIT', name: 'reports/junit.xml', content: JUNIT } },
  }),
  'Mutation.evaluateGate': (f) => ({
    query: 'mutation($r: String!) { evaluateGate(release: $r, gate: "SIGNOFF") { name } }',
    variables: { r: f.release },
  }),
  'Mutation.approveGate (SIGNOFF needs QA_LEAD and TECHNICAL_LEAD)': (f) => ({
    query: 'mutation($r: String!) { approveGate(release: $r, gate: "SIGNOFF") { name } }',
    variables: { r: f.release },
  }),
  'Mutation.withdrawApproval': (f) => ({
    query: 'mutation($r: String!) { withdrawApproval(release: $r, gate: "SIGNOFF", reason: "matrix") { name } }',
    variables: { r: f.release },
  }),
  'Mutation.tickChecklistItem': (f) => ({
    query:
      'mutation($r: String!) { tickChecklistItem(release: $r, gate: "SIGNOFF", criterion: "go", item: "runbook") { name } }',
    variables: { r: f.release },
  }),
  'Mutation.overrideGate': (f) => ({
    query:
      'mutation($r: String!) { overrideGate(release: $r, gate: "SIGNOFF", outcome: FAIL, reason: "matrix") { name } }',
    variables: { r: f.release },
  }),
  'Mutation.assessReadiness': (f) => ({
    query: 'mutation($r: String!) { assessReadiness(release: $r) { __typename } }',
    variables: { r: f.release },
  }),
  'Mutation.validateGate': (f) => ({
    query: 'mutation($r: String!) { validateGate(release: $r, gate: "SIGNOFF") { __typename } }',
    variables: { r: f.release },
  }),
  'Mutation.createRelease': () => ({
    query:
      'mutation($v: String!) { createRelease(input: { product: "matrix", version: $v, theme: "matrix", owner: "matrix", targetDate: "2030-01-01T00:00:00Z" }) { id } }',
    variables: { v: `3.0.${serial++}` },
  }),
  'Mutation.updateRelease': (f) => ({
    query: 'mutation($r: ID!) { updateRelease(id: $r, input: { theme: "matrix, updated" }) { id } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.transitionRelease (to IN_DEVELOPMENT)': (f) => ({
    query: 'mutation($r: ID!) { transitionRelease(id: $r, to: IN_DEVELOPMENT, reason: "matrix") { id } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.transitionRelease (to CANCELLED)': (f) => ({
    query: 'mutation($r: ID!) { transitionRelease(id: $r, to: CANCELLED, reason: "matrix") { id } }',
    variables: { r: f.cancelId },
  }),
  'Mutation.addFeature': (f) => ({
    query:
      'mutation($r: ID!) { addFeature(releaseId: $r, input: { title: "matrix", priority: SHOULD, businessValue: 1, timeCriticality: 1, riskReduction: 1, effort: 1 }) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.updateFeature (status only)': (f) => ({
    query:
      'mutation($r: ID!, $f: ID!) { updateFeature(releaseId: $r, featureId: $f, input: { status: IN_PROGRESS }) { id } }',
    variables: { r: f.releaseId, f: f.featureId },
  }),
  'Mutation.updateFeature (scope)': (f) => ({
    query:
      'mutation($r: ID!, $f: ID!) { updateFeature(releaseId: $r, featureId: $f, input: { title: "renamed" }) { id } }',
    variables: { r: f.releaseId, f: f.featureId },
  }),
  'Mutation.removeFeature': (f) => ({
    query: 'mutation($r: ID!) { removeFeature(releaseId: $r, featureId: "no-such-feature") { id } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.prioritizeScope': (f) => ({
    query: 'mutation($r: ID!) { prioritizeScope(releaseId: $r) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.forecastTimeline': (f) => ({
    query: 'mutation($r: ID!) { forecastTimeline(releaseId: $r, runs: 100, seed: 1) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.planTests': (f) => ({
    query: 'mutation($r: ID!) { planTests(releaseId: $r) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.assessProgress': (f) => ({
    query: 'mutation($r: ID!) { assessProgress(releaseId: $r) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.approveFreezeException': (f) => ({
    query: 'mutation($r: ID!) { approveFreezeException(releaseId: $r, change: "abc1234", reason: "matrix") { id } }',
    variables: { r: f.releaseId },
  }),
  'Mutation.subscribe': () => ({
    query:
      'mutation { subscribe(input: { product: "matrix", audience: QA, channel: { kind: "FAX", url: "https://fax.example.com/" } }) { id } }',
  }),
  'Mutation.unsubscribe': () => ({ query: 'mutation { unsubscribe(id: "no-such-subscription") { id } }' }),
  'Mutation.tickFreezeItem': (f) => ({
    query: 'mutation($r: ID!) { tickFreezeItem(releaseId: $r, item: "api-docs", evidence: "matrix") { id } }',
    variables: { r: f.releaseId },
  }),
  'Query.doraMetrics': () => ({ query: '{ doraMetrics { __typename } }' }),
  'Query.doraTrend': () => ({ query: '{ doraTrend { __typename } }' }),
  'Query.releaseKpis': () => ({ query: '{ releaseKpis { __typename } }' }),
  'Query.aiEffectiveness': () => ({ query: '{ aiEffectiveness { __typename } }' }),
  'Query.incidents': () => ({ query: '{ incidents { id } }' }),
  'Query.incident': () => ({ query: '{ incident(id: "no-such-incident") { id } }' }),
  'Query.releaseAnalysis': (f) => ({
    query: 'query($r: ID!) { releaseAnalysis(releaseId: $r) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Query.retrospective': (f) => ({
    query: 'query($r: ID!) { retrospective(releaseId: $r) { __typename } }',
    variables: { r: f.releaseId },
  }),
  'Query.overdueActionItems': () => ({ query: '{ overdueActionItems { __typename } }' }),
  'Query.rollout': () => ({ query: '{ rollout(id: "no-such-rollout") { id } }' }),
  'Query.rollouts': () => ({ query: '{ rollouts { totalCount } }' }),
  'Query.releaseRollout': () => ({ query: '{ releaseRollout(id: "no-such-release-rollout") { id } }' }),
  'Query.latestReleaseRollout': (f) => ({
    query: 'query($r: ID!) { latestReleaseRollout(releaseId: $r) { id } }',
    variables: { r: f.releaseId },
  }),
  'Query.gateDefinitions': () => ({ query: '{ gateDefinitions(product: "matrix") { name } }' }),
  'Query.releaseGates': (f) => ({
    query: 'query($r: String!) { releaseGates(release: $r) { name } }',
    variables: { r: f.release },
  }),
  'Query.gate': (f) => ({
    query: 'query($r: String!) { gate(release: $r, gate: "SIGNOFF") { name } }',
    variables: { r: f.release },
  }),
  'Query.auditTrail': (f) => ({
    query: 'query($r: String!) { auditTrail(release: $r, last: 1) { action } }',
    variables: { r: f.release },
  }),
  'Query.release': (f) => ({ query: 'query($r: ID!) { release(id: $r) { id } }', variables: { r: f.releaseId } }),
  'Query.releases': () => ({ query: '{ releases(first: 1) { totalCount } }' }),
  'Query.releaseByVersion': () => ({ query: '{ releaseByVersion(product: "matrix", version: "1.0.0") { id } }' }),
  'Query.healthRules': () => ({ query: '{ healthRules { __typename } }' }),
  'Query.freezeDecision': (f) => ({
    query: 'query($r: String!) { freezeDecision(release: $r, change: "abc1234") { allowed } }',
    variables: { r: f.release },
  }),
  'Query.audiences': () => ({ query: '{ audiences { audience } }' }),
  'Query.subscriptions': () => ({ query: '{ subscriptions(product: "matrix") { id } }' }),
  'Query.notificationDeliveries': (f) => ({
    query: 'query($r: String!) { notificationDeliveries(release: $r) { id } }',
    variables: { r: f.release },
  }),
  'Release.metrics': (f) => ({
    query: 'query($r: ID!) { release(id: $r) { id metrics { __typename } } }',
    variables: { r: f.releaseId },
  }),
  'Release.rollouts': (f) => ({
    query: 'query($r: ID!) { release(id: $r) { id rollouts { id } } }',
    variables: { r: f.releaseId },
  }),
  'Release.releaseRollout': (f) => ({
    query: 'query($r: ID!) { release(id: $r) { id releaseRollout { id } } }',
    variables: { r: f.releaseId },
  }),
  'Release.releaseRollouts': (f) => ({
    query: 'query($r: ID!) { release(id: $r) { id releaseRollouts { id } } }',
    variables: { r: f.releaseId },
  }),
  'Release.gates': (f) => ({
    query: 'query($r: ID!) { release(id: $r) { id gates { name } } }',
    variables: { r: f.releaseId },
  }),
  'Release.readiness': (f) => ({
    query: 'query($r: ID!) { release(id: $r) { id readiness { __typename } } }',
    variables: { r: f.releaseId },
  }),
};

/** Codes that say the request was let through and then refused on its merits (a missing rollout, a rule). */
const MERITS = new Set(['NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT']);

/** The cell an answer fills; anything that is neither an authorisation answer nor a refusal on the merits is reported. */
function cellOf(res: GraphQLResult): { cell: string; detail: string } {
  const codes = (res.errors ?? []).map((e) => String(e.extensions?.code ?? 'NO_CODE'));
  const detail = res.errors?.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ') ?? 'answered';
  if (codes.includes('UNAUTHENTICATED')) return { cell: '401', detail };
  if (codes.includes('FORBIDDEN')) return { cell: '403', detail };
  const other = codes.filter((c) => !MERITS.has(c));
  return other.length ? { cell: `unexpected ${other.join(',')}`, detail } : { cell: 'ok', detail };
}

describe('the authorisation matrix, through the gateway of the whole stack, against docs/SECURITY.md', () => {
  let stack: SecurityStack;
  let fixtures: Fixtures;
  const tokens = new Map<Column, string | undefined>();

  beforeAll(async () => {
    stack = await startSecurityStack({ name: 'authz', natsUrl: inject('natsUrl'), mongoUri: inject('mongoUri') });
    for (const role of ROLES) tokens.set(role, await issuedToken(stack.idp, `matrix-${role.toLowerCase()}`, [role]));
    tokens.set('no token', undefined);
    const forged = await forgedTokens(stack.idp);
    for (const attack of ATTACKS) tokens.set(attack, forged[attack as Attack]);

    const admin = await issuedToken(stack.idp, 'matrix-fixtures', ['RELEASE_MANAGER', 'QA_LEAD']);
    const ask = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
      const res = await gql<T>(stack.gatewayUrl, query, variables, admin);
      if (res.errors?.length) throw new Error(`fixture: ${res.errors.map((e) => e.message).join('; ')}`);
      return res.data!;
    };
    await ask('mutation($d: JSON!) { defineGate(product: "matrix", definition: $d) { version } }', { d: SIGNOFF });
    const create = (version: string) =>
      ask<{ createRelease: { id: string } }>(
        'mutation($v: String!) { createRelease(input: { product: "matrix", version: $v, theme: "matrix", owner: "matrix", targetDate: "2030-01-01T00:00:00Z" }) { id } }',
        { v: version },
      );
    const releaseId = (await create('1.0.0')).createRelease.id;
    const cancelId = (await create('1.1.0')).createRelease.id;
    const added = await ask<{ addFeature: { feature: { id: string } } }>(
      'mutation($r: ID!) { addFeature(releaseId: $r, input: { title: "f", priority: MUST, businessValue: 3, timeCriticality: 2, riskReduction: 1, effort: 2 }) { feature { id } } }',
      { r: releaseId },
    );
    fixtures = { releaseId, release: 'matrix@1.0.0', cancelId, featureId: added.addFeature.feature.id };
    await eventually(
      'gates learning matrix@1.0.0 from planning',
      async () =>
        (
          await ask<{ releaseGates: unknown[] }>('{ releaseGates(release: "matrix@1.0.0") { name } }').catch(
            () => undefined,
          )
        )?.releaseGates.length
          ? true
          : undefined,
      DEADLINES.stack,
    );
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('has a row for every operation of the supergraph and a request for every row', () => {
    const rows = [...readExpectedMatrix().keys()];
    const operations = supergraphOperations();
    expect(
      operations.filter((op) => !rows.some((r) => operationOf(r) === op)),
      'operations of the supergraph with no row in docs/SECURITY.md',
    ).toEqual([]);
    expect(
      rows.filter((r) => !operations.includes(operationOf(r))),
      'rows of docs/SECURITY.md naming no operation of the supergraph',
    ).toEqual([]);
    expect(
      rows.filter((r) => !REQUESTS[r]),
      'rows with no request in this test',
    ).toEqual([]);
  });

  it('gives every cell the answer docs/SECURITY.md says', { timeout: 300_000 }, async () => {
    const expected = readExpectedMatrix();
    const observed = new Map<string, Map<Column, string>>();
    const differences: string[] = [];
    for (const [row, cells] of expected) {
      const request = REQUESTS[row];
      if (!request) continue;
      const seen = new Map<Column, string>();
      observed.set(row, seen);
      for (const column of COLUMNS) {
        const { query, variables } = request(fixtures);
        const { cell, detail } = cellOf(await gql(stack.gatewayUrl, query, variables, tokens.get(column)));
        seen.set(column, cell);
        if (cell !== cells.get(column))
          differences.push(`${row} × ${column}: expected ${cells.get(column)}, got ${cell} (${detail.slice(0, 200)})`);
      }
    }
    const cellCount = [...observed.values()].reduce((n, r) => n + r.size, 0);
    expect(cellCount).toBe(expected.size * COLUMNS.length);
    expect(differences, `the observed matrix:\n${renderMatrix(observed)}\n`).toEqual([]);
  });
});
