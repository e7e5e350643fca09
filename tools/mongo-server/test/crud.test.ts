import { MongoClient, MongoServerError, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoServer, type MongoServer } from '../src/index.js';

let server: MongoServer;
let client: MongoClient;

beforeAll(async () => {
  server = await startMongoServer({ port: 0 });
  client = await MongoClient.connect(server.uri);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

const db = () => client.db('crud');

describe('CRUD through the mongodb driver', () => {
  it('reports itself as a standalone the driver accepts', async () => {
    const hello = await db().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.setName).toBeUndefined();
  });

  it('inserts, finds with filter, sort, projection, skip and limit', async () => {
    const c = db().collection('people');
    await c.insertMany([
      { name: 'ada', age: 36 },
      { name: 'bob', age: 25 },
      { name: 'cy', age: 41 },
      { name: 'dee', age: 30 },
    ]);
    const rows = await c
      .find({ age: { $gte: 30 } }, { projection: { _id: 0, name: 1 } })
      .sort({ age: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(rows).toEqual([{ name: 'ada' }, { name: 'dee' }]);
  });

  it('updates with upsert, multi and arrayFilters', async () => {
    const c = db().collection<{ _id: number; grades: number[]; created?: boolean }>('scores');
    await c.insertMany([
      { _id: 1, grades: [80, 95, 100] },
      { _id: 2, grades: [70, 99] },
    ]);
    const res = await c.updateMany({}, { $set: { 'grades.$[g]': 90 } }, { arrayFilters: [{ g: { $gte: 95 } }] });
    expect(res).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, grades: [80, 90, 90] });
    const up = await c.updateOne(
      { _id: 3 },
      { $set: { grades: [] }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(up.upsertedId).toBe(3);
    expect(await c.findOne({ _id: 3 })).toEqual({ _id: 3, grades: [], created: true });
    const again = await c.updateOne({ _id: 3 }, { $set: { grades: [] } });
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('refuses to change _id', async () => {
    const c = db().collection<{ _id: number; a: number }>('immutable');
    await c.insertOne({ _id: 1, a: 1 });
    const err = await c.updateOne({ _id: 1 }, { $set: { _id: 2 } }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(66);
  });

  it('findAndModify returns the document before or after, and removes', async () => {
    const c = db().collection<{ _id: string; n: number }>('counters');
    await c.insertOne({ _id: 'a', n: 1 });
    expect(await c.findOneAndUpdate({ _id: 'a' }, { $inc: { n: 1 } })).toEqual({ _id: 'a', n: 1 });
    expect(
      await c.findOneAndUpdate(
        { _id: 'a' },
        { $inc: { n: 1 } },
        { returnDocument: 'after', projection: { n: 1, _id: 0 } },
      ),
    ).toEqual({ n: 3 });
    expect(await c.findOneAndDelete({ _id: 'a' })).toEqual({ _id: 'a', n: 3 });
    expect(await c.countDocuments()).toBe(0);
  });

  it('deletes one or many', async () => {
    const c = db().collection('deletes');
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ k: { $in: [1, 2] } })).deletedCount).toBe(2);
  });

  it('counts and lists distinct values', async () => {
    const c = db().collection('tags');
    await c.insertMany([{ t: ['x', 'y'] }, { t: ['y', 'z'] }, { t: 'x' }]);
    expect(await c.distinct('t')).toEqual(['x', 'y', 'z']);
    expect(await c.countDocuments({ t: 'y' })).toBe(2);
    expect(await c.estimatedDocumentCount()).toBe(3);
  });

  it('aggregates with the stages the issue lists', async () => {
    const c = db().collection('orders');
    await c.insertMany([
      { item: 'a', qty: 2, price: 10, tags: ['red', 'big'] },
      { item: 'b', qty: 1, price: 25, tags: ['red'] },
      { item: 'a', qty: 5, price: 10, tags: [] },
    ]);
    await db()
      .collection<{ _id: string; label: string }>('items')
      .insertMany([
        { _id: 'a', label: 'Apple' },
        { _id: 'b', label: 'Bean' },
      ]);
    const totals = await c
      .aggregate([
        { $match: { qty: { $gt: 0 } } },
        { $group: { _id: '$item', total: { $sum: { $multiply: ['$qty', '$price'] } } } },
        { $lookup: { from: 'items', localField: '_id', foreignField: '_id', as: 'info' } },
        { $addFields: { label: { $first: '$info.label' } } },
        { $unset: 'info' },
        { $sort: { total: -1 } },
      ])
      .toArray();
    expect(totals).toEqual([
      { _id: 'a', total: 70, label: 'Apple' },
      { _id: 'b', total: 25, label: 'Bean' },
    ]);
    const [facets] = await c
      .aggregate([
        {
          $facet: {
            byTag: [{ $unwind: '$tags' }, { $sortByCount: '$tags' }],
            count: [{ $count: 'n' }],
            buckets: [{ $bucket: { groupBy: '$qty', boundaries: [0, 3, 10], default: 'other' } }],
            page: [
              { $sort: { qty: 1 } },
              { $skip: 1 },
              { $limit: 1 },
              { $project: { _id: 0, qty: 1 } },
              { $set: { seen: true } },
            ],
          },
        },
      ])
      .toArray();
    expect(facets.byTag).toEqual([
      { _id: 'red', count: 2 },
      { _id: 'big', count: 1 },
    ]);
    expect(facets.count).toEqual([{ n: 3 }]);
    expect(facets.buckets).toEqual([
      { _id: 0, count: 2 },
      { _id: 3, count: 1 },
    ]);
    expect(facets.page).toEqual([{ qty: 2, seen: true }]);
  });

  it('iterates a large result through getMore and closes cursors with killCursors', async () => {
    const c = db().collection('many');
    await c.insertMany(Array.from({ length: 2500 }, (_, i) => ({ i })));
    let seen = 0;
    for await (const doc of c.find({}, { batchSize: 100 })) {
      expect(doc.i).toBe(seen);
      seen++;
    }
    expect(seen).toBe(2500);
    const cursor = c.find({}, { batchSize: 10 });
    await cursor.next();
    const id = cursor.id!;
    await cursor.close();
    const err = await db()
      .command({ getMore: id, collection: 'many' })
      .catch((e) => e);
    expect(err.code).toBe(43);
  });

  it('accepts ObjectId, Date and nested values', async () => {
    const c = db().collection('types');
    const id = new ObjectId();
    const when = new Date('2024-01-02T03:04:05Z');
    await c.insertOne({ _id: id, when, nested: { a: [1, { b: 2 }] } });
    expect(await c.findOne({ _id: id, 'nested.a.b': 2, when: { $lte: new Date() } })).toEqual({
      _id: id,
      when,
      nested: { a: [1, { b: 2 }] },
    });
  });
});

describe('errors in MongoDB shape', () => {
  it('answers an unknown command with CommandNotFound', async () => {
    const err = await db()
      .command({ frobnicate: 1 })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 59, codeName: 'CommandNotFound' });
  });

  it('refuses transactions as a standalone mongod does', async () => {
    const session = client.startSession();
    try {
      session.startTransaction();
      const thrown = await db()
        .collection('tx')
        .insertOne({ a: 1 }, { session })
        .catch((e) => e);
      // The driver wraps this exact server error in its own hint about retryable writes.
      const err = thrown.originalError ?? thrown;
      expect(err).toMatchObject({ code: 20, codeName: 'IllegalOperation' });
      expect(err.message).toMatch(/Transaction numbers are only allowed on a replica set member or mongos/);
    } finally {
      await session.endSession();
    }
    expect(await db().collection('tx').countDocuments()).toBe(0);
  });

  it('names a bad filter operator', async () => {
    const err = await db()
      .collection('people')
      .find({ age: { $bogus: 1 } })
      .toArray()
      .catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.message).toMatch(/\$bogus/);
  });

  it('refuses creating a collection that exists', async () => {
    await db().createCollection('exists');
    const err = await db()
      .createCollection('exists')
      .catch((e) => e);
    expect(err).toMatchObject({ code: 48, codeName: 'NamespaceExists' });
  });
});
