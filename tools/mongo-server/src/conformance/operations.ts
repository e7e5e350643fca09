/** Entity test operations of the unified format, each mapped onto the official `mongodb` driver. */
import type { AnyBulkWriteOperation, Collection, Db, IndexSpecification, MongoClient } from 'mongodb';
import type { Document } from './bson-values.js';
import type { EntityMap } from './entities.js';
import type { Operation } from './unified-format.js';

export interface OperationResult {
  value: unknown;
  /** The value is an iterable's documents: each element is matched as a root-level document. */
  rootElements?: boolean;
}

/** An operation the runner does not know: a failure of the test, naming what is known. */
export class UnknownOperationError extends Error {}

type Args = Document;
type Handler<T> = (target: T, args: Args) => Promise<OperationResult>;

const value = (v: unknown): OperationResult => ({ value: v });
const documents = (v: unknown[]): OperationResult => ({ value: v, rootElements: true });

/** Splits the named positional arguments from the rest, which are the driver's options. */
function take<K extends string>(args: Args, ...names: K[]): [Record<K, unknown>, Document] {
  const picked = {} as Record<K, unknown>;
  const rest: Document = { ...args };
  for (const name of names) {
    picked[name] = rest[name];
    delete rest[name];
  }
  return [picked, rest];
}

function findAndModifyOptions(options: Document): Document {
  const rd = options.returnDocument;
  return typeof rd === 'string' ? { ...options, returnDocument: rd.toLowerCase() } : options;
}

const collectionOperations: Record<string, Handler<Collection>> = {
  aggregate: async (c, a) => {
    const [{ pipeline }, o] = take(a, 'pipeline');
    return documents(await c.aggregate(pipeline as Document[], o).toArray());
  },
  bulkWrite: async (c, a) => {
    const [{ requests }, o] = take(a, 'requests');
    return value(await c.bulkWrite(requests as AnyBulkWriteOperation[], o));
  },
  count: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return value(await c.count(filter as Document, o));
  },
  countDocuments: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return value(await c.countDocuments(filter as Document, o));
  },
  estimatedDocumentCount: async (c, a) => value(await c.estimatedDocumentCount(a)),
  deleteMany: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return value(await c.deleteMany(filter as Document, o));
  },
  deleteOne: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return value(await c.deleteOne(filter as Document, o));
  },
  distinct: async (c, a) => {
    const [{ fieldName, filter }, o] = take(a, 'fieldName', 'filter');
    return value(await c.distinct(fieldName as string, (filter ?? {}) as Document, o));
  },
  find: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return documents(await c.find((filter ?? {}) as Document, o).toArray());
  },
  findOne: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return value(await c.findOne((filter ?? {}) as Document, o));
  },
  findOneAndDelete: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return value(await c.findOneAndDelete(filter as Document, findAndModifyOptions(o)));
  },
  findOneAndReplace: async (c, a) => {
    const [{ filter, replacement }, o] = take(a, 'filter', 'replacement');
    return value(await c.findOneAndReplace(filter as Document, replacement as Document, findAndModifyOptions(o)));
  },
  findOneAndUpdate: async (c, a) => {
    const [{ filter, update }, o] = take(a, 'filter', 'update');
    return value(await c.findOneAndUpdate(filter as Document, update as Document, findAndModifyOptions(o)));
  },
  insertMany: async (c, a) => {
    const [{ documents: docs }, o] = take(a, 'documents');
    return value(await c.insertMany(docs as Document[], o));
  },
  insertOne: async (c, a) => {
    const [{ document }, o] = take(a, 'document');
    return value(await c.insertOne(document as Document, o));
  },
  replaceOne: async (c, a) => {
    const [{ filter, replacement }, o] = take(a, 'filter', 'replacement');
    return value(await c.replaceOne(filter as Document, replacement as Document, o));
  },
  updateMany: async (c, a) => {
    const [{ filter, update }, o] = take(a, 'filter', 'update');
    return value(await c.updateMany(filter as Document, update as Document, o));
  },
  updateOne: async (c, a) => {
    const [{ filter, update }, o] = take(a, 'filter', 'update');
    return value(await c.updateOne(filter as Document, update as Document, o));
  },
  createIndex: async (c, a) => {
    const [{ keys }, o] = take(a, 'keys');
    return value(await c.createIndex(keys as IndexSpecification, o));
  },
  dropIndex: async (c, a) => {
    const [{ name }, o] = take(a, 'name');
    return value(await c.dropIndex(name as string, o));
  },
  dropIndexes: async (c, a) => value(await c.dropIndexes(a)),
  listIndexes: async (c, a) => documents(await c.listIndexes(a).toArray()),
  drop: async (c, a) => value(await c.drop(a)),
  rename: async (c, a) => {
    const [{ to }, o] = take(a, 'to');
    await c.rename(to as string, o);
    return value(undefined);
  },
};

