import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent, Subscription } from '@flightdeck/events';
import { DEADLINES, eventually, gql, startOpenAIStub, type OpenAIStub, type StubReply } from '@flightdeck/testing';
import { createRelease, startStack, type Stack } from './stack.js';

// The shapes of GraphQL answers are what the assertions below check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;
const DAY = 86_400_000;
const ADVICE = 'source confidence model fallbackReason predictionId rationale summary';
const TEST_PLAN = `planTests(releaseId: $id) { ${ADVICE} features { featureId title risk priority testTypes coverageTarget why } }`;
const PROGRESS = `assessProgress(releaseId: $id) { ${ADVICE} featureComplete probabilityOnTime criticalPathAtRisk { featureId title effort } scopeAdjustments { featureId title effort reason } }`;

let offline: Stack;
let withAi: Stack;
let stub: OpenAIStub;
const replies: StubReply[] = [];
const seen: CloudEvent[] = [];
let watcher: Subscription;

beforeAll(async () => {
  stub = await startOpenAIStub({ responses: () => replies.shift() ?? { status: 500, message: 'no scripted reply' } });
  offline = await startStack('advice-offline');
  withAi = await startStack('advice-ai', {
    ai: { baseURL: stub.url, apiKey: 'test', model: 'stub-model', timeoutMs: 5_000, maxRetries: 0 },
  });
  watcher = await offline.bus.subscribe({
    durable: `planning-advice-watch-${Date.now()}`,
    filter: 'flightdeck.planning.progress.>',
    handler: (e) => void seen.push(e),
  });
});

afterAll(async () => {
  await watcher?.stop();
  await withAi?.stop();
  await offline?.stop();
  await stub?.stop();
});

/** A release with a MUST feature on which a SHOULD depends, and a COULD nothing needs, more than the team can do. */
async function releaseWithScope(stack: Stack, version: string): Promise<{ id: string; features: string[] }> {
  const rita = await stack.token(['RELEASE_MANAGER'], 'rita');
  const id = await createRelease(stack.gatewayUrl, rita, {
    product: 'checkout-api',
    version,
    theme: 'Faster checkout',
    targetDate: new Date(Date.now() + 30 * DAY).toISOString(),
    team: { velocityHistory: [4, 5, 4] },
  });
  const features: string[] = [];
  for (const input of [
    { title: 'Payment tokens', priority: 'MUST', businessValue: 9, timeCriticality: 8, riskReduction: 6, effort: 13 },
    { title: 'Saved carts', priority: 'SHOULD', businessValue: 5, timeCriticality: 3, riskReduction: 1, effort: 5 },
    { title: 'Gift wrap', priority: 'COULD', businessValue: 1, timeCriticality: 1, riskReduction: 1, effort: 8 },
  ]) {
    const added = await gql<{ addFeature: { feature: { id: string } } }>(
      stack.gatewayUrl,
      'mutation($id: ID!, $input: FeatureInput!) { addFeature(releaseId: $id, input: $input) { feature { id } } }',
      { id, input: features.length === 1 ? { ...input, dependsOn: [features[0]] } : input },
      rita,
    );
    features.push(added.data!.addFeature.feature.id);
  }
  return { id, features };
}

const ask = async (stack: Stack, field: string, id: string, roles: Parameters<Stack['token']>[0]) =>
  gql<Answer>(stack.gatewayUrl, `mutation($id: ID!) { ${field} }`, { id }, await stack.token(roles, 'quinn'));

