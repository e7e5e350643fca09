import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '@flightdeck/testing/global-setup';
import { Schema, type Model } from 'mongoose';
import { databaseUri } from '@flightdeck/testing';
import { ConflictError } from '@flightdeck/kernel';
import {
  connectMongo,
  optimisticConcurrencyPlugin,
  timestampsPlugin,
  updateWithVersion,
  type MongoConnection,
} from '../src/index.js';

interface Release {
  name: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  __v: number;
}

let mongo: MongoConnection;
let Releases: Model<Release>;
let now = new Date('2026-03-01T10:00:00Z');

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'plugins') });
  const schema = new Schema<Release>({ name: String, status: String });
  schema.plugin(timestampsPlugin, { now: () => now });
  schema.plugin(optimisticConcurrencyPlugin);
  Releases = mongo.connection.model<Release>('Release', schema);
});
afterAll(async () => {
  await mongo?.close();
});

describe('schema plugins', () => {
  it('stamps createdAt and updatedAt from the given clock', async () => {
    const r = await Releases.create({ name: '1.0.0', status: 'PLANNING' });
    expect(r.createdAt.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    now = new Date('2026-03-02T10:00:00Z');
    r.status = 'BETA';
    await r.save();
    const stored = await Releases.findById(r._id).lean();
    expect(stored?.createdAt.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(stored?.updatedAt.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('lets only the first of two writers of the same version win; the second gets a ConflictError naming document and versions', async () => {
    const created = await Releases.create({ name: '2.0.0', status: 'PLANNING' });
    const alice = (await Releases.findById(created._id))!;
    const bob = (await Releases.findById(created._id))!;
    alice.status = 'ALPHA';
    await alice.save();
    bob.status = 'CANCELLED';
    const err = await bob.save().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ model: 'Release', id: String(created._id), expectedVersion: 0, actualVersion: 1 });
    expect((err as Error).message).toMatch(
      new RegExp(`Release ${created._id} was changed by someone else: you had version 0, it is now at version 1`),
    );
    expect((await Releases.findById(created._id).lean())?.status).toBe('ALPHA');
  });

  it('updateWithVersion applies a change only at the expected version', async () => {
    const r = await Releases.create({ name: '3.0.0', status: 'PLANNING' });
    const updated = await updateWithVersion(Releases, r._id, 0, { $set: { status: 'BETA' } });
    expect(updated).toMatchObject({ status: 'BETA', __v: 1 });
    await expect(updateWithVersion(Releases, r._id, 0, { $set: { status: 'RELEASED' } })).rejects.toThrow(
      /you had version 0, it is now at version 1/,
    );
    await Releases.deleteOne({ _id: r._id });
    await expect(updateWithVersion(Releases, r._id, 1, { $set: { status: 'RELEASED' } })).rejects.toThrow(
      /no longer exists/,
    );
  });
});