const databaseOperations: Record<string, Handler<Db>> = {
  aggregate: async (d, a) => {
    const [{ pipeline }, o] = take(a, 'pipeline');
    return documents(await d.aggregate(pipeline as Document[], o).toArray());
  },
  runCommand: async (d, a) => {
    const [{ command }, o] = take(a, 'command', 'commandName');
    return value(await d.command(command as Document, o));
  },
  createCollection: async (d, a) => {
    const [{ collection }, o] = take(a, 'collection');
    await d.createCollection(collection as string, o);
    return value(undefined);
  },
  dropCollection: async (d, a) => {
    const [{ collection }, o] = take(a, 'collection');
    return value(await d.dropCollection(collection as string, o));
  },
  listCollections: async (d, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return documents(await d.listCollections((filter ?? {}) as Document, o).toArray());
  },
  listCollectionNames: async (d, a) => {
    const [{ filter }, o] = take(a, 'filter');
    const collections = await d.listCollections((filter ?? {}) as Document, { ...o, nameOnly: true }).toArray();
    return value(collections.map((c) => c.name));
  },
};

const clientOperations: Record<string, Handler<MongoClient>> = {
  listDatabases: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return documents(
      (
        await c
          .db('admin')
          .admin()
          .listDatabases({ ...o, filter } as Document)
      ).databases,
    );
  },
  listDatabaseNames: async (c, a) => {
    const [{ filter }, o] = take(a, 'filter');
    return value(
      (
        await c
          .db('admin')
          .admin()
          .listDatabases({ ...o, filter, nameOnly: true } as Document)
      ).databases.map((d) => d.name),
    );
  },
};

/** Replaces a `session` argument (an entity name) with the session itself. */
function resolveArguments(entities: EntityMap, args: Args | undefined): Args {
  const resolved: Args = { ...(args ?? {}) };
  if (typeof resolved.session === 'string') resolved.session = entities.session(resolved.session);
  return resolved;
}

function dispatch<T>(table: Record<string, Handler<T>>, kind: string, name: string): Handler<T> {
  const handler = table[name];
  if (!handler)
    throw new UnknownOperationError(
      `unsupported ${kind} operation "${name}"; supported: ${Object.keys(table).join(', ')}`,
    );
  return handler;
}

export async function runEntityOperation(entities: EntityMap, op: Operation): Promise<OperationResult> {
  const entity = entities.get(op.object);
  const args = resolveArguments(entities, op.arguments);
  switch (entity.kind) {
    case 'collection':
      return dispatch(collectionOperations, 'collection', op.name)(entity.collection, args);
    case 'database':
      return dispatch(databaseOperations, 'database', op.name)(entity.db, args);
    case 'client':
      return dispatch(clientOperations, 'client', op.name)(entity.client, args);
    case 'session':
      if (op.name === 'endSession') {
        await entity.session.endSession();
        return value(undefined);
      }
      throw new UnknownOperationError(`unsupported session operation "${op.name}"; supported: endSession`);
    default:
      throw new UnknownOperationError(`entity "${op.object}" (a ${entity.kind}) has no operations`);
  }
}

/** Special operations on the "testRunner" object, run with the internal client. */
export async function runTestRunnerOperation(internal: MongoClient, op: Operation): Promise<void> {
  const args = op.arguments ?? {};
  const db = internal.db(args.databaseName as string);
  const collectionExists = async (): Promise<boolean> =>
    (await db.listCollections({ name: args.collectionName as string }, { nameOnly: true }).toArray()).length > 0;
  const indexExists = async (): Promise<boolean> =>
    (
      await db
        .collection(args.collectionName as string)
        .listIndexes()
        .toArray()
    ).some((i) => i.name === args.indexName);
  const where = `${String(args.databaseName)}.${String(args.collectionName)}`;
  switch (op.name) {
    case 'assertCollectionExists':
      if (!(await collectionExists())) throw new Error(`collection ${where} does not exist`);
      return;
    case 'assertCollectionNotExists':
      if (await collectionExists()) throw new Error(`collection ${where} exists`);
      return;
    case 'assertIndexExists':
      if (!(await indexExists())) throw new Error(`index ${String(args.indexName)} on ${where} does not exist`);
      return;
    case 'assertIndexNotExists':
      if ((await collectionExists()) && (await indexExists()))
        throw new Error(`index ${String(args.indexName)} on ${where} exists`);
      return;
    default:
      throw new UnknownOperationError(
        `unsupported testRunner operation "${op.name}"; supported: assertCollectionExists, assertCollectionNotExists, assertIndexExists, assertIndexNotExists`,
      );
  }
}
