// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { databaseUri, startOpenAIStub, type OpenAIStub, type StubReply } from '@flightdeck/testing';
import { ReleaseInsights } from '../../src/application/release-insights.js';
import { ReleasePlanning } from '../../src/application/release-planning.js';
import { MongoReleaseRepository } from '../../src/adapters/mongo/mongo-release-repository.js';
import { releaseModel, type ReleaseModel } from '../../src/adapters/mongo/release-model.js';

let mongo: MongoConnection;
let stub: OpenAIStub;
let planning: ReleasePlanning;
let insights: ReleaseInsights;
let model: ReleaseModel;
const predictions = new InMemoryPredictionStore();
const replies: StubReply[] = [];
const now = new Date('2026-05-01T09:00:00Z');
const meta = { by: 'rita' };

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'planning-ai'), retries: 2 });
  stub = await startOpenAIStub({ responses: () => replies.shift() ?? { status: 500, message: 'no scripted reply' } });
  const clock = { now: () => now };
  model = releaseModel(mongo.connection);
  planning = new ReleasePlanning({ releases: new MongoReleaseRepository(model), clock, newId: randomUUID });
  const advisor = createAdvisor(
    { baseURL: stub.url, apiKey: 'test', model: 'stub-model', timeoutMs: 5_000, maxRetries: 0 },
    { recorder: predictions, now: clock.now },
  );
  insights = new ReleaseInsights({ planning, clock, advisor });
});

afterAll(async () => {
  await stub?.stop();
  await mongo?.close();
});

/** The scope recommendations waiting in the release's outbox (no relay runs in this file). */
async function recommendations(id: string): Promise<{ type: string; event: { data: Record<string, unknown> } }[]> {
  const doc = (await model.findById(id).lean().exec()) as unknown as {
    outbox: { type: string; event: { data: Record<string, unknown> } }[];
  };
  return doc.outbox.filter((o) => o.type === 'flightdeck.planning.scope.recommended');
}

async function releaseWithScope(version: string): Promise<{ id: string; features: string[] }> {
  const { release } = await planning.create(meta, {
    product: 'search',
    version,
    theme: 'Relevance',
    owner: 'rita',
    targetDate: new Date('2026-08-01T12:00:00Z'),
    team: { velocityHistory: [10, 12] },
  });
  const a = await planning.addFeature(meta, release.id, {
    title: 'Ranking',
    priority: 'MUST',
    businessValue: 8,
    timeCriticality: 5,
    riskReduction: 3,
    effort: 8,
  });
  const b = await planning.addFeature(meta, release.id, {
    title: 'Synonyms',
    priority: 'SHOULD',
    businessValue: 5,
    timeCriticality: 2,
    riskReduction: 1,
    effort: 3,
    dependsOn: [a.featureId],
  });
  return { id: release.id, features: [a.featureId, b.featureId] };
}

