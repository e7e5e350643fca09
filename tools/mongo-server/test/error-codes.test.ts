/**
 * The error codes and names the server answers with are mongod's: the registry against mongod's own list, and each
 * situation through the mongodb driver and mongoose, expecting what mongod answers. Runs against the MongoDB at
 * MONGODB_URI instead when set, which checks the expectations themselves.
 */
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUri, type MongoTarget, startTarget } from '../src/conformance/target.js';
import { codeName, ErrorCodes } from '../src/errors.js';

/**
 * mongod's names for the codes this server uses, from src/mongo/base/error_codes.yml in mongodb/mongo at commit
 * 007ba93486927dc7162c9b0f9d719e86b87fd8fe. A code not listed there is a numbered assertion, named Location<code>.
 */
const MONGOD_ERROR_CODES: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  4: 'NoSuchKey',
  9: 'FailedToParse',
  13: 'Unauthorized',
  14: 'TypeMismatch',
  16: 'InvalidLength',
  20: 'IllegalOperation',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  28: 'PathNotViable',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  52: 'DollarPrefixedFieldName',
  53: 'InvalidIdField',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  121: 'DocumentValidationFailure',
  238: 'NotImplemented',
  263: 'OperationNotSupportedInTransaction',
  352: 'UnsupportedOpQueryCommand',
  10334: 'BSONObjectTooLarge',
  11000: 'DuplicateKey',
  40414: 'IDLFailedToParse',
  40415: 'IDLUnknownField',
};

describe('the error code registry', () => {
  it('names every code as mongod does: its error_codes.yml name, or Location<code> for a numbered assertion', () => {
    for (const [name, code] of Object.entries(ErrorCodes)) {
      const expected = MONGOD_ERROR_CODES[code] ?? `Location${code}`;
      expect(name, `code ${code}`).toBe(expected);
      expect(codeName(code)).toBe(expected);
    }
  });
});

let target: MongoTarget;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  target = await startTarget();
  client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5_000 });
  db = client.db('error-codes');
  await db.dropDatabase();
  await db.collection('things').insertOne({ _id: 1 as never, name: 'x', n: 1, tags: ['a'], o: { b: 1 } });
});
afterAll(async () => {
  await db?.dropDatabase();
  await client?.close();
  await target?.stop();
});

async function failure(run: () => Promise<unknown>): Promise<{ code?: number; codeName?: string; message: string }> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected the server to refuse').toBeInstanceOf(MongoServerError);
  const e = err as MongoServerError;
  return { code: e.code as number, codeName: e.codeName, message: e.message };
}

describe('update errors through the driver, as mongod answers them', () => {
  const update = (u: Record<string, unknown>, upsert = false) =>
    failure(() => db.collection('things').updateOne({ _id: 1 as never }, u, { upsert }));

  it('two operators on one path: 40 ConflictingUpdateOperators, naming the path and the conflict', async () => {
    expect(await update({ $push: { tags: 'b' }, $addToSet: { tags: 'c' } })).toMatchObject({
      code: 40,
      message: "Updating the path 'tags' would create a conflict at 'tags'",
    });
    expect(await update({ $set: { o: 1, 'o.b': 2 } })).toMatchObject({
      code: 40,
      message: "Updating the path 'o.b' would create a conflict at 'o'",
    });
    expect(await update({ $inc: { 'o.b': 1 }, $unset: { o: '' } })).toMatchObject({
      code: 40,
      message: "Updating the path 'o' would create a conflict at 'o'",
    });
    expect(await update({ $set: { n: 2 }, $setOnInsert: { n: 3 } }, true)).toMatchObject({
      code: 40,
      message: "Updating the path 'n' would create a conflict at 'n'",
    });
    // Sibling paths and prefixes of names are no conflict.
    await db
      .collection('things')
      .updateOne({ _id: 1 as never }, { $set: { 'o.b': 2, 'o.c': 3, nn: 1 }, $inc: { n: 1 } });
    expect(await db.collection('things').findOne({ _id: 1 as never })).toMatchObject({
      n: 2,
      nn: 1,
      o: { b: 2, c: 3 },
    });
  });

  it('the same conflict on findOneAndUpdate is a command error with its codeName', async () => {
    const e = await failure(() =>
      db
        .collection<{ _id: number; tags: string[] }>('things')
        .findOneAndUpdate({ _id: 1 }, { $push: { tags: 'b' }, $addToSet: { tags: 'c' } }),
    );
    expect(e).toMatchObject({ code: 40, codeName: 'ConflictingUpdateOperators' });
  });

  it('an operator on a value of the wrong type: 14 TypeMismatch for arithmetic, 2 BadValue for array operators', async () => {
    expect(await update({ $inc: { name: 1 } })).toMatchObject({ code: 14 });
    expect(await update({ $mul: { name: 2 } })).toMatchObject({ code: 14 });
    expect(await update({ $inc: { n: 'one' } })).toMatchObject({ code: 14 });
    expect(await update({ $push: { name: 'b' } })).toMatchObject({ code: 2 });
    expect(await update({ $addToSet: { name: 'b' } })).toMatchObject({ code: 2 });
    expect(await update({ $pull: { name: 'b' } })).toMatchObject({ code: 2 });
    expect(await update({ $pop: { tags: 5 } })).toMatchObject({ code: 9 });
    expect(await update({ $rename: { name: 'name' } })).toMatchObject({
      code: 2,
      message: expect.stringMatching(/^The source and target field for \$rename must differ/),
    });
    // None of them changed anything.
    expect(await db.collection('things').findOne({ _id: 1 as never })).toMatchObject({ name: 'x', tags: ['a'] });
  });
});

