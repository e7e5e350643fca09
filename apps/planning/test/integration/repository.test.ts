// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { databaseUri } from '@flightdeck/testing';
import { pino } from 'pino';
import { ReleasePlanning } from '../../src/application/release-planning.js';
import { ReleaseSignals } from '../../src/application/release-signals.js';
import { MongoReleaseRepository } from '../../src/adapters/mongo/mongo-release-repository.js';
import { releaseModel, type ReleaseModel } from '../../src/adapters/mongo/release-model.js';
import { gateEvaluationCompleted, rolloutRolledBack, rolloutSucceeded } from '@flightdeck/events';
import { ConflictError } from '@flightdeck/kernel';

let mongo: MongoConnection;
let model: ReleaseModel;
let planning: ReleasePlanning;
let releases: MongoReleaseRepository;
let signals: ReleaseSignals;
const now = new Date('2026-05-01T09:00:00Z');
const clock = { now: () => now };
const meta = { by: 'alice' };
const input = {
  product: 'checkout-api',
  version: '1.0.0',
  theme: 'First',
  owner: 'alice',
  targetDate: new Date('2026-07-01T12:00:00Z'),
};

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'planning-repo'), retries: 2 });
  model = releaseModel(mongo.connection);
  await model.init();
  releases = new MongoReleaseRepository(model);
  planning = new ReleasePlanning({ releases, clock, newId: randomUUID });
  signals = new ReleaseSignals({ releases, clock, logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await mongo?.close();
});

