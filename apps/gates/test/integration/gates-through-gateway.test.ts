import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@flightdeck/events';
import { eventually, gql } from '@flightdeck/testing';
import { junit, startStack, type Stack } from './stack.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');

const SUBMIT = `mutation($input: SubmitEvidenceInput!) {
  submitEvidence(input: $input) {
    name outcome evidence { name kind }
    latestEvaluation { id outcome approvalsPending reasons criteria { criterionId result value measured threshold explanation evidence } }
  }
}`;
const GATE = `query($r: String!, $g: String!) {
  gate(release: $r, gate: $g) {
    outcome passedAt evidence { name } evaluations { outcome } approvals { by byName role active }
    checklist { itemId ticked by byName evidenceUrl }
    latestEvaluation { outcome approvalsPending reasons approvals { role required approvedBy satisfied } criteria { criterionId result explanation } }
  }
}`;
const APPROVE =
  'mutation($r: String!, $g: String!, $role: GateRole) { approveGate(release: $r, gate: $g, role: $role, comment: "looks good") { outcome latestEvaluation { reasons } } }';
const TICK =
  'mutation($r: String!, $g: String!, $c: String!, $i: String!, $u: String) { tickChecklistItem(release: $r, gate: $g, criterion: $c, item: $i, evidenceUrl: $u) { outcome } }';

let stack: Stack;
const events: CloudEvent[] = [];

beforeAll(async () => {
  stack = await startStack({ prometheusSeries: 'checkout_error_ratio 0.004\ncheckout_latency_p95_seconds 0.42\n' });
  await stack.bus.subscribe({
    durable: `gates-events-${randomUUID().slice(0, 8)}`,
    filter: 'flightdeck.gates.>',
    handler: (e) => void events.push(e),
  });
}, 90_000);
afterAll(async () => stack?.stop());

