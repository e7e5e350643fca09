// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import {
  featureStatusChanged,
  releaseCreatedV2,
  releaseScopeChanged,
  releaseStatusChangedV2,
} from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { databaseUri } from '@flightdeck/testing';
import { createGates, type Gates } from '../../src/application/gates.js';
import { applyPlanningEvent } from '../../src/application/planning-events.js';
import { gatesModels } from '../../src/adapters/mongo/models.js';
import { MongoGatesStore } from '../../src/adapters/mongo/mongo-gates-store.js';
import { RuleError } from '@flightdeck/kernel';
import { parseEvidence } from '../../src/adapters/parsers/index.js';

let mongo: MongoConnection;
let store: MongoGatesStore;
let gates: Gates;
const source = 'flightdeck/planning';
const at = new Date().toISOString();

/** The gates application on `on`, with the offline advisor and the real clock. */
const gatesOn = (on: MongoGatesStore) =>
  createGates({
    store: on,
    readEvidence: parseEvidence,
    advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
    clock: { now: () => new Date() },
    ids: randomUUID,
  });

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'gates-store'), retries: 2 });
  const models = gatesModels(mongo.connection);
  await Promise.all([models.states.init(), models.releases.init(), models.definitions.init()]);
  store = new MongoGatesStore(models);
  gates = gatesOn(store);
});
afterAll(async () => mongo?.close());

// Planning's events about a MINOR release of the product api, created by rita.
const releaseCreated = (releaseId: string, version: string) =>
  releaseCreatedV2.create({
    source,
    data: {
      releaseId,
      product: 'api',
      version,
      releaseType: 'MINOR',
      theme: '',
      owner: 'o',
      targetDate: at,
      createdBy: 'rita',
    },
  });
const featureAdded = (releaseId: string, featureId: string, title: string, points: number) =>
  releaseScopeChanged.create({
    source,
    data: {
      releaseId,
      kind: 'ADDED',
      featureId,
      title,
      fields: [],
      by: 'rita',
      at,
      featureCount: 1,
      totalPoints: points,
    },
  });
const featureDone = (releaseId: string, featureId: string, title: string, effort: number) =>
  featureStatusChanged.create({
    source,
    data: { releaseId, featureId, title, from: 'IN_REVIEW', to: 'DONE', effort, by: 'dev', at },
  });

describe('the release projection from planning events', () => {
  it('applies each event once: a redelivery changes nothing twice', async () => {
    const releaseId = randomUUID();
    const created = releaseCreated(releaseId, '1.2.0');
    const added = featureAdded(releaseId, 'F.1$x', 'Search', 3);
    const done = featureDone(releaseId, 'F.1$x', 'Search', 3);
    const frozen = releaseStatusChangedV2.create({
      source,
      data: {
        releaseId,
        product: 'api',
        version: '1.2.0',
        releaseType: 'MINOR',
        from: 'IN_DEVELOPMENT',
        to: 'CODE_FREEZE',
        by: 'rita',
        at,
        reason: 'freeze',
      },
    });
    expect(await applyPlanningEvent(store, created)).toBe('applied');
    expect(await applyPlanningEvent(store, created)).toBe('duplicate');
    expect(await applyPlanningEvent(store, added)).toBe('applied');
    expect(await applyPlanningEvent(store, done)).toBe('applied');
    expect(await applyPlanningEvent(store, added)).toBe('duplicate'); // an old redelivery does not reset the feature to TODO
    expect(await applyPlanningEvent(store, frozen)).toBe('applied');
    expect(await store.releaseByVersion('api', '1.2.0')).toEqual({
      id: releaseId,
      product: 'api',
      version: '1.2.0',
      type: 'MINOR',
      requestedBy: 'rita',
      status: 'CODE_FREEZE',
      features: [{ id: 'F.1$x', title: 'Search', status: 'DONE' }],
    });
  });
});

describe('scope changes from planning re-evaluate the gates that measure scope', () => {
  it("a feature done in planning turns Feature Complete's scope criterion to PASS, once per event", async () => {
    const releaseId = randomUUID();
    const rescope = (id: string, why: string) => gates.evidence.scopeChanged(id, why);
    await applyPlanningEvent(store, releaseCreated(releaseId, '1.5.0'), rescope);
    await applyPlanningEvent(store, featureAdded(releaseId, 'f1', 'Export', 2), rescope);
    const first = await gates.evidence.evaluate(releaseId, 'FEATURE_COMPLETE', {
      subject: 'ci',
      roles: ['CI'],
      machine: true,
    });
    expect(first.latest!.criteria.find((c) => c.criterionId === 'scope-done')).toMatchObject({
      result: 'FAIL',
      explanation: 'not done yet: Export',
    });
    expect((await gates.queries.gate(releaseId, 'ALPHA')).state).toBeUndefined();

    const done = featureDone(releaseId, 'f1', 'Export', 2);
    expect(await applyPlanningEvent(store, done, rescope)).toBe('applied');
    expect(await applyPlanningEvent(store, done, rescope)).toBe('duplicate');
    const state = (await store.state(releaseId, 'FEATURE_COMPLETE'))!.state;
    expect(state.evaluations).toHaveLength(2);
    expect(state.evaluations[1]!.trigger).toBe('planning: feature "Export" now DONE');
    expect(state.evaluations[1]!.criteria.find((c) => c.criterionId === 'scope-done')).toMatchObject({
      result: 'PASS',
      explanation: 'the one planned feature is done',
      measured: '1 of 1 feature done',
    });
    expect((await gates.queries.gate(releaseId, 'ALPHA')).state).toBeUndefined(); // never evaluated and no scope criterion: left alone
  });
});

