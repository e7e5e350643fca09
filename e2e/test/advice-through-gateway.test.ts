import type {} from '@flightdeck/testing/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintToken } from '@flightdeck/auth';
import { databaseUri, DEADLINES, eventually, gql, startOpenAIStub, type OpenAIStub } from '@flightdeck/testing';
import { flightdeck } from '../src/cli.js';
import { startServiceProcess, type ServiceProcess } from '../src/processes.js';

const secret = 'e2e-secret-that-is-at-least-32-characters-long';
const DAY = 86_400_000;
const product = `advice-${Date.now().toString(36)}`;
const release = `${product}@1.0.0`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

/**
 * The missing advice end to end: planning (with an AI endpoint), gates (without one) and analytics as their own
 * processes behind the gateway, asked through the `flightdeck advice` CLI; each advice recorded, published and then
 * counted by analytics against what happened.
 */
describe('test plan, progress and gate validation: the CLI through the gateway to the services, scored by analytics', () => {
  const started: ServiceProcess[] = [];
  let stub: OpenAIStub;
  let gatewayUrl: string;
  let rita: string;
  let quinn: string;
  let releaseId: string;

  beforeAll(async () => {
    // The AI answers the progress assessment properly and the test plan out of shape.
    stub = await startOpenAIStub({
      responses: (request) =>
        request.response_format.json_schema.name === 'flightdeck_progress-assessment'
          ? {
              json: {
                confidence: 0.7,
                rationale: 'little left, plenty of time',
                value: { probabilityOnTime: 0.9, criticalPathAtRisk: [], scopeAdjustments: [], summary: 'on track' },
              },
            }
          : { json: { confidence: 0.5, rationale: 'x', value: { features: 'all of them' } } },
    });
    const common = { NATS_URL: inject('natsUrl'), AUTH_JWT_SECRET: secret };
    const db = (name: string) => ({ MONGODB_URI: databaseUri(inject('mongoUri'), `e2e_advice_${name}`) });
    const services = await Promise.allSettled([
      startServiceProcess('planning', { ...common, ...db('planning'), AI_BASE_URL: stub.url, AI_MODEL: 'stub-model' }),
      startServiceProcess('gates', { ...common, ...db('gates') }),
      startServiceProcess('analytics', { ...common, ...db('analytics') }),
    ]);
    for (const s of services) if (s.status === 'fulfilled') started.push(s.value);
    const failed = services.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [planning, gates, analytics] = started;
    const gateway = await startServiceProcess('gateway', {
      ...common,
      SUBGRAPH_PLANNING_URL: planning!.url,
      SUBGRAPH_GATES_URL: gates!.url,
      SUBGRAPH_ANALYTICS_URL: analytics!.url,
    });
    started.push(gateway);
    gatewayUrl = gateway.url;
    rita = await mintToken({ secret, subject: 'rita', roles: ['RELEASE_MANAGER'] });
    quinn = await mintToken({ secret, subject: 'quinn', roles: ['QA_LEAD'] });
  }, 180_000);

  afterAll(async () => {
    for (const p of started.reverse()) await p.process.stop();
    await stub?.stop();
  });

  const ask = async (query: string, variables: Record<string, unknown>, token = rita) => {
    const res = await gql<Answer>(gatewayUrl, query, variables, token);
    if (res.errors?.length) throw new Error(res.errors.map((e) => e.message).join('; '));
    return res.data!;
  };

  it('plans a release and asks for its progress (the AI answers) and a test plan (the AI answers out of shape: the baseline, saying why)', async () => {
    releaseId = (
      await ask('mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }', {
        input: {
          product,
          version: '1.0.0',
          theme: 'Advice',
          owner: 'rita',
          targetDate: new Date(Date.now() + 60 * DAY).toISOString(),
          team: { velocityHistory: [10, 12, 11] },
        },
      })
    ).createRelease.id;
    await ask(
      'mutation($id: ID!, $input: FeatureInput!) { addFeature(releaseId: $id, input: $input) { feature { id } } }',
      {
        id: releaseId,
        input: {
          title: 'Login tokens',
          priority: 'MUST',
          businessValue: 8,
          timeCriticality: 5,
          riskReduction: 5,
          effort: 5,
        },
      },
    );
    await ask(
      'mutation($id: ID!) { transitionRelease(id: $id, to: IN_DEVELOPMENT, reason: "scope agreed") { status } }',
      {
        id: releaseId,
      },
    );

    const progress = await flightdeck(['advice', 'progress', '--release', release], { url: gatewayUrl, token: rita });
    expect(progress.stderr).toMatch(
      /^advice by the AI \(stub-model\), confidence 0\.70, recorded as prediction \S+\n$/,
    );
    expect(progress.stdout).toMatch(/^90% chance to make feature complete by \d{4}-\d\d-\d\d\non track\n$/);
    expect(progress.code).toBe(0);

    const plan = await flightdeck(['advice', 'test-plan', '--release', release, '--json'], {
      url: gatewayUrl,
      token: quinn,
    });
    expect(plan.code).toBe(0);
    const json = JSON.parse(plan.stdout) as Answer;
    expect(json).toMatchObject({ source: 'DETERMINISTIC', summary: '1 feature to test, 1 of high risk first' });
    expect(json.fallbackReason).toMatch(
      /^the AI was not used: the answer did not match the test-planning schema: value\.features/,
    );
    expect(json.features).toEqual([
      expect.objectContaining({
        title: 'Login tokens',
        priority: 1,
        testTypes: ['unit', 'integration', 'end-to-end', 'regression', 'security'],
      }),
    ]);
    expect(plan.stderr).toContain('advice by the deterministic baseline, confidence 0.50');
  });

  it('validates the Feature Complete gate without an AI (the baseline says why), and a developer is refused', async () => {
    await eventually(
      'gates learning the release from planning',
      async () =>
        (await ask('query($r: String!) { releaseGates(release: $r) { name } }', { r: release })).releaseGates.length
          ? true
          : undefined,
      DEADLINES.stack,
    );
    const notYet = await flightdeck(['advice', 'gate-validation', '--release', release, '--gate', 'FEATURE_COMPLETE'], {
      url: gatewayUrl,
      token: quinn,
    });
    expect(notYet.code).toBe(3);
    expect(notYet.stderr).toContain('has not been evaluated yet: submit evidence or run evaluateGate first');

    await ask('mutation($r: String!) { evaluateGate(release: $r, gate: "FEATURE_COMPLETE") { outcome } }', {
      r: release,
    });
    const v = await flightdeck(['advice', 'gate-validation', '--release', release, '--gate', 'FEATURE_COMPLETE'], {
      url: gatewayUrl,
      token: quinn,
    });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^FEATURE_COMPLETE: FAIL \(evaluated FAIL\)\n/);
    expect(v.stdout).toContain('risk of proceeding: ');
    expect(v.stderr).toContain('baseline because no AI endpoint is configured (AI_BASE_URL is not set)');

    const dev = await flightdeck(['advice', 'gate-validation', '--release', release, '--gate', 'FEATURE_COMPLETE'], {
      url: gatewayUrl,
      token: await mintToken({ secret, subject: 'dev', roles: ['DEVELOPER'] }),
    });
    expect(dev.code).toBe(3);
    expect(dev.stderr).toMatch(/^flightdeck: /);
  });

  it('analytics scores each against what happened: feature complete in time, the gate’s next outcome; the test plan is not scorable', async () => {
    await ask('mutation($id: ID!) { transitionRelease(id: $id, to: FEATURE_COMPLETE, reason: "done") { status } }', {
      id: releaseId,
    });
    await ask('mutation($r: String!) { evaluateGate(release: $r, gate: "FEATURE_COMPLETE") { outcome } }', {
      r: release,
    });
    const query = `query($p: String!) { aiEffectiveness(product: $p) {
      rows { kind source samples } tooFewOutcomes { metric kind source samples minimum message } notScorable { kind message } } }`;
    const ai = await eventually(
      'analytics scoring the progress assessment and the gate validation',
      async () => {
        const a = (await ask(query, { p: product })).aiEffectiveness as Answer;
        const kinds = (a.tooFewOutcomes as Answer[]).filter((t) => t.samples > 0).map((t) => t.kind);
        return kinds.includes('progress-assessment') && kinds.includes('gate-validation') ? a : undefined;
      },
      DEADLINES.stack,
    );
    expect(ai.rows).toEqual([]);
    expect(ai.tooFewOutcomes).toContainEqual({
      metric: 'RISK_PREDICTION',
      kind: 'progress-assessment',
      source: 'AI',
      samples: 1,
      minimum: 5,
      message: 'too few outcomes: 1 of the 5 a score needs',
    });
    expect(ai.tooFewOutcomes).toContainEqual({
      metric: 'QUALITY_GATE_PREDICTION',
      kind: 'gate-validation',
      source: 'DETERMINISTIC',
      samples: 1,
      minimum: 5,
      message: 'too few outcomes: 1 of the 5 a score needs',
    });
    expect(ai.notScorable.map((n: Answer) => n.kind)).toEqual(['test-planning', 'post-release']);
    expect(ai.notScorable[0].message).toMatch(/^not scorable: nothing records which feature/);
  });
});