describe('evidence through the gateway', () => {
  it('a failing Surefire report fails Feature Complete, explained per criterion, and publishes the outcome', async () => {
    const releaseId = await stack.createRelease({
      product: 'shop',
      version: '2.4.0',
      createdBy: 'rita',
      features: [
        { title: 'Checkout v2', done: true },
        { title: 'Wishlist', done: false },
      ],
    });
    const ci = await stack.token(['CI'], 'pipeline');
    const res = await gql<{
      submitEvidence: {
        outcome: string;
        latestEvaluation: {
          id: string;
          reasons: string[];
          criteria: { criterionId: string; result: string; measured: string; explanation: string }[];
        };
      };
    }>(
      stack.gatewayUrl,
      SUBMIT,
      {
        input: {
          release: 'shop@2.4.0',
          gate: 'FEATURE_COMPLETE',
          kind: 'JUNIT',
          name: 'target/surefire-reports/TEST-EmailAddressTest.xml',
          content: fixture('maven-surefire-EmailAddressTest.xml'),
        },
      },
      ci,
    );
    expect(res.errors).toBeUndefined();
    const g = res.data!.submitEvidence;
    expect(g.outcome).toBe('FAIL');
    const byId = Object.fromEntries(g.latestEvaluation.criteria.map((c) => [c.criterionId, c]));
    expect(byId['integration-tests']).toMatchObject({
      result: 'FAIL',
      measured: '9 tests: 2 passed, 2 failed, 5 errors, 0 skipped (pass rate 22.22%)',
    });
    expect(byId['scope-done']).toMatchObject({ result: 'FAIL', explanation: 'not done yet: Wishlist' });
    expect(byId['unit-coverage']).toMatchObject({
      result: 'FAIL',
      explanation: 'no coverage report (lcov or Cobertura) submitted for this gate yet',
    });

    const published = await eventually('evaluation.completed', () =>
      events.find((e) => e.type === 'flightdeck.gates.evaluation.completed' && e.id === g.latestEvaluation.id),
    );
    expect(published.data).toMatchObject({
      releaseId,
      gate: 'FEATURE_COMPLETE',
      outcome: 'FAIL',
      evaluationId: g.latestEvaluation.id,
    });
    expect((published.data as { reasons: string[] }).reasons).toEqual(g.latestEvaluation.reasons);
    // Failing criteria: the gate does not wait on approvals alone.
    expect(published.data).not.toHaveProperty('awaitingApprovals');
  });

  it('coverage from lcov and Cobertura is kept per file name and combined', async () => {
    const ci = await stack.token(['CI'], 'pipeline');
    await gql(
      stack.gatewayUrl,
      SUBMIT,
      {
        input: {
          release: 'shop@2.4.0',
          gate: 'FEATURE_COMPLETE',
          kind: 'LCOV',
          name: 'coverage/lcov.info',
          content: fixture('lcov-coverlet-csharp.info'),
        },
      },
      ci,
    );
    const res = await gql<{
      submitEvidence: {
        latestEvaluation: { criteria: { criterionId: string; measured: string }[] };
        evidence: { name: string }[];
      };
    }>(
      stack.gatewayUrl,
      SUBMIT,
      {
        input: {
          release: 'shop@2.4.0',
          gate: 'FEATURE_COMPLETE',
          kind: 'COBERTURA',
          name: 'coverage/cobertura.xml',
          content: fixture('cobertura-2.1.1-java.xml'),
        },
      },
      ci,
    );
    expect(res.data!.submitEvidence.evidence.map((e) => e.name)).toEqual([
      'target/surefire-reports/TEST-EmailAddressTest.xml',
      'coverage/lcov.info',
      'coverage/cobertura.xml',
    ]);
    expect(
      res.data!.submitEvidence.latestEvaluation.criteria.find((c) => c.criterionId === 'unit-coverage')!.measured,
    ).toBe('142 of 220 lines (64.55%)');
  });

  it('a truncated report is refused with the file and line, and nothing stored changes', async () => {
    const ci = await stack.token(['CI'], 'pipeline');
    const viewer = await stack.token(['VIEWER'], 'vera');
    const before = await gql<{ gate: { evidence: unknown[]; evaluations: unknown[] } }>(
      stack.gatewayUrl,
      GATE,
      { r: 'shop@2.4.0', g: 'FEATURE_COMPLETE' },
      viewer,
    );
    const text = fixture('jest-junit.xml');
    const res = await gql(
      stack.gatewayUrl,
      SUBMIT,
      {
        input: {
          release: 'shop@2.4.0',
          gate: 'FEATURE_COMPLETE',
          kind: 'JUNIT',
          name: 'reports/jest.xml',
          content: text.slice(0, text.length / 2),
        },
      },
      ci,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', file: 'reports/jest.xml' });
    expect(res.errors![0]!.message).toMatch(
      /^evidence refused, nothing was stored: reports\/jest\.xml:\d+:\d+: malformed XML/,
    );
    const after = await gql<{ gate: { evidence: unknown[]; evaluations: unknown[] } }>(
      stack.gatewayUrl,
      GATE,
      { r: 'shop@2.4.0', g: 'FEATURE_COMPLETE' },
      viewer,
    );
    expect(after.data!.gate.evidence).toEqual(before.data!.gate.evidence);
    expect(after.data!.gate.evaluations).toHaveLength(before.data!.gate.evaluations.length);
  });

  it('refuses evidence over the size limit, from a viewer, and for a gate the release does not have', async () => {
    const ci = await stack.token(['CI'], 'pipeline');
    const big = await gql(
      stack.gatewayUrl,
      SUBMIT,
      {
        input: {
          release: 'shop@2.4.0',
          gate: 'FEATURE_COMPLETE',
          kind: 'JUNIT',
          name: 'big.xml',
          content: junit(5000),
        },
      },
      ci,
    );
    expect(big.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(big.errors![0]!.message).toMatch(/big\.xml is larger than the limit of 262144 bytes/);
    const viewer = await stack.token(['VIEWER'], 'vera');
    const denied = await gql(
      stack.gatewayUrl,
      SUBMIT,
      { input: { release: 'shop@2.4.0', gate: 'FEATURE_COMPLETE', kind: 'JUNIT', name: 'a.xml', content: junit(1) } },
      viewer,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const wrongGate = await gql(
      stack.gatewayUrl,
      SUBMIT,
      { input: { release: 'shop@2.4.0', gate: 'HOTFIX', kind: 'JUNIT', name: 'a.xml', content: junit(1) } },
      ci,
    );
    expect(wrongGate.errors?.[0]).toMatchObject({
      message: 'shop@2.4.0 (MINOR) has no gate HOTFIX; its gates are FEATURE_COMPLETE, ALPHA, BETA, PRODUCTION',
      extensions: { code: 'BAD_USER_INPUT', field: 'gate' },
    });
    const unknown = await gql(
      stack.gatewayUrl,
      SUBMIT,
      { input: { release: 'shop@9.9.9', gate: 'ALPHA', kind: 'JUNIT', name: 'a.xml', content: junit(1) } },
      ci,
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('SLO criteria against a real Prometheus', () => {
  it('a product-defined gate scores objectives from known series, Keptn-style', async () => {
    for (let i = 0; i < 150; i++) {
      const samples = await stack.prometheus!.query('checkout_latency_p95_seconds');
      if (samples.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const tl = await stack.token(['TECHNICAL_LEAD'], 'tom');
    const definition = {
      name: 'SLO_CHECK',
      appliesTo: 'STANDARD',
      order: 35,
      criteria: [
        {
          id: 'checkout-slo',
          name: 'Checkout SLOs',
          kind: 'slo',
          window: '1m',
          passScore: 90,
          warningScore: 50,
          objectives: [
            {
              name: 'error ratio',
              query: 'max_over_time(checkout_error_ratio[$window])',
              pass: { op: '<=', value: 0.01 },
            },
            {
              name: 'p95 latency',
              query: 'max_over_time(checkout_latency_p95_seconds[$window])',
              pass: { op: '<=', value: 0.3 },
              warning: { op: '<=', value: 0.5 },
            },
          ],
        },
      ],
    };
    const defined = await gql<{
      defineGate: { version: number; criteria: { id: string; kind: string; settings: { window: string } }[] };
    }>(
      stack.gatewayUrl,
      'mutation($p: String!, $d: JSON!) { defineGate(product: $p, definition: $d) { version criteria { id kind settings } } }',
      { p: 'shop', d: definition },
      tl,
    );
    expect(defined.errors).toBeUndefined();
    expect(defined.data!.defineGate).toMatchObject({
      version: 1,
      criteria: [{ id: 'checkout-slo', kind: 'slo', settings: { window: '1m' } }],
    });

    const ci = await stack.token(['CI'], 'pipeline');
    const res = await gql<{
      evaluateGate: {
        outcome: string;
        latestEvaluation: { criteria: { result: string; value: number; explanation: string }[] };
      };
    }>(
      stack.gatewayUrl,
      'mutation { evaluateGate(release: "shop@2.4.0", gate: "SLO_CHECK") { outcome latestEvaluation { criteria { result value explanation } } } }',
      {},
      ci,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.evaluateGate.outcome).toBe('CONDITIONAL');
    expect(res.data!.evaluateGate.latestEvaluation.criteria[0]).toEqual({
      result: 'WARN',
      value: 75,
      explanation:
        'score 75% (pass ≥ 90%, warning ≥ 50%): error ratio = 0.004 passes (<= 0.01); p95 latency = 0.42 only meets the warning bound (<= 0.3, warning <= 0.5)',
    });

    const OVERRIDE =
      'mutation($reason: String!) { overrideGate(release: "shop@2.4.0", gate: "SLO_CHECK", outcome: PASS, reason: $reason) { outcome latestEvaluation { reasons override { by reason measuredOutcome } criteria { result } } } }';
    const refused = await gql(stack.gatewayUrl, OVERRIDE, { reason: 'latency is a known CDN issue' }, tl);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const rm = await stack.token(['RELEASE_MANAGER'], 'rita');
    const over = await gql<{
      overrideGate: {
        outcome: string;
        latestEvaluation: { reasons: string[]; override: unknown; criteria: { result: string }[] };
      };
    }>(stack.gatewayUrl, OVERRIDE, { reason: 'latency is a known CDN issue' }, rm);
    expect(over.data!.overrideGate).toMatchObject({
      outcome: 'PASS',
      latestEvaluation: {
        override: { by: 'rita', reason: 'latency is a known CDN issue', measuredOutcome: 'CONDITIONAL' },
        criteria: [{ result: 'WARN' }],
      },
    });
    expect(over.data!.overrideGate.latestEvaluation.reasons[0]).toBe(
      'overridden to PASS by rita (measured CONDITIONAL): latency is a known CDN issue',
    );
    const audit = await gql<{ auditTrail: { by: string; what: string; why: string }[] }>(
      stack.gatewayUrl,
      'query { auditTrail(release: "shop@2.4.0", action: GATE_OVERRIDDEN) { by what why } }',
      {},
      rm,
    );
    expect(audit.data!.auditTrail).toEqual([
      { by: 'rita', what: 'CONDITIONAL overridden to PASS', why: 'latency is a known CDN issue' },
    ]);

    const bad = await gql(
      stack.gatewayUrl,
      'mutation($d: JSON!) { defineGate(product: "shop", definition: $d) { version } }',
      { d: { name: 'SLO_CHECK', criteria: [{ id: 'x', name: 'x', kind: 'slo', window: 'soon', objectives: [] }] } },
      tl,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(bad.errors![0]!.message).toMatch(/criteria\.0\.window: a Prometheus duration such as 30s, 5m, 1h or 1d/);
  });
});

describe('approvals, four-eyes and the audit trail', () => {
  const R = 'shop@2.3.1-hotfix.1';
  it('the hotfix gate: CI never approves; the requester alone is not enough, told apart by subject whatever their display name; withdrawal until it passes', async () => {
    const releaseId = await stack.createRelease({
      product: 'shop',
      version: '2.3.1-hotfix.1',
      type: 'HOTFIX',
      createdBy: 'tina',
    });
    const ci = await stack.token(['CI'], 'pipeline');
    await gql(
      stack.gatewayUrl,
      SUBMIT,
      { input: { release: R, gate: 'HOTFIX', kind: 'JUNIT', name: 'smoke.xml', content: junit(12) } },
      ci,
    );
    const scan = await gql<{
      submitEvidence: { latestEvaluation: { criteria: { criterionId: string; result: string }[] } };
    }>(
      stack.gatewayUrl,
      SUBMIT,
      {
        input: {
          release: R,
          gate: 'HOTFIX',
          kind: 'SARIF',
          name: 'trivy.sarif',
          content: fixture('trivy-alpine-310.sarif'),
        },
      },
      ci,
    );
    expect(scan.data!.submitEvidence.latestEvaluation.criteria.map((c) => c.result)).toEqual(['PASS', 'PASS', 'FAIL']);

    const ciTick = await gql(stack.gatewayUrl, TICK, { r: R, g: 'HOTFIX', c: 'hotfix-checklist', i: 'qualifies' }, ci);
    expect(ciTick.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Planning records the requester by subject; tina's token also carries a display name, which is only shown.
    const tina = await stack.token(['TECHNICAL_LEAD', 'PRODUCT_OWNER'], 'tina', { name: 'Tina Lead' });
    for (const item of ['qualifies', 'enhanced-monitoring', 'retro-scheduled']) {
      const t = await gql(
        stack.gatewayUrl,
        TICK,
        { r: R, g: 'HOTFIX', c: 'hotfix-checklist', i: item, u: `https://wiki.example.com/hotfix/${item}` },
        tina,
      );
      expect(t.errors).toBeUndefined();
    }
    const badItem = await gql(stack.gatewayUrl, TICK, { r: R, g: 'HOTFIX', c: 'hotfix-checklist', i: 'nope' }, tina);
    expect(badItem.errors?.[0]).toMatchObject({
      message:
        'checklist hotfix-checklist has no item nope; its items are qualifies, enhanced-monitoring, retro-scheduled',
      extensions: { code: 'BAD_USER_INPUT' },
    });

    const ciApproves = await gql(
      stack.gatewayUrl,
      APPROVE,
      { r: R, g: 'HOTFIX' },
      await stack.token(['CI', 'TECHNICAL_LEAD'], 'pipeline'),
    );
    expect(ciApproves.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(ciApproves.errors![0]!.message).toMatch(/machine identity \(CI\)/);

    await gql(stack.gatewayUrl, APPROVE, { r: R, g: 'HOTFIX', role: 'TECHNICAL_LEAD' }, tina);
    const both = await gql<{ approveGate: { outcome: string; latestEvaluation: { reasons: string[] } } }>(
      stack.gatewayUrl,
      APPROVE,
      { r: R, g: 'HOTFIX', role: 'PRODUCT_OWNER' },
      tina,
    );
    expect(both.data!.approveGate).toEqual({
      outcome: 'CONDITIONAL',
      latestEvaluation: {
        reasons: [
          'approval pending: four-eyes: Tina Lead requested the release and cannot be its only approver; another person must approve',
        ],
      },
    });

    const withdrawn = await gql<{ withdrawApproval: { outcome: string; latestEvaluation: { reasons: string[] } } }>(
      stack.gatewayUrl,
      'mutation($r: String!) { withdrawApproval(release: $r, gate: "HOTFIX", reason: "I requested it; Paul should approve") { outcome latestEvaluation { reasons } } }',
      { r: R },
      tina,
    );
    expect(withdrawn.data!.withdrawApproval.latestEvaluation.reasons).toEqual([
      'approval pending: 1 more approval from TECHNICAL_LEAD (0 of 1)',
      'approval pending: 1 more approval from PRODUCT_OWNER (0 of 1)',
    ]);
    // The events say the same in fields planning reads (who must approve), not in sentences: after tina's two
    // approvals the product owner's, then four-eyes (no role), then after her withdrawal both roles again.
    const expected = [['PRODUCT_OWNER'], [], ['TECHNICAL_LEAD', 'PRODUCT_OWNER']];
    await eventually('the HOTFIX evaluation events waiting on approvals', () => {
      const awaiting = events
        .filter((e) => e.type === 'flightdeck.gates.evaluation.completed' && e.subject === releaseId)
        .map((e) => e.data as { gate: string; awaitingApprovals?: { roles: string[] } })
        .flatMap((d) => (d.gate === 'HOTFIX' && d.awaitingApprovals ? [d.awaitingApprovals.roles] : []));
      return JSON.stringify(awaiting.slice(-3)) === JSON.stringify(expected);
    });

    await gql(
      stack.gatewayUrl,
      APPROVE,
      { r: R, g: 'HOTFIX' },
      await stack.token(['TECHNICAL_LEAD'], 'tom', { name: 'Tom Lead' }),
    );
    const passed = await gql<{ approveGate: { outcome: string } }>(
      stack.gatewayUrl,
      APPROVE,
      { r: R, g: 'HOTFIX' },
      await stack.token(['PRODUCT_OWNER'], 'paul'),
    );
    expect(passed.data!.approveGate.outcome).toBe('PASS');

    const tooLate = await gql(
      stack.gatewayUrl,
      'mutation($r: String!) { withdrawApproval(release: $r, gate: "HOTFIX", reason: "changed my mind") { outcome } }',
      { r: R },
      await stack.token(['PRODUCT_OWNER'], 'paul'),
    );
    expect(tooLate.errors?.[0]?.message).toMatch(
      /^the HOTFIX gate passed at .+; an approval cannot be withdrawn once its gate has passed$/,
    );

    const state = await gql<{
      gate: {
        passedAt: string;
        approvals: { by: string; byName: string; role: string; active: boolean }[];
        checklist: { ticked: boolean; by: string; byName: string; evidenceUrl: string }[];
      };
    }>(stack.gatewayUrl, GATE, { r: R, g: 'HOTFIX' }, tina);
    expect(state.data!.gate.passedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(state.data!.gate.approvals).toEqual([
      { by: 'tina', byName: 'Tina Lead', role: 'TECHNICAL_LEAD', active: false },
      { by: 'tina', byName: 'Tina Lead', role: 'PRODUCT_OWNER', active: false },
      { by: 'tom', byName: 'Tom Lead', role: 'TECHNICAL_LEAD', active: true },
      { by: 'paul', byName: 'paul', role: 'PRODUCT_OWNER', active: true },
    ]);
    expect(state.data!.gate.checklist.map((c) => [c.by, c.byName])).toEqual([
      ['tina', 'Tina Lead'],
      ['tina', 'Tina Lead'],
      ['tina', 'Tina Lead'],
    ]);
    expect(
      state.data!.gate.checklist.every((c) => c.ticked && c.evidenceUrl.startsWith('https://wiki.example.com/')),
    ).toBe(true);

    const granted = await eventually('approval events', () => {
      const mine = events.filter(
        (e) => e.type === 'flightdeck.gates.approval.granted' && (e.data as { gate: string }).gate === 'HOTFIX',
      );
      return mine.length >= 4 ? mine : undefined;
    });
    expect(granted.map((e) => (e.data as { by: string }).by)).toEqual(['tina', 'tina', 'tom', 'paul']);
    const gone = await eventually('approval.withdrawn', () => {
      const w = events.filter((e) => e.type === 'flightdeck.gates.approval.withdrawn');
      return w.length >= 2 ? w : undefined;
    });
    expect(gone.map((e) => (e.data as { reason: string }).reason)).toEqual([
      'I requested it; Paul should approve',
      'I requested it; Paul should approve',
    ]);
  });

  it('the audit trail lists who did what and why, oldest first', async () => {
    const rm = await stack.token(['RELEASE_MANAGER'], 'rita');
    const res = await gql<{
      auditTrail: { action: string; by: string; byName: string; what: string; why: string | null }[];
    }>(
      stack.gatewayUrl,
      'query($r: String!) { auditTrail(release: $r, gate: "HOTFIX") { action by byName what why } }',
      { r: R },
      rm,
    );
    const trail = res.data!.auditTrail.filter((e) => e.action !== 'GATE_EVALUATED');
    expect(trail.map((e) => `${e.action} ${e.by}`)).toEqual([
      'EVIDENCE_SUBMITTED pipeline',
      'EVIDENCE_SUBMITTED pipeline',
      'CHECKLIST_TICKED tina',
      'CHECKLIST_TICKED tina',
      'CHECKLIST_TICKED tina',
      'APPROVAL_GRANTED tina',
      'APPROVAL_GRANTED tina',
      'APPROVAL_WITHDRAWN tina',
      'APPROVAL_GRANTED tom',
      'APPROVAL_GRANTED paul',
    ]);
    expect(trail.find((e) => e.action === 'APPROVAL_WITHDRAWN')).toMatchObject({
      by: 'tina',
      byName: 'Tina Lead',
      what: 'withdrew the approval as TECHNICAL_LEAD, PRODUCT_OWNER',
      why: 'I requested it; Paul should approve',
    });
    expect(res.data!.auditTrail.filter((e) => e.action === 'GATE_EVALUATED').at(-1)!.what).toMatch(/^PASS: /);
    const anonymous = await gql(stack.gatewayUrl, 'query { auditTrail(product: "shop") { id } }', {}, undefined);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('Release.gates resolves the release entity the gateway asks for', async () => {
    const viewer = await stack.token(['VIEWER'], 'vera');
    const id = (
      await gql<{ releaseGates: { releaseId: string }[] }>(
        stack.gatewayUrl,
        'query { releaseGates(release: "shop@2.3.1-hotfix.1") { releaseId } }',
        {},
        viewer,
      )
    ).data!.releaseGates[0]!.releaseId;
    const res = await gql<{ _entities: { gates: { name: string; outcome: string }[] }[] }>(
      stack.subgraphUrl,
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Release { gates { name outcome } } } }',
      { reps: [{ __typename: 'Release', id }] },
      viewer,
    );
    expect(res.data!._entities).toEqual([{ gates: [{ name: 'HOTFIX', outcome: 'PASS' }] }]);
  });
});

describe('readiness', () => {
  it('assesses go/no-go from the gates, records the prediction and publishes it', async () => {
    const rm = await stack.token(['RELEASE_MANAGER'], 'rita');
    const res = await gql<{
      assessReadiness: {
        id: string;
        score: number;
        recommendation: string;
        predictedOutcome: string;
        source: string;
        fallbackReason: string;
        predictionId: string;
        blockingIssues: string[];
      };
    }>(
      stack.gatewayUrl,
      'mutation { assessReadiness(release: "shop@2.4.0") { id score recommendation predictedOutcome source fallbackReason predictionId blockingIssues } }',
      {},
      rm,
    );
    expect(res.errors).toBeUndefined();
    const r = res.data!.assessReadiness;
    expect(r).toMatchObject({
      recommendation: 'NO_GO',
      source: 'deterministic',
      fallbackReason: 'no AI endpoint is configured',
    });
    expect(r.blockingIssues).toContain('FEATURE_COMPLETE gate failed');
    expect(r.blockingIssues).toContain('ALPHA gate not evaluated');
    const predictions = await stack.predictions.find({ kind: 'readiness' });
    expect(predictions.find((p) => p.id === r.predictionId)).toMatchObject({
      kind: 'readiness',
      value: { recommendation: 'NO_GO', predictedOutcome: r.predictedOutcome },
    });
    const published = await eventually('readiness.assessed', () =>
      events.find((e) => e.type === 'flightdeck.gates.readiness.assessed' && e.id === r.id),
    );
    expect(published.data).toMatchObject({
      score: r.score,
      recommendation: 'NO_GO',
      predictionId: r.predictionId,
      source: 'deterministic',
    });
    const dev = await gql(
      stack.gatewayUrl,
      'mutation { assessReadiness(release: "shop@2.4.0") { id } }',
      {},
      await stack.token(['DEVELOPER'], 'dan'),
    );
    expect(dev.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("after an audited override to PASS, names none of that gate's failed criteria as blocking, and says they were accepted", async () => {
    await stack.createRelease({
      product: 'shop',
      version: '2.5.0',
      createdBy: 'rita',
      features: [{ title: 'Gift cards', done: false }],
    });
    const ci = await stack.token(['CI'], 'pipeline');
    await gql(
      stack.gatewayUrl,
      SUBMIT,
      {
        input: {
          release: 'shop@2.5.0',
          gate: 'FEATURE_COMPLETE',
          kind: 'JUNIT',
          name: 'junit.xml',
          content: junit(3, 1),
        },
      },
      ci,
    );
    const rm = await stack.token(['RELEASE_MANAGER'], 'rita', { name: 'Rita Manager' });
    const ASSESS = 'mutation { assessReadiness(release: "shop@2.5.0") { blockingIssues mitigations } }';
    const before = await gql<{ assessReadiness: { blockingIssues: string[] } }>(stack.gatewayUrl, ASSESS, {}, rm);
    expect(before.data!.assessReadiness.blockingIssues).toEqual([
      'FEATURE_COMPLETE gate failed',
      'ALPHA gate not evaluated',
      'BETA gate not evaluated',
      'SLO_CHECK gate not evaluated',
      'PRODUCTION gate not evaluated',
      'FEATURE_COMPLETE: All planned features done',
      'FEATURE_COMPLETE: Code freeze checklist',
      'FEATURE_COMPLETE: Unit test line coverage above 90%',
      'FEATURE_COMPLETE: Integration tests passing',
    ]);

    const over = await gql(
      stack.gatewayUrl,
      'mutation { overrideGate(release: "shop@2.5.0", gate: "FEATURE_COMPLETE", outcome: PASS, reason: "gift cards ship dark; coverage waived by the CTO") { outcome } }',
      {},
      rm,
    );
    expect(over.errors).toBeUndefined();
    const after = await gql<{ assessReadiness: { blockingIssues: string[]; mitigations: string[] } }>(
      stack.gatewayUrl,
      ASSESS,
      {},
      rm,
    );
    expect(after.errors).toBeUndefined();
    expect(after.data!.assessReadiness.blockingIssues).toEqual([
      'ALPHA gate not evaluated',
      'BETA gate not evaluated',
      'SLO_CHECK gate not evaluated',
      'PRODUCTION gate not evaluated',
    ]);
    expect(after.data!.assessReadiness.mitigations).toEqual([
      'the FEATURE_COMPLETE gate was overridden to PASS by Rita Manager (gift cards ship dark; coverage waived by the CTO) with 4 hard criteria failing: All planned features done, Code freeze checklist, Unit test line coverage above 90%, Integration tests passing; follow them up',
    ]);
  });
});