describe('AI-assisted prioritisation and timeline risk', () => {
  it('takes the AI answer next to the deterministic selection, recording it as a prediction', async () => {
    const { id, features } = await releaseWithScope('1.0.0');
    replies.push({
      json: {
        confidence: 0.8,
        rationale: 'ranking carries the theme',
        value: {
          features: [
            { featureId: features[0], score: 95, rationale: 'core of the theme', risk: 'HIGH' },
            { featureId: features[1], score: 60, rationale: 'cheap once ranking lands', risk: 'LOW' },
          ],
          sequencing: features,
          summary: 'ship ranking first',
        },
      },
    });
    const before = (await planning.get(id)).revision;
    const result = await insights.prioritize(meta, id, { capacity: 20 });
    expect(result.advice).toMatchObject({
      source: 'ai',
      model: 'stub-model',
      confidence: 0.8,
      value: { summary: 'ship ranking first' },
    });
    expect(result.prioritization.recommended.selected).toEqual(features);
    const sent = stub.requests.at(-1)!.body as { messages: { content: string }[] };
    expect(JSON.stringify(sent.messages)).toContain('Synonyms');
    const recorded = await predictions.find({ kind: 'prioritisation', subject: id });
    expect(recorded).toMatchObject([{ id: result.advice.predictionId, source: 'ai' }]);
    expect((await recommendations(id)).map((o) => o.event.data)).toEqual([
      {
        releaseId: id,
        product: 'search',
        source: 'ai',
        predictionId: result.advice.predictionId,
        recommended: features,
        leftOut: [],
        capacity: 20,
        at: now.toISOString(),
      },
    ]);
    // Advice changes nothing in the release, so a client's revision stays valid.
    expect((await planning.get(id)).revision).toBe(before);
  });

  it("publishes only the AI's features that the release has, once each, leaving the others out", async () => {
    const { id, features } = await releaseWithScope('1.1.0');
    replies.push({
      json: {
        confidence: 0.7,
        rationale: 'ranking alone',
        value: {
          features: [{ featureId: features[0], score: 90, rationale: 'core', risk: 'HIGH' }],
          sequencing: [features[0], 'made-up-feature', features[0]],
          summary: 'ranking only',
        },
      },
    });
    const result = await insights.prioritize(meta, id, { capacity: 8 });
    expect(result.advice.source).toBe('ai');
    expect((await recommendations(id)).map((o) => o.event.data)).toMatchObject([
      {
        source: 'ai',
        predictionId: result.advice.predictionId,
        recommended: [features[0]],
        leftOut: [features[1]],
        capacity: 8,
      },
    ]);
  });

  it('falls back to the deterministic baseline when the AI answer is unusable, and says why', async () => {
    const { id } = await releaseWithScope('2.0.0');
    replies.push({ content: 'not json at all' });
    const result = await insights.prioritize(meta, id, { capacity: 20 });
    expect(result.advice.source).toBe('deterministic');
    expect(result.advice.fallbackReason).toBeTruthy();
    expect(result.advice.value.summary).toBe('2 of 2 features fit 20 points (100% of the value)');
    expect((await recommendations(id)).map((o) => o.event.data)).toMatchObject([
      {
        source: 'deterministic',
        predictionId: result.advice.predictionId,
        recommended: result.prioritization.recommended.selected,
      },
    ]);
  });

  it('comments on timeline risks with the forecast, and stores the forecast', async () => {
    const { id } = await releaseWithScope('3.0.0');
    replies.push({
      json: {
        confidence: 0.6,
        rationale: 'one long chain',
        value: {
          commentary: 'tight but feasible',
          risks: [
            {
              description: 'ranking is on the critical path',
              likelihood: 'MEDIUM',
              impact: 'HIGH',
              contingency: 'pair on it',
            },
          ],
        },
      },
    });
    const result = await insights.forecast(meta, id, { runs: 500, seed: 11 });
    expect(result.advice).toMatchObject({ source: 'ai', value: { commentary: 'tight but feasible' } });
    expect((await planning.get(id)).release.lastForecast).toMatchObject({ runs: 500, seed: 11 });
    expect(await predictions.find({ kind: 'timeline-risk', subject: id })).toHaveLength(1);
    // The forecast event says who advised and whether the advice named a HIGH-likelihood risk, so analytics can score it.
    const doc = (await model.findById(id).lean().exec()) as unknown as {
      outbox: { type: string; event: { data: Record<string, unknown> } }[];
    };
    expect(
      doc.outbox.filter((o) => o.type === 'flightdeck.planning.timeline.forecasted').map((o) => o.event.data),
    ).toMatchObject([{ predictionId: result.advice.predictionId, adviceSource: 'ai', adviceFlagsSlip: false }]);
    replies.push({
      json: {
        confidence: 0.7,
        rationale: 'too much left',
        value: {
          commentary: 'will slip',
          risks: [
            { description: 'half the scope is left', likelihood: 'HIGH', impact: 'HIGH', contingency: 'cut scope' },
          ],
        },
      },
    });
    const second = await insights.forecast(meta, id, { runs: 500, seed: 12 });
    const again = (await model.findById(id).lean().exec()) as unknown as {
      outbox: { type: string; event: { data: Record<string, unknown> } }[];
    };
    expect(
      again.outbox.filter((o) => o.type === 'flightdeck.planning.timeline.forecasted').at(-1)!.event.data,
    ).toMatchObject({ predictionId: second.advice.predictionId, adviceSource: 'ai', adviceFlagsSlip: true });
  });
});