describe('test planning and progress assessment through the gateway, without an AI', () => {
  it('gives the deterministic test plan to a QA lead, says why no AI answered, and records it as a prediction', async () => {
    const { id, features } = await releaseWithScope(offline, '1.0.0');
    const res = await ask(offline, TEST_PLAN, id, ['QA_LEAD']);
    expect(res.errors).toBeUndefined();
    const plan = res.data!.planTests;
    expect(plan).toMatchObject({
      source: 'DETERMINISTIC',
      fallbackReason: 'no AI endpoint is configured',
      model: null,
    });
    // Risk first: the MUST feature others depend on, with end-to-end tests and the high-risk coverage target.
    expect(plan.features[0]).toMatchObject({ featureId: features[0], risk: 'HIGH', priority: 1, coverageTarget: 90 });
    expect(plan.features[0].testTypes).toEqual(['unit', 'integration', 'end-to-end', 'regression', 'security']);
    expect(plan.features.map((f: Answer) => f.featureId).sort()).toEqual([...features].sort());
    expect(await offline.predictions.find({ kind: 'test-planning', subject: id })).toMatchObject([
      { id: plan.predictionId, source: 'deterministic' },
    ]);
  });

  it('refuses a test plan to a developer, and a progress assessment to a QA lead', async () => {
    const { id } = await releaseWithScope(offline, '1.0.1');
    expect((await ask(offline, TEST_PLAN, id, ['DEVELOPER'])).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await ask(offline, PROGRESS, id, ['QA_LEAD'])).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('assesses progress: the chance to make feature complete, the critical path at risk, the scope to defer, published for analytics', async () => {
    const { id, features } = await releaseWithScope(offline, '1.1.0');
    const res = await ask(offline, PROGRESS, id, ['RELEASE_MANAGER']);
    expect(res.errors).toBeUndefined();
    const p = res.data!.assessProgress;
    expect(p).toMatchObject({ source: 'DETERMINISTIC', fallbackReason: 'no AI endpoint is configured' });
    expect(p.probabilityOnTime).toBeGreaterThanOrEqual(0);
    expect(p.probabilityOnTime).toBeLessThan(1);
    expect(p.criticalPathAtRisk.map((c: Answer) => c.featureId)).toContain(features[0]);
    // The COULD nothing depends on goes first; the MUST never.
    expect(p.scopeAdjustments[0]).toMatchObject({ featureId: features[2], title: 'Gift wrap' });
    expect(p.scopeAdjustments.map((s: Answer) => s.featureId)).not.toContain(features[0]);
    const event = await eventually(
      'flightdeck.planning.progress.assessed on NATS',
      () => seen.find((e) => (e.data as Answer).predictionId === p.predictionId),
      DEADLINES.event,
    );
    expect(event).toMatchObject({
      type: 'flightdeck.planning.progress.assessed',
      data: {
        releaseId: id,
        product: 'checkout-api',
        featureCompleteBy: new Date(p.featureComplete).toISOString(),
        probabilityOnTime: p.probabilityOnTime,
        source: 'deterministic',
      },
    });
    expect(await offline.predictions.find({ kind: 'progress-assessment', subject: id })).toHaveLength(1);
  });
});

describe('test planning and progress assessment through the gateway, with an AI', () => {
  it("takes the AI's test plan, recorded as an AI prediction", async () => {
    const { id, features } = await releaseWithScope(withAi, '2.0.0');
    replies.push({
      json: {
        confidence: 0.75,
        rationale: 'payments carry the risk',
        value: {
          summary: 'payments first, with a security review',
          features: features.map((featureId, i) => ({
            featureId,
            title: `feature ${i}`,
            risk: i === 0 ? 'HIGH' : 'LOW',
            priority: i + 1,
            testTypes: i === 0 ? ['unit', 'security'] : ['unit'],
            coverageTarget: i === 0 ? 95 : 70,
            why: 'as the AI sees it',
          })),
        },
      },
    });
    const plan = (await ask(withAi, TEST_PLAN, id, ['QA_LEAD'])).data!.planTests;
    expect(plan).toMatchObject({
      source: 'AI',
      model: 'stub-model',
      confidence: 0.75,
      fallbackReason: null,
      rationale: 'payments carry the risk',
      summary: 'payments first, with a security review',
    });
    expect(plan.features[0]).toMatchObject({
      featureId: features[0],
      coverageTarget: 95,
      testTypes: ['unit', 'security'],
    });
    const sent = stub.requests.at(-1)!.body as { messages: { content: string }[]; response_format: Answer };
    expect(sent.response_format.json_schema.name).toBe('flightdeck_test-planning');
    expect(JSON.stringify(sent.messages)).toContain('Payment tokens');
    expect(await withAi.predictions.find({ kind: 'test-planning', subject: id })).toMatchObject([
      { id: plan.predictionId, source: 'ai', model: 'stub-model' },
    ]);
  });

  it('falls back to the deterministic assessment when the AI answers out of shape, and says why', async () => {
    const { id } = await releaseWithScope(withAi, '2.1.0');
    replies.push({ json: { confidence: 0.9, rationale: 'sure', value: { probabilityOnTime: 1.7, summary: 'fine' } } });
    const p = (await ask(withAi, PROGRESS, id, ['RELEASE_MANAGER'])).data!.assessProgress;
    expect(p.source).toBe('DETERMINISTIC');
    expect(p.fallbackReason).toMatch(/^the AI was not used: the answer did not match the progress-assessment schema: /);
    expect(p.fallbackReason).toContain('value.probabilityOnTime');
    expect(p.probabilityOnTime).toBeLessThanOrEqual(1);
    expect(await withAi.predictions.find({ kind: 'progress-assessment', subject: id })).toMatchObject([
      { id: p.predictionId, source: 'deterministic' },
    ]);
  });

  it("takes the AI's progress assessment", async () => {
    const { id, features } = await releaseWithScope(withAi, '2.2.0');
    replies.push({
      json: {
        confidence: 0.6,
        rationale: 'velocity is too low',
        value: {
          probabilityOnTime: 0.2,
          criticalPathAtRisk: [{ featureId: features[0], title: 'Payment tokens', effort: 13 }],
          scopeAdjustments: [{ featureId: features[2], title: 'Gift wrap', effort: 8, reason: 'lowest value' }],
          summary: 'defer gift wrap',
        },
      },
    });
    const p = (await ask(withAi, PROGRESS, id, ['TECHNICAL_LEAD'])).data!.assessProgress;
    expect(p).toMatchObject({ source: 'AI', probabilityOnTime: 0.2, summary: 'defer gift wrap', fallbackReason: null });
  });
});
