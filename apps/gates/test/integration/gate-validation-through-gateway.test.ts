import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent, Subscription } from '@flightdeck/events';
import { eventually, gql, startOpenAIStub, type OpenAIStub, type StubReply } from '@flightdeck/testing';
import { junit, startStack, type Stack } from './stack.js';

// The shapes of GraphQL answers are what the assertions below check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;
const SUBMIT = `mutation($input: SubmitEvidenceInput!) { submitEvidence(input: $input) { outcome } }`;
const VALIDATE = `mutation($r: String!, $g: String!) { validateGate(release: $r, gate: $g) {
  gate evaluatedOutcome verdict criteria { criterionId name verdict risk } risksOfProceeding
  source confidence model fallbackReason rationale predictionId at } }`;

let offline: Stack;
let withAi: Stack;
let stub: OpenAIStub;
const replies: StubReply[] = [];
const events: CloudEvent[] = [];
let watcher: Subscription;

beforeAll(async () => {
  stub = await startOpenAIStub({ responses: () => replies.shift() ?? { status: 500, message: 'no scripted reply' } });
  offline = await startStack({ database: 'gates-validation-offline' });
  withAi = await startStack({
    database: 'gates-validation-ai',
    ai: { baseURL: stub.url, apiKey: 'test', model: 'stub-model', timeoutMs: 5_000, maxRetries: 0 },
  });
  watcher = await offline.bus.subscribe({
    durable: `gates-validation-watch-${Date.now()}`,
    filter: 'flightdeck.gates.validation.>',
    handler: (e) => void events.push(e),
  });
}, 90_000);

afterAll(async () => {
  await watcher?.stop();
  await withAi?.stop();
  await offline?.stop();
  await stub?.stop();
});

/** A release whose Feature Complete gate was evaluated on a JUnit report with one failing case (FAIL). */
async function evaluatedRelease(stack: Stack, version: string): Promise<string> {
  const releaseId = await stack.createRelease({
    product: 'advice-shop',
    version,
    createdBy: 'rita',
    features: [{ title: 'Checkout v2', done: true }],
  });
  const res = await gql(
    stack.gatewayUrl,
    SUBMIT,
    {
      input: {
        release: `advice-shop@${version}`,
        gate: 'FEATURE_COMPLETE',
        kind: 'JUNIT',
        name: 'junit.xml',
        content: junit(9, 1),
      },
    },
    await stack.token(['CI'], 'pipeline'),
  );
  expect(res.errors).toBeUndefined();
  return releaseId;
}

const validate = async (stack: Stack, version: string, roles: Parameters<Stack['token']>[0] = ['QA_LEAD']) =>
  gql<{ validateGate: Answer }>(
    stack.gatewayUrl,
    VALIDATE,
    { r: `advice-shop@${version}`, g: 'FEATURE_COMPLETE' },
    await stack.token(roles, 'quinn'),
  );

describe('quality-gate validation through the gateway, without an AI', () => {
  it('validates each criterion as PASS/FAIL/CONDITIONAL with the risks of proceeding, says why no AI answered, and publishes it', async () => {
    const releaseId = await evaluatedRelease(offline, '1.0.0');
    const res = await validate(offline, '1.0.0');
    expect(res.errors).toBeUndefined();
    const v = res.data!.validateGate;
    expect(v).toMatchObject({
      gate: 'FEATURE_COMPLETE',
      evaluatedOutcome: 'FAIL',
      verdict: 'FAIL',
      source: 'deterministic',
      fallbackReason: 'no AI endpoint is configured',
    });
    const byId = Object.fromEntries(v.criteria.map((c: Answer) => [c.criterionId, c]));
    expect(byId['scope-done']).toMatchObject({ verdict: 'PASS', risk: 'none measured' });
    expect(byId['unit-coverage'].verdict).toBe('FAIL');
    expect(byId['unit-coverage'].risk).toMatch(/^a hard criterion not met: /);
    expect(v.risksOfProceeding.length).toBeGreaterThan(0);
    expect(
      await offline.predictions.find({ kind: 'gate-validation', subject: `${releaseId}/FEATURE_COMPLETE` }),
    ).toMatchObject([{ id: v.predictionId, source: 'deterministic', value: { verdict: 'FAIL' } }]);
    const published = await eventually('flightdeck.gates.validation.advised on NATS', () =>
      events.find((e) => (e.data as Answer).predictionId === v.predictionId),
    );
    expect(published).toMatchObject({
      type: 'flightdeck.gates.validation.advised',
      data: { releaseId, gate: 'FEATURE_COMPLETE', verdict: 'FAIL', source: 'deterministic' },
    });
    const audit = await gql<{ auditTrail: Answer[] }>(
      offline.gatewayUrl,
      'query($r: String!) { auditTrail(release: $r, action: GATE_VALIDATED) { byName what } }',
      { r: 'advice-shop@1.0.0' },
      await offline.token(['VIEWER'], 'vera'),
    );
    expect(audit.data!.auditTrail).toEqual([
      { byName: 'quinn', what: 'FEATURE_COMPLETE: FAIL (deterministic, confidence 0.70)' },
    ]);
  });

  it('says a gate that was never evaluated cannot be validated yet, and refuses a developer', async () => {
    await offline.createRelease({ product: 'advice-shop', version: '1.1.0', createdBy: 'rita' });
    const unevaluated = await validate(offline, '1.1.0');
    expect(unevaluated.errors?.[0]?.message).toBe(
      'gate FEATURE_COMPLETE of advice-shop@1.1.0 has not been evaluated yet: submit evidence or run evaluateGate first',
    );
    await evaluatedRelease(offline, '1.2.0');
    expect((await validate(offline, '1.2.0', ['DEVELOPER'])).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('quality-gate validation through the gateway, with an AI', () => {
  it("takes the AI's validation, recorded as an AI prediction", async () => {
    await evaluatedRelease(withAi, '2.0.0');
    replies.push({
      json: {
        confidence: 0.8,
        rationale: 'one failing case and no coverage',
        value: {
          verdict: 'CONDITIONAL',
          criteria: [{ criterionId: 'unit-coverage', name: 'Unit coverage', verdict: 'FAIL', risk: 'untested code' }],
          risksOfProceeding: ['a regression in checkout'],
        },
      },
    });
    const v = (await validate(withAi, '2.0.0')).data!.validateGate;
    expect(v).toMatchObject({
      evaluatedOutcome: 'FAIL',
      verdict: 'CONDITIONAL',
      source: 'ai',
      model: 'stub-model',
      fallbackReason: null,
      risksOfProceeding: ['a regression in checkout'],
    });
    const sent = stub.requests.at(-1)!.body as { messages: { content: string }[] };
    expect(JSON.stringify(sent.messages)).toContain('unit-coverage');
    expect(await withAi.predictions.find({ kind: 'gate-validation' })).toMatchObject([
      { id: v.predictionId, source: 'ai', value: { verdict: 'CONDITIONAL' } },
    ]);
  });

  it('falls back to the deterministic validation when the AI answer is not JSON, and says why', async () => {
    await evaluatedRelease(withAi, '2.1.0');
    replies.push({ content: 'PASS, ship it' });
    const v = (await validate(withAi, '2.1.0')).data!.validateGate;
    expect(v).toMatchObject({ verdict: 'FAIL', source: 'deterministic' });
    expect(v.fallbackReason).toMatch(/^the AI was not used: the answer was not JSON \(.*\): PASS, ship it$/);
  });
});