describe('writes under contention', () => {
  it('two approvals at the same moment both land (optimistic concurrency with retries)', async () => {
    const releaseId = randomUUID();
    await applyPlanningEvent(store, releaseCreated(releaseId, '1.3.0'));
    await gates.evidence.evaluate(releaseId, 'ALPHA', { subject: 'ci', roles: ['CI'], machine: true });
    await Promise.all([
      gates.approvals.approve(releaseId, 'ALPHA', {}, { subject: 'quinn', roles: ['QA_LEAD'], machine: false }),
      gates.approvals.approve(releaseId, 'ALPHA', {}, { subject: 'tom', roles: ['TECHNICAL_LEAD'], machine: false }),
    ]);
    const state = (await store.state(releaseId, 'ALPHA'))!.state;
    expect(state.approvals.map((a) => `${a.by}:${a.role}`).sort()).toEqual(['quinn:QA_LEAD', 'tom:TECHNICAL_LEAD']);
    expect(state.evaluations.at(-1)!.approvals.every((a) => a.satisfied)).toBe(true);
  });

  it('an approval racing a re-evaluation after a planning event is re-applied to the state and scope as they are now', async () => {
    const releaseId = randomUUID();
    const rescope = (id: string, why: string) => gates.evidence.scopeChanged(id, why);
    await applyPlanningEvent(store, releaseCreated(releaseId, '1.6.0'));
    await applyPlanningEvent(store, featureAdded(releaseId, 'f1', 'Export', 2));
    await gates.evidence.evaluate(releaseId, 'FEATURE_COMPLETE', { subject: 'ci', roles: ['CI'], machine: true });
    // The store as it is, except that right after the approval reads the gate state, planning's "feature done"
    // event is applied and re-evaluates that same gate: its write lands between the approval's read and write.
    let between: (() => Promise<unknown>) | undefined = () =>
      applyPlanningEvent(store, featureDone(releaseId, 'f1', 'Export', 2), rescope);
    const racing = new Proxy(store, {
      get(target, key, receiver) {
        if (key !== 'state') return Reflect.get(target, key, receiver);
        return async (id: string, gate: string) => {
          const read = await target.state(id, gate);
          const write = between;
          between = undefined;
          await write?.();
          return read;
        };
      },
    });
    const racingGates = gatesOn(racing);
    const view = await racingGates.approvals.approve(
      releaseId,
      'FEATURE_COMPLETE',
      {},
      { subject: 'tom', roles: ['TECHNICAL_LEAD'], machine: false },
    );
    expect(between).toBeUndefined();
    const state = (await store.state(releaseId, 'FEATURE_COMPLETE'))!.state;
    expect(state.evaluations.map((e) => e.trigger)).toEqual([
      'evaluation requested',
      'planning: feature "Export" now DONE',
      'approval by tom',
    ]);
    expect(state.approvals.map((a) => a.by)).toEqual(['tom']);
    expect(view.latest!.criteria.find((c) => c.criterionId === 'scope-done')).toMatchObject({ result: 'PASS' });
    expect(view.latest!.approvals).toMatchObject([{ role: 'TECHNICAL_LEAD', approvedBy: ['tom'], satisfied: true }]);
  });

  it('a malformed report stores nothing, not even an empty gate state', async () => {
    const releaseId = randomUUID();
    await applyPlanningEvent(store, releaseCreated(releaseId, '1.4.0'));
    const err = await gates.evidence
      .submit(
        {
          release: 'api@1.4.0',
          gate: 'ALPHA',
          kind: 'SARIF',
          name: 'scan.sarif',
          content: ['{"version":"2.1.0","runs":[{"tool":'],
          bytes: 30,
        },
        { subject: 'ci', roles: ['CI'], machine: true },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleError);
    expect((err as RuleError).message).toMatch(/^evidence refused, nothing was stored: scan\.sarif\b/);
    expect(await store.state(releaseId, 'ALPHA')).toBeUndefined();
    expect(await store.audit({ releaseId })).toEqual([]);
  });
});