describe('command errors through the driver, with mongod codes and names', () => {
  const command = (body: Record<string, unknown>) => failure(() => db.command(body));

  it('IDL parsing: a missing required field is 40414, an unknown one 40415, a negative skip 51024', async () => {
    expect(await command({ distinct: 'things' })).toMatchObject({
      code: 40414,
      codeName: 'IDLFailedToParse',
      message: "BSON field 'distinct.key' is missing but a required field",
    });
    expect(await command({ insert: 'things' })).toMatchObject({
      code: 40414,
      codeName: 'IDLFailedToParse',
      message: "BSON field 'insert.documents' is missing but a required field",
    });
    expect(await command({ create: 'more', flavour: 'salty' })).toMatchObject({
      code: 40415,
      codeName: 'IDLUnknownField',
      message: "BSON field 'create.flavour' is an unknown field.",
    });
    expect(await command({ find: 'things', skip: -1 })).toMatchObject({
      code: 51024,
      codeName: 'Location51024',
      message: "BSON field 'skip' value must be >= 0, actual value '-1'",
    });
  });

  it('sort and pipeline shape: 15975 for a sort direction, 40323 and 40324 for stages', async () => {
    expect(await command({ find: 'things', sort: { n: 2 } })).toMatchObject({
      code: 15975,
      codeName: 'Location15975',
      message: '$sort key ordering must be 1 (for ascending) or -1 (for descending)',
    });
    expect(await command({ aggregate: 'things', pipeline: [{ $match: {}, $limit: 1 }], cursor: {} })).toMatchObject({
      code: 40323,
      codeName: 'Location40323',
      message: 'A pipeline stage specification object must contain exactly one field.',
    });
    expect(await command({ aggregate: 'things', pipeline: [{ $frobnicate: {} }], cursor: {} })).toMatchObject({
      code: 40324,
      codeName: 'Location40324',
      message: "Unrecognized pipeline stage name: '$frobnicate'",
    });
  });

  it('startSession answers a session id, as a standalone mongod does', async () => {
    const reply = await client.db('admin').command({ startSession: 1 });
    expect(reply).toMatchObject({ ok: 1, timeoutMinutes: 30 });
    expect(reply.id?.id?.sub_type).toBe(4);
  });
});

describe('through mongoose', () => {
  it('an update with $push and $addToSet on one array is refused with code 40, and the document is unchanged', async () => {
    const conn = await mongoose
      .createConnection(databaseUri(target.uri, 'error-codes-mongoose'), { serverSelectionTimeoutMS: 5_000 })
      .asPromise();
    try {
      const Item = conn.model('Item', new Schema({ tags: [String] }));
      const item = await Item.create({ tags: ['a'] });
      const e = await failure(() =>
        Item.updateOne({ _id: item._id }, { $push: { tags: 'b' }, $addToSet: { tags: 'c' } }).exec(),
      );
      expect(e).toMatchObject({ code: 40, message: "Updating the path 'tags' would create a conflict at 'tags'" });
      const again = await failure(() =>
        Item.findOneAndUpdate({ _id: item._id }, { $push: { tags: 'b' }, $addToSet: { tags: 'c' } }).exec(),
      );
      expect(again).toMatchObject({ code: 40, codeName: 'ConflictingUpdateOperators' });
      expect((await Item.findById(item._id).lean())?.tags).toEqual(['a']);
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  });
});
