// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { gateEvaluationCompleted, type CloudEvent } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { databaseUri } from '@flightdeck/testing';
import { ConflictError, RuleError } from '@flightdeck/kernel';
import { ReleaseInsights } from '../../src/application/release-insights.js';
import { ReleasePlanning } from '../../src/application/release-planning.js';
import { ReleaseSignals } from '../../src/application/release-signals.js';
import type { PageRequest, ReleaseFilter, ReleaseRepository, SaveOptions } from '../../src/application/ports.js';
import { MongoReleaseRepository } from '../../src/adapters/mongo/mongo-release-repository.js';
import { releaseModel } from '../../src/adapters/mongo/release-model.js';
import type { Release } from '../../src/domain/release.js';

/**
 * The real repository, with a hook that runs once right after the next read: another writer's change (an event
 * from another service, another person) lands exactly between a mutation's read and its write, every time.
 */
class RacingRepository implements ReleaseRepository {
  private hook: (() => Promise<unknown>) | undefined;
  constructor(private readonly inner: MongoReleaseRepository) {}
  /** Runs `write` after the next read, before the reader writes. */
  between(write: () => Promise<unknown>): void {
    this.hook = write;
  }
  async get(id: string) {
    const read = await this.inner.get(id);
    const write = this.hook;
    this.hook = undefined;
    await write?.();
    return read;
  }
  getByVersion = (product: string, version: string) => this.inner.getByVersion(product, version);
  releasedVersions = (product: string) => this.inner.releasedVersions(product);
  insert = (release: Release, events: CloudEvent[]) => this.inner.insert(release, events);
  update = (release: Release, revision: number, events: CloudEvent[], options?: SaveOptions) =>
    this.inner.update(release, revision, events, options);
  recordEvents = (id: string, events: CloudEvent[]) => this.inner.recordEvents(id, events);
  list = (filter: ReleaseFilter, page: PageRequest) => this.inner.list(filter, page);
}

let mongo: MongoConnection;
let racing: RacingRepository;
let planning: ReleasePlanning;
let other: ReleasePlanning;
let signals: ReleaseSignals;
let insights: ReleaseInsights;
const now = new Date('2026-05-01T09:00:00Z');
const clock = { now: () => now };
const meta = { by: 'dev' };
const feature = {
  title: 'Checkout v2',
  priority: 'MUST' as const,
  businessValue: 5,
  timeCriticality: 5,
  riskReduction: 5,
  effort: 3,
};

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'planning-race'), retries: 2 });
  const model = releaseModel(mongo.connection);
  await model.init();
  const releases = new MongoReleaseRepository(model);
  racing = new RacingRepository(releases);
  planning = new ReleasePlanning({ releases: racing, clock, newId: randomUUID });
  // The other writers use the repository as it is.
  other = new ReleasePlanning({ releases, clock, newId: randomUUID });
  signals = new ReleaseSignals({ releases, clock, logger: pino({ level: 'silent' }) });
  insights = new ReleaseInsights({
    planning,
    clock,
    advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
  });
});

afterAll(async () => {
  await mongo?.close();
});

let versions = 0;
async function releaseInDevelopment(): Promise<{ id: string; featureId: string }> {
  const { release } = await other.create(meta, {
    product: 'race-api',
    version: `${++versions}.0.0`,
    theme: 'Races',
    owner: 'dev',
    targetDate: new Date('2026-07-01T12:00:00Z'),
    team: { velocityHistory: [5, 5, 5] },
  });
  const { featureId } = await other.addFeature(meta, release.id, feature);
  await other.transition(meta, release.id, 'IN_DEVELOPMENT', 'on plan');
  return { id: release.id, featureId };
}

const gateFailed = (releaseId: string) =>
  gateEvaluationCompleted.create({
    source: 'test',
    data: {
      releaseId,
      evaluationId: randomUUID(),
      gate: 'FEATURE_COMPLETE',
      outcome: 'FAIL',
      evaluatedAt: now.toISOString(),
    },
  });

describe('a change racing another write to the same release', () => {
  it('without expectedRevision is re-read and re-applied: a feature marked done while a gate outcome arrives keeps both', async () => {
    const { id, featureId } = await releaseInDevelopment();
    const event = gateFailed(id);
    racing.between(() => signals.handle(event));
    const stored = await planning.updateFeature(meta, id, featureId, { status: 'DONE' });
    expect(stored.release.features[0]!.status).toBe('DONE');
    const after = await other.get(id);
    expect(after.release.features[0]!.status).toBe('DONE');
    expect(after.release.gateResults.map((g) => g.evaluationId)).toEqual([
      (event.data as { evaluationId: string }).evaluationId,
    ]);
    expect(after.processedEvents).toEqual([event.id]);
    expect(after.revision).toBe(stored.revision);
  });

  it('with an expectedRevision is a CONFLICT, and nothing of the change is stored', async () => {
    const { id, featureId } = await releaseInDevelopment();
    const seen = (await other.get(id)).revision;
    racing.between(() => signals.handle(gateFailed(id)));
    const change = planning.updateFeature(meta, id, featureId, { status: 'DONE' }, undefined, seen);
    await expect(change).rejects.toBeInstanceOf(ConflictError);
    await expect(change).rejects.toThrow(
      `Release ${id} was changed by someone else: you had version ${seen}, it is now at version ${seen + 1}`,
    );
    const after = await other.get(id);
    expect(after.release.features[0]!.status).toBe('TODO');
    expect(after.release.gateResults).toHaveLength(1);
  });

  it('without expectedRevision still fails when its rule no longer holds on what is there now', async () => {
    const { id, featureId } = await releaseInDevelopment();
    racing.between(() => other.transition({ by: 'rita' }, id, 'CANCELLED', 'budget cut'));
    const change = planning.updateFeature(meta, id, featureId, { status: 'DONE' });
    await expect(change).rejects.toBeInstanceOf(RuleError);
    await expect(change).rejects.toThrow('is CANCELLED; it can no longer change');
    expect((await other.get(id)).release.features[0]!.status).toBe('TODO');
  });

  it('a forecast (which takes no revision) is stored on the release as it is after a gate outcome arrived meanwhile', async () => {
    const { id } = await releaseInDevelopment();
    racing.between(() => signals.handle(gateFailed(id)));
    const result = await insights.forecast(meta, id, { runs: 200, seed: 7 });
    const after = await other.get(id);
    expect(after.release.lastForecast?.seed).toBe(7);
    expect(after.release.gateResults).toHaveLength(1);
    expect(result.stored.revision).toBe(after.revision);
  });
});
