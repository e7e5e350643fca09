import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoServer, type MongoServer } from '../src/index.js';

let server: MongoServer;
let client: MongoClient;

beforeAll(async () => {
  server = await startMongoServer({ port: 0, cursorTimeoutMs: 300 });
  client = await MongoClient.connect(server.uri);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

const db = () => client.db('cursors');

describe('cursors', () => {
  it('closes an idle cursor after the cursor timeout', async () => {
    const c = db().collection('idle');
    await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ i })));
    const first = await db().command({ find: 'idle', batchSize: 10 });
    const id = first.cursor.id;
    expect(first.cursor.firstBatch).toHaveLength(10);
    const more = await db().command({ getMore: id, collection: 'idle', batchSize: 10 });
    expect(more.cursor.nextBatch.map((d: { i: number }) => d.i)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    await new Promise((r) => setTimeout(r, 1200));
    const err = await db()
      .command({ getMore: id, collection: 'idle' })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 43, codeName: 'CursorNotFound' });
  });

  it('honours limit across batches and closes the cursor when done', async () => {
    const c = db().collection('limited');
    await c.insertMany(Array.from({ length: 30 }, (_, i) => ({ i })));
    const first = await db().command({ find: 'limited', batchSize: 4, limit: 10, sort: { i: -1 } });
    const ids: number[] = first.cursor.firstBatch.map((d: { i: number }) => d.i);
    let id = first.cursor.id;
    for (let round = 0; round < 5 && Number(id) !== 0; round++) {
      const more = await db().command({ getMore: id, collection: 'limited', batchSize: 4 });
      ids.push(...more.cursor.nextBatch.map((d: { i: number }) => d.i));
      id = more.cursor.id;
    }
    expect(ids).toEqual([29, 28, 27, 26, 25, 24, 23, 22, 21, 20]);
    expect(Number(id)).toBe(0);
  });
});

describe('collections', () => {
  it('enforces a query-operator validator with DocumentValidationFailure', async () => {
    await db().createCollection('checked', { validator: { qty: { $gte: 0 } } });
    const c = db().collection('checked');
    await c.insertOne({ qty: 1 });
    const err = await c.insertOne({ qty: -1 }).catch((e) => e);
    expect(err).toMatchObject({ code: 121 });
    const upd = await c.updateOne({ qty: 1 }, { $set: { qty: -5 } }).catch((e) => e);
    expect(upd).toMatchObject({ code: 121 });
    expect(await c.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ qty: 1 }]);
  });

  it('refuses collection features it does not implement instead of ignoring them', async () => {
    expect(
      await db()
        .createCollection('capped', { capped: true, size: 1024 })
        .catch((e) => e),
    ).toMatchObject({ code: 238 });
    expect(
      await db()
        .createCollection('schema', { validator: { $jsonSchema: { bsonType: 'object' } } })
        .catch((e) => e),
    ).toMatchObject({ code: 238 });
  });

  it('lists databases and collections, and drops them', async () => {
    const other = client.db('cursors_other');
    await other.collection('a').insertOne({ x: 1 });
    await other.collection('b').insertOne({ x: 1 });
    const { databases } = await client.db('admin').command({ listDatabases: 1 });
    expect(databases.map((d: { name: string }) => d.name)).toContain('cursors_other');
    expect((await other.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort()).toEqual([
      'a',
      'b',
    ]);
    expect(await other.collection('a').drop()).toBe(true);
    expect((await other.listCollections({ name: 'b' }).toArray()).map((c) => c.name)).toEqual(['b']);
    await other.dropDatabase();
    expect(await other.listCollections().toArray()).toEqual([]);
  });
});

describe('collation', () => {
  it('is refused rather than ignored', async () => {
    const err = await db()
      .collection('coll')
      .find({ a: 'x' }, { collation: { locale: 'fr', strength: 1 } })
      .toArray()
      .catch((e) => e);
    expect(err).toMatchObject({ code: 238 });
    expect(
      await db()
        .collection('coll')
        .find({}, { collation: { locale: 'simple' } })
        .toArray(),
    ).toEqual([]);
  });
});
