import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
/** Documents with any _id type (the driver's default typing assumes ObjectId). */
type Loose = { _id?: string | number; [field: string]: unknown };
import { startMongoServer, type MongoServer } from '../src/index.js';

let server: MongoServer;
let client: MongoClient;

beforeAll(async () => {
  server = await startMongoServer({ port: 0, ttlIntervalMs: 100 });
  client = await MongoClient.connect(server.uri);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

const db = () => client.db('indexes');

async function plan(collection: string, filter: object) {
  const res = await db().command({ explain: { find: collection, filter } });
  return {
    stage: res.queryPlanner.winningPlan.inputStage?.indexName ?? res.queryPlanner.winningPlan.stage,
    ...res.executionStats,
  };
}

describe('indexes', () => {
  it('enforces a unique index with the E11000 error, keyPattern and keyValue', async () => {
    const c = db().collection<Loose>('users');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'a@x' });
    const err = await c.insertOne({ email: 'a@x' }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.message).toMatch(/^E11000 duplicate key error collection: indexes.users index: email_1 dup key/);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x' });
    // An update into a taken key is refused too, and leaves the document unchanged.
    await c.insertOne({ email: 'b@x' });
    const upd = await c.updateOne({ email: 'b@x' }, { $set: { email: 'a@x' } }).catch((e) => e);
    expect(upd.code).toBe(11000);
    expect(await c.countDocuments({ email: 'b@x' })).toBe(1);
  });

  it('enforces a compound unique index on the combination only', async () => {
    const c = db().collection<Loose>('memberships');
    await c.createIndex({ team: 1, user: 1 }, { unique: true });
    await c.insertMany([
      { team: 't1', user: 'u1' },
      { team: 't1', user: 'u2' },
      { team: 't2', user: 'u1' },
    ]);
    const err = await c.insertOne({ team: 't1', user: 'u2' }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ team: 't1', user: 'u2' });
  });

  it('reports the failing document of an unordered bulk insert and keeps the rest', async () => {
    const c = db().collection<Loose>('bulk');
    await c.createIndex({ k: 1 }, { unique: true });
    const err = await c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }], { ordered: false }).catch((e) => e);
    expect(err.writeErrors.map((w: { index: number }) => w.index)).toEqual([1]);
    expect(await c.countDocuments()).toBe(2);
  });

  it('refuses to build a unique index over duplicates', async () => {
    const c = db().collection<Loose>('dupes');
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await c.createIndex({ k: 1 }, { unique: true }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(await c.indexes()).toHaveLength(1);
  });

  it('lets sparse unique indexes skip documents without the field', async () => {
    const c = db().collection<Loose>('sparse');
    await c.createIndex({ handle: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ a: 1 }, { a: 2 }, { handle: 'h' }]);
    expect((await c.insertOne({ handle: 'h' }).catch((e) => e)).code).toBe(11000);
  });

  it('looks up _id and indexed fields without scanning the collection', async () => {
    const c = db().collection<Loose>('lookups');
    await c.insertMany(Array.from({ length: 2000 }, (_, i) => ({ _id: i, n: i, group: i % 10, tags: [`t${i % 7}`] })));
    await c.createIndex({ n: 1 });
    await c.createIndex({ group: 1, n: -1 });
    await c.createIndex({ tags: 1 });
    expect(await plan('lookups', { _id: 1234 })).toMatchObject({ stage: 'IDHACK', totalDocsExamined: 1, nReturned: 1 });
    expect(await plan('lookups', { n: 77 })).toMatchObject({ stage: 'n_1', totalDocsExamined: 1, nReturned: 1 });
    expect(await plan('lookups', { n: { $gte: 100, $lt: 150 } })).toMatchObject({
      stage: 'n_1',
      totalDocsExamined: 50,
      nReturned: 50,
    });
    expect(await plan('lookups', { n: { $in: [1, 5, 9] } })).toMatchObject({ totalDocsExamined: 3, nReturned: 3 });
    expect(await plan('lookups', { group: 3, n: { $gt: 1500 } })).toMatchObject({ totalDocsExamined: 200 });
    expect(await plan('lookups', { tags: 't3' })).toMatchObject({ stage: 'tags_1', nReturned: 286 });
    // Without an index on the field it is a collection scan, and the answers agree.
    expect(await plan('lookups', { missing: 1 })).toMatchObject({ stage: 'COLLSCAN', totalDocsExamined: 2000 });
    const viaIndex = await c.find({ n: { $gt: 1990 } }).toArray();
    expect(viaIndex.map((d) => d.n)).toEqual([1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999]);
  });

  it('keeps index lookups right after updates and deletes', async () => {
    const c = db().collection<Loose>('moving');
    await c.createIndex({ status: 1 });
    await c.insertMany([
      { _id: 1, status: 'new' },
      { _id: 2, status: 'new' },
      { _id: 3, status: 'done' },
    ]);
    await c.updateOne({ _id: 1 }, { $set: { status: 'done' } });
    await c.deleteOne({ _id: 3 });
    expect((await c.find({ status: 'done' }).toArray()).map((d) => d._id)).toEqual([1]);
    expect((await c.find({ status: 'new' }).toArray()).map((d) => d._id)).toEqual([2]);
  });

  it('expires documents through a TTL index', async () => {
    const c = db().collection<Loose>('sessions');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    await c.insertMany([
      { at: new Date(Date.now() - 5000) },
      { at: new Date(Date.now() + 60_000) },
      { at: 'not a date' },
    ]);
    const deadline = Date.now() + 5000;
    while ((await c.countDocuments()) > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await c.countDocuments()).toBe(2);
  });

  it('lists and drops indexes, refusing to drop _id_', async () => {
    const c = db().collection<Loose>('dropme');
    await c.createIndex({ a: 1 });
    await c.createIndex({ b: -1 }, { name: 'by_b' });
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_', 'a_1', 'by_b']);
    await c.dropIndex('by_b');
    expect((await c.dropIndex('_id_').catch((e) => e)).code).toBe(72);
    expect((await c.dropIndex('nope').catch((e) => e)).code).toBe(27);
    await c.dropIndexes();
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('treats the same index twice as a no-op and a conflicting one as an error', async () => {
    const c = db().collection<Loose>('twice');
    await c.createIndex({ a: 1 });
    await c.createIndex({ a: 1 });
    const err = await c.createIndex({ b: 1 }, { name: 'a_1' }).catch((e) => e);
    expect(err.code).toBe(86);
  });
});