describe('releases in MongoDB', () => {
  it('stores a release with its creation event in the outbox, and reads it back', async () => {
    const stored = await planning.create(meta, input);
    const again = await planning.get(stored.release.id);
    expect(again.release).toEqual(stored.release);
    const raw = (await model.findById(stored.release.id).lean().exec()) as unknown as { outbox: { type: string }[] };
    expect(raw.outbox.map((o) => o.type)).toEqual(['flightdeck.planning.release.created']);
    await expect(planning.create(meta, input)).rejects.toThrow('checkout-api 1.0.0 already exists');
  });

  it('refuses the loser of two edits made from the same revision, overwriting nothing', async () => {
    const { release } = await planning.create(meta, { ...input, version: '2.0.0' });
    const f = {
      title: 'A',
      priority: 'MUST' as const,
      businessValue: 1,
      timeCriticality: 1,
      riskReduction: 1,
      effort: 1,
    };
    // Both clients saw revision 0; whichever is stored second must be refused.
    const results = await Promise.allSettled([
      planning.addFeature(meta, release.id, f, undefined, 0),
      planning.addFeature(meta, release.id, { ...f, title: 'B' }, undefined, 0),
    ]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toBeInstanceOf(ConflictError);
    expect(String(failed[0]!.reason.message)).toContain(
      'was changed by someone else: you had version 0, it is now at version 1',
    );
    expect((await planning.get(release.id)).release.features).toHaveLength(1);
  });

  it('refuses a write whose revision moved between its read and its write', async () => {
    const { release } = await planning.create(meta, { ...input, version: '2.1.0' });
    const seenByA = await releases.get(release.id);
    const seenByB = await releases.get(release.id);
    await releases.update({ ...seenByA!.release, theme: 'from A' }, seenByA!.revision, []);
    await expect(
      releases.update({ ...seenByB!.release, theme: 'from B' }, seenByB!.revision, []),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await planning.get(release.id)).release.theme).toBe('from A');
  });

  it('applies a gate event once, moving the release on, and ignores its redelivery', async () => {
    let { release } = await planning.create(meta, { ...input, version: '3.0.0' });
    for (const to of ['IN_DEVELOPMENT', 'FEATURE_COMPLETE'] as const)
      release = (await planning.transition(meta, release.id, to, 'on plan')).release;
    const event = gateEvaluationCompleted.create({
      source: 'test',
      data: {
        releaseId: release.id,
        evaluationId: 'ev1',
        gate: 'FEATURE_COMPLETE',
        outcome: 'PASS',
        evaluatedAt: now.toISOString(),
      },
    });
    expect(await signals.handle(event)).toBe('applied');
    const after = await planning.get(release.id);
    expect(after.release.status).toBe('CODE_FREEZE');
    expect(after.release.transitions.at(-1)).toMatchObject({
      from: 'FEATURE_COMPLETE',
      to: 'CODE_FREEZE',
      by: 'flightdeck-gates',
    });
    expect(after.processedEvents).toEqual([event.id]);
    expect(await signals.handle(event)).toBe('duplicate');
    const again = await planning.get(release.id);
    expect(again.revision).toBe(after.revision);
    expect(again.release.gateResults).toHaveLength(1);
  });

  it('lists releases by target date with filters and cursors', async () => {
    for (let i = 0; i < 5; i++) {
      await planning.create(meta, {
        ...input,
        product: 'list-api',
        version: `${i + 1}.0.0`,
        targetDate: new Date(Date.UTC(2026, 6 + i, 1)),
      });
    }
    const first = await planning.list({ product: 'list-api' }, { first: 2 });
    expect(first.edges.map((e) => e.node.release.version)).toEqual(['1.0.0', '2.0.0']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await planning.list({ product: 'list-api' }, { first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.release.version)).toEqual(['3.0.0', '4.0.0']);
    const ranged = await planning.list(
      { product: 'list-api', targetFrom: new Date(Date.UTC(2026, 8, 1)), targetTo: new Date(Date.UTC(2026, 9, 1)) },
      {},
    );
    expect(ranged.edges.map((e) => e.node.release.version)).toEqual(['3.0.0', '4.0.0']);
    expect(await ranged.totalCount()).toBe(2);
  });

  it('records failed gates and staging rollouts without moving the release, and ignores unknown releases', async () => {
    let { release } = await planning.create(meta, { ...input, version: '7.0.0' });
    for (const to of ['IN_DEVELOPMENT', 'FEATURE_COMPLETE'] as const)
      release = (await planning.transition(meta, release.id, to, 'on plan')).release;
    const gate = (outcome: 'PASS' | 'FAIL', evaluationId: string, at: string) =>
      gateEvaluationCompleted.create({
        source: 'test',
        data: { releaseId: release.id, evaluationId, gate: 'FEATURE_COMPLETE', outcome, evaluatedAt: at },
      });
    expect(await signals.handle(gate('FAIL', 'e1', '2026-05-01T08:00:00Z'))).toBe('applied');
    let stored = await planning.get(release.id);
    expect(stored.release.status).toBe('FEATURE_COMPLETE');
    expect(stored.release.signals.gates).toEqual({ FEATURE_COMPLETE: 'FAIL' });

    const staging = rolloutSucceeded.create({
      source: 'test',
      data: { releaseId: release.id, rolloutId: 'r1', environment: 'staging', completedAt: now.toISOString() },
    });
    expect(await signals.handle(staging)).toBe('ignored');
    const rollback = rolloutRolledBack.create({
      source: 'test',
      data: {
        releaseId: release.id,
        rolloutId: 'r2',
        environment: 'production',
        reason: 'error rate',
        rolledBackAt: now.toISOString(),
      },
    });
    expect(await signals.handle(rollback)).toBe('applied');
    expect((await planning.get(release.id)).release.signals.productionRolloutSucceeded).toBe(false);

    // An older evaluation arriving late does not override the newer FAIL.
    expect(await signals.handle(gate('PASS', 'e0', '2026-05-01T07:00:00Z'))).toBe('applied');
    stored = await planning.get(release.id);
    expect(stored.release.signals.gates).toEqual({ FEATURE_COMPLETE: 'FAIL' });
    expect(stored.release.status).toBe('FEATURE_COMPLETE');

    const unknown = gateEvaluationCompleted.create({
      source: 'test',
      data: { releaseId: 'nope', evaluationId: 'e9', gate: 'ALPHA', outcome: 'PASS', evaluatedAt: now.toISOString() },
    });
    expect(await signals.handle(unknown)).toBe('unknown-release');
  });

  it('keeps a release in production when one of its workloads is promoted and another rolled back, and releases it once Production passes', async () => {
    let { release } = await planning.create(meta, { ...input, product: 'storefront', version: '1.0.0' });
    const passed = (gate: string, at: string) =>
      signals.handle(
        gateEvaluationCompleted.create({
          source: 'test',
          data: { releaseId: release.id, evaluationId: `${gate}-1`, gate, outcome: 'PASS', evaluatedAt: at },
        }),
      );
    for (const to of ['IN_DEVELOPMENT', 'FEATURE_COMPLETE'] as const)
      release = (await planning.transition(meta, release.id, to, 'on plan')).release;
    await passed('FEATURE_COMPLETE', '2026-05-01T08:00:00Z'); // moves it to CODE_FREEZE
    await planning.transition(meta, release.id, 'ALPHA', 'on plan');
    await passed('ALPHA', '2026-05-01T08:10:00Z'); // to BETA
    await passed('BETA', '2026-05-01T08:20:00Z'); // to RELEASE_CANDIDATE
    expect((await planning.get(release.id)).release.status).toBe('RELEASE_CANDIDATE');
    const web = rolloutSucceeded.create({
      source: 'test',
      data: {
        releaseId: release.id,
        rolloutId: 'web-1',
        environment: 'production',
        completedAt: '2026-05-01T09:05:00Z',
      },
    });
    const api = rolloutRolledBack.create({
      source: 'test',
      data: {
        releaseId: release.id,
        rolloutId: 'api-1',
        environment: 'production',
        reason: 'error rate',
        rolledBackAt: '2026-05-01T09:09:00Z',
      },
    });
    expect(await signals.handle(web)).toBe('applied');
    expect(await signals.handle(api)).toBe('applied');
    const stored = await planning.get(release.id);
    expect(stored.release.signals.productionRolloutSucceeded).toBe(true);
    expect(stored.release.productionRollouts).toEqual([
      { rolloutId: 'web-1', succeeded: true, at: new Date('2026-05-01T09:05:00Z') },
      { rolloutId: 'api-1', succeeded: false, at: new Date('2026-05-01T09:09:00Z') },
    ]);
    // Planning learns of the Production gate last: the web rollout still counts, so the release moves on.
    expect(await passed('PRODUCTION', '2026-05-01T09:00:00Z')).toBe('applied');
    expect((await planning.get(release.id)).release.status).toBe('RELEASED');
  });
});
