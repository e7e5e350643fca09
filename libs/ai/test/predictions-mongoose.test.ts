// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { databaseUri } from '@flightdeck/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdvisor, MongoosePredictionStore, predictionModel } from '../src/index.js';
import { baselineRisk, riskRequest } from './helpers.js';

let connection: Connection;
beforeAll(async () => {
  connection = await mongoose.createConnection(databaseUri(inject('mongoUri'), 'ai_predictions')).asPromise();
});
afterAll(async () => {
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

describe('MongoosePredictionStore on a real MongoDB-wire server', () => {
  it('records each advice and reads it back by kind and subject', async () => {
    const store = new MongoosePredictionStore(connection);
    let tick = 0;
    const advisor = createAdvisor(
      undefined,
      { recorder: store, now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++)) },
      'offline test',
    );

    const a = await advisor.advise(riskRequest());
    const b = await advisor.advise(riskRequest({ subject: 'release-3.0.0', baselineConfidence: 0.4 }));

    expect(await store.find({ kind: 'timeline-risk' })).toEqual([
      {
        id: a.predictionId,
        kind: 'timeline-risk',
        subject: 'release-2.4.0',
        value: baselineRisk,
        confidence: 0.6,
        source: 'deterministic',
        at: new Date(Date.UTC(2025, 0, 1, 0, 0, 0)),
      },
      {
        id: b.predictionId,
        kind: 'timeline-risk',
        subject: 'release-3.0.0',
        value: baselineRisk,
        confidence: 0.4,
        source: 'deterministic',
        at: new Date(Date.UTC(2025, 0, 1, 0, 0, 1)),
      },
    ]);
    expect((await store.find({ subject: 'release-3.0.0' })).map((p) => p.id)).toEqual([b.predictionId]);
    expect(await store.find({ kind: 'readiness' })).toEqual([]);
  });

  it('keeps the model name and ignores a second record of the same id', async () => {
    const store = new MongoosePredictionStore(connection);
    const prediction = {
      id: 'fixed-id',
      kind: 'readiness' as const,
      subject: 'release-9',
      value: 'PASS',
      confidence: 0.9,
      source: 'ai' as const,
      model: 'gpt-test',
      at: new Date('2025-01-02T00:00:00Z'),
    };
    await store.record(prediction);
    await store.record({ ...prediction, value: 'FAIL' });
    expect(await store.find({ subject: 'release-9' })).toEqual([prediction]);
    expect(await predictionModel(connection).countDocuments({ _id: 'fixed-id' })).toBe(1);
  });

  it('rejects a prediction the schema does not allow', async () => {
    const store = new MongoosePredictionStore(connection);
    await expect(
      store.record({
        id: 'bad',
        kind: 'readiness',
        subject: 'r',
        value: 1,
        confidence: 2,
        source: 'ai',
        at: new Date(),
      }),
    ).rejects.toThrow(/confidence/);
  });
});
