import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '@flightdeck/testing/global-setup';
import type { Model } from 'mongoose';
import { databaseUri, startNatsServer, type NatsServerHandle } from '@flightdeck/testing';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { applyOnce, InProcessBus, JetStreamBus, type EventBus } from '../src/index.js';
import { aRelease, waitFor } from './helpers.js';
import { projectionModel, type ProjectionDoc } from './models.js';

let mongo: MongoConnection;
let Projections: Model<ProjectionDoc>;
let nats: NatsServerHandle;

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'idempotency') });
  Projections = projectionModel(mongo.connection);
  nats = await startNatsServer();
});
afterAll(async () => {
  await mongo?.close();
  await nats?.stop();
});

const appliedOf = async (id: string) => (await Projections.findById(id).lean())?.applied;

describe('applyOnce', () => {
  it('applies an event id once; the same id again has no effect', async () => {
    expect(await applyOnce(Projections, { _id: 'p1' }, 'evt-1', { $inc: { applied: 1 } }, { upsert: true })).toBe(
      'applied',
    );
    expect(await applyOnce(Projections, { _id: 'p1' }, 'evt-1', { $inc: { applied: 1 } }, { upsert: true })).toBe(
      'duplicate',
    );
    expect(await applyOnce(Projections, { _id: 'p1' }, 'evt-2', { $inc: { applied: 1 } })).toBe('applied');
    expect(await applyOnce(Projections, { _id: 'p1' }, 'evt-2', { $inc: { applied: 1 } })).toBe('duplicate');
    expect(await appliedOf('p1')).toBe(2);
  });

  it('remembers only the last `keep` ids per document', async () => {
    for (const id of ['a', 'b', 'c'])
      await applyOnce(Projections, { _id: 'p2' }, id, { $inc: { applied: 1 } }, { upsert: true, keep: 2 });
    const doc = await Projections.findById('p2').select('+appliedEventIds').lean();
    expect((doc as unknown as { appliedEventIds: string[] }).appliedEventIds).toEqual(['b', 'c']);
  });

  it('says so when the document is missing and no upsert was asked for', async () => {
    await expect(applyOnce(Projections, { _id: 'nope' }, 'e', { $inc: { applied: 1 } })).rejects.toThrow(
      /no ReleaseProjection matches .*pass \{ upsert: true \}/,
    );
  });
});

for (const kind of ['InProcessBus', 'JetStreamBus'] as const) {
  describe(`${kind}: a redelivered event has no second effect`, () => {
    it('a handler that crashed after its effect but before its ack is redelivered and changes nothing twice', async () => {
      const bus: EventBus =
        kind === 'InProcessBus' ? new InProcessBus() : await JetStreamBus.connect({ servers: nats.url });
      const event = aRelease({ releaseId: `redeliver-${kind}` });
      const outcomes: string[] = [];
      const sub = await bus.subscribe({
        durable: `projector-${kind}`,
        filter: 'flightdeck.planning.release.created',
        retryDelayMs: 10,
        handler: async (e, ctx) => {
          const data = e.data as { releaseId: string };
          outcomes.push(
            await applyOnce(Projections, { _id: data.releaseId }, e.id, { $inc: { applied: 1 } }, { upsert: true }),
          );
          if (ctx.deliveryCount === 1) throw new Error('lost the connection before the ack');
        },
      });
      await bus.publish(event);
      await waitFor('the redelivery', () => outcomes.length === 2);
      expect(outcomes).toEqual(['applied', 'duplicate']);
      expect(await appliedOf(`redeliver-${kind}`)).toBe(1);
      await sub.stop();
      await bus.close();
    });
  });
}
