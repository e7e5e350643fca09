// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { releaseCreatedV2 } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { databaseUri, startOpenAIStub, type OpenAIStub } from '@flightdeck/testing';
import { createGates } from '../../src/application/gates.js';
import { applyPlanningEvent } from '../../src/application/planning-events.js';
import { gatesModels } from '../../src/adapters/mongo/models.js';
import { MongoGatesStore } from '../../src/adapters/mongo/mongo-gates-store.js';
import { parseEvidence } from '../../src/adapters/parsers/index.js';

let mongo: MongoConnection;
let stub: OpenAIStub;
const rm = { subject: 'rita', roles: ['RELEASE_MANAGER' as const], machine: false };

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'gates-ai'), retries: 2 });
});
afterAll(async () => {
  await stub?.stop();
  await mongo?.close();
});

async function setup(responses: Parameters<typeof startOpenAIStub>[0]['responses']) {
  stub = await startOpenAIStub({ responses });
  const predictions = new InMemoryPredictionStore();
  const store = new MongoGatesStore(gatesModels(mongo.connection));
  const advisor = createAdvisor(
    { baseURL: stub.url, model: 'gpt-test', timeoutMs: 5000, maxRetries: 0 },
    { recorder: predictions },
  );
  const gates = createGates({
    store,
    readEvidence: parseEvidence,
    advisor,
    clock: { now: () => new Date() },
    ids: randomUUID,
  });
  const releaseId = randomUUID();
  await applyPlanningEvent(
    store,
    releaseCreatedV2.create({
      source: 'flightdeck/planning',
      data: {
        releaseId,
        product: 'web',
        version: '5.0.0',
        releaseType: 'MAJOR',
        theme: '',
        owner: 'o',
        targetDate: new Date().toISOString(),
        createdBy: 'rita',
      },
    }),
  );
  return { gates, predictions, releaseId };
}

describe('readiness with the AI advisor', () => {
  it("uses the AI's recommendation and mitigations, keeps the deterministic score, and records the prediction", async () => {
    const { gates, predictions, releaseId } = await setup([
      {
        json: {
          value: {
            recommendation: 'CONDITIONAL_GO',
            blockingIssues: ['Alpha not evaluated'],
            mitigations: ['run the alpha gate first'],
            monitoring: ['checkout error rate'],
            predictedOutcome: 'CONDITIONAL',
          },
          confidence: 0.7,
          rationale: 'no gate has been evaluated',
        },
      },
    ]);
    const r = await gates.readiness.assess(releaseId, rm);
    expect(r).toMatchObject({
      source: 'ai',
      recommendation: 'CONDITIONAL_GO',
      confidence: 0.7,
      mitigations: ['run the alpha gate first'],
      predictedOutcome: 'CONDITIONAL',
      rationale: 'no gate has been evaluated',
    });
    expect(r.score).toBe(33); // deterministic: 0 of 60 from gates (none evaluated), 25 of 25 (nothing critical open), 7.5 of 15 (no trend yet)
    const sent = stub.requests.at(-1)!.body as { messages: { content: string }[] };
    expect(JSON.stringify(sent.messages)).toContain('deterministicScore');
    expect(await predictions.find({ kind: 'readiness', subject: releaseId })).toMatchObject([
      { id: r.predictionId, source: 'ai', value: { predictedOutcome: 'CONDITIONAL' } },
    ]);
    expect((await gates.readiness.history(releaseId))[0]!.id).toBe(r.id);
  });

  it('falls back to the deterministic baseline when the AI answers off-schema, saying why', async () => {
    await stub.stop();
    const { gates, releaseId } = await setup([{ json: { value: { recommendation: 'SHIP IT' }, confidence: 2 } }]);
    const r = await gates.readiness.assess(releaseId, rm);
    expect(r.source).toBe('deterministic');
    expect(r.recommendation).toBe('NO_GO');
    expect(r.fallbackReason).toMatch(
      /^the AI was not used: the answer did not match the readiness schema: value\.recommendation: Invalid option/,
    );
  });
});
