import { startOpenAIStub, type OpenAIStub } from '@flightdeck/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createAdvisor,
  InMemoryPredictionStore,
  RecordingAdvisor,
  DeterministicAdvisor,
  type PredictionRecorder,
} from '../src/index.js';
import { aiAnswer, baselineRisk, riskRequest } from './helpers.js';

let stub: OpenAIStub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

const fixedNow = () => new Date('2025-02-03T04:05:06Z');

describe('every advice is recorded as a prediction', () => {
  it('records the AI answer and the baseline that replaced a failed one', async () => {
    stub = await startOpenAIStub({ responses: [{ json: aiAnswer }, { status: 500, message: 'down' }] });
    const store = new InMemoryPredictionStore();
    const advisor = createAdvisor(
      { baseURL: stub.url, model: 'gpt-test', timeoutMs: 5_000, maxRetries: 0 },
      { recorder: store, now: fixedNow },
    );

    const first = await advisor.advise(riskRequest());
    const second = await advisor.advise(riskRequest({ subject: 'release-2.5.0' }));
    expect([first.source, second.source]).toEqual(['ai', 'deterministic']);

    expect(await store.find()).toEqual([
      {
        id: first.predictionId,
        kind: 'timeline-risk',
        subject: 'release-2.4.0',
        value: aiAnswer.value,
        confidence: 0.8,
        source: 'ai',
        model: 'gpt-test',
        at: fixedNow(),
      },
      {
        id: second.predictionId,
        kind: 'timeline-risk',
        subject: 'release-2.5.0',
        value: baselineRisk,
        confidence: 0.6,
        source: 'deterministic',
        at: fixedNow(),
      },
    ]);
    expect(await store.find({ subject: 'release-2.5.0' })).toHaveLength(1);
    expect(await store.find({ kind: 'readiness' })).toEqual([]);
  });

  it('keeps a prediction recorded twice once, and stores a copy the caller cannot change', async () => {
    const store = new InMemoryPredictionStore();
    const prediction = {
      id: 'p1',
      kind: 'readiness' as const,
      subject: 'r1',
      value: { verdict: 'PASS' },
      confidence: 0.9,
      source: 'ai' as const,
      at: fixedNow(),
    };
    await store.record(prediction);
    await store.record({ ...prediction, confidence: 0.1 });
    prediction.value.verdict = 'FAIL';
    expect(await store.find()).toEqual([{ ...prediction, value: { verdict: 'PASS' }, confidence: 0.9 }]);
  });

  it('fails the advice when the prediction cannot be recorded', async () => {
    const broken: PredictionRecorder = { record: async () => Promise.reject(new Error('disk full')) };
    const advisor = new RecordingAdvisor(new DeterministicAdvisor('offline'), broken);
    await expect(advisor.advise(riskRequest())).rejects.toThrow('disk full');
  });
});
