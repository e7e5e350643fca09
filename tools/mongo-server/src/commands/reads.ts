import { Long, type Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { compileFilter } from '../query.js';
import { valuesAtPath } from '../storage/paths.js';
import { bsonTypeName, compareValues, idKey, isPlainObject } from '../storage/values.js';
import { collectionArg, documentArg, numberArg, type CommandContext, type CommandHandler } from './context.js';

export function checkSort(sort: unknown): Document | undefined {
  if (sort === undefined || sort === null) return undefined;
  if (!isPlainObject(sort))
    throw new CommandError(ErrorCodes.TypeMismatch, "'sort' must be a document like { field: 1 }");
  for (const [field, dir] of Object.entries(sort)) {
    if (dir === 1 || dir === -1 || isPlainObject(dir)) continue;
    if (typeof dir !== 'number')
      throw new CommandError(
        ErrorCodes.Location15974,
        `Illegal key in $sort specification: ${field}: ${JSON.stringify(dir)}`,
      );
    throw new CommandError(
      ErrorCodes.Location15975,
      '$sort key ordering must be 1 (for ascending) or -1 (for descending)',
    );
  }
  return Object.keys(sort).length ? sort : undefined;
}

function projectionArg(body: Document, field: string): Document | undefined {
  const p = body[field];
  if (p === undefined || p === null) return undefined;
  if (!isPlainObject(p)) throw new CommandError(ErrorCodes.TypeMismatch, `'${field}' must be a document`);
  return Object.keys(p).length ? p : undefined;
}

/** Filter, project, sort, skip and limit a collection, lazily when there is no sort. */
export function findDocuments(
  ctx: CommandContext,
  coll: string,
  opts: { filter: Document; sort?: Document; projection?: Document; skip?: number; limit?: number },
): Iterable<Document> {
  const collection = ctx.state.catalog.get(ctx.db, coll);
  if (!collection) return [];
  const query = compileFilter(opts.filter);
  try {
    let cursor = query.find<Document>(collection.candidates(opts.filter).docs, opts.projection);
    if (opts.sort) cursor = cursor.sort(opts.sort);
    if (opts.skip) cursor = cursor.skip(opts.skip);
    if (opts.limit) cursor = cursor.limit(opts.limit);
    return cursor as unknown as Iterable<Document>;
  } catch (err) {
    throw new CommandError(ErrorCodes.BadValue, (err as Error).message);
  }
}

function nonNegative(body: Document, field: string): number | undefined {
  const n = numberArg(body, field);
  if (n !== undefined && n < 0)
    throw new CommandError(ErrorCodes.Location51024, `BSON field '${field}' value must be >= 0, actual value '${n}'`);
  return n;
}

const find: CommandHandler = (ctx) => {
  const coll = collectionArg(ctx);
  if (ctx.body.tailable)
    throw new CommandError(
      ErrorCodes.BadValue,
      'tailable cursors need a capped collection, which this server does not support',
    );
  const filter = documentArg(ctx.body, 'filter', {});
  let limit = numberArg(ctx.body, 'limit');
  let singleBatch = ctx.body.singleBatch === true;
  if (limit !== undefined && limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const skip = nonNegative(ctx.body, 'skip');
  const batchSize = nonNegative(ctx.body, 'batchSize');
  const docs = findDocuments(ctx, coll, {
    filter,
    sort: checkSort(ctx.body.sort),
    projection: projectionArg(ctx.body, 'projection'),
    skip,
    limit,
  });
  return ctx.state.cursors.open(`${ctx.db}.${coll}`, docs, { batchSize, limit, singleBatch });
};

function cursorIdArg(v: unknown): bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'bigint') return v;
  if (v instanceof Long) return v.toBigInt();
  throw new CommandError(ErrorCodes.TypeMismatch, `a cursor id must be a 64-bit integer, got ${typeof v}`);
}

const getMore: CommandHandler = (ctx) => {
  const id = cursorIdArg(ctx.body.getMore);
  const coll = ctx.body.collection;
  if (typeof coll !== 'string')
    throw new CommandError(ErrorCodes.TypeMismatch, "getMore needs 'collection': the collection name string");
  return ctx.state.cursors.getMore(id, `${ctx.db}.${coll}`, nonNegative(ctx.body, 'batchSize'));
};

const killCursors: CommandHandler = (ctx) => {
  collectionArg(ctx);
  const ids = ctx.body.cursors;
  if (!Array.isArray(ids))
    throw new CommandError(ErrorCodes.TypeMismatch, "killCursors needs 'cursors': an array of cursor ids");
  return ctx.state.cursors.kill(ids.map(cursorIdArg));
};

const count: CommandHandler = (ctx) => {
  const coll = collectionArg(ctx);
  const filter = documentArg(ctx.body, 'query', {});
  const skip = nonNegative(ctx.body, 'skip') ?? 0;
  const limit = Math.abs(numberArg(ctx.body, 'limit') ?? 0);
  const collection = ctx.state.catalog.get(ctx.db, coll);
  if (!collection) return { n: 0, ok: 1 };
  let n = 0;
  if (!Object.keys(filter).length) n = collection.count;
  else for (const _ of findDocuments(ctx, coll, { filter })) n++;
  n = Math.max(0, n - skip);
  return { n: limit ? Math.min(n, limit) : n, ok: 1 };
};

const distinct: CommandHandler = (ctx) => {
  const coll = collectionArg(ctx);
  const key = ctx.body.key;
  if (key === undefined || key === null)
    throw new CommandError(ErrorCodes.IDLFailedToParse, "BSON field 'distinct.key' is missing but a required field");
  if (typeof key !== 'string')
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field 'distinct.key' is the wrong type '${bsonTypeName(key)}', expected type 'string'`,
    );
  const filter = documentArg(ctx.body, 'query', {});
  const seen = new Map<string, unknown>();
  for (const doc of findDocuments(ctx, coll, { filter })) {
    for (const v of valuesAtPath(doc, key).flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      if (v !== undefined && !seen.has(idKey(v))) seen.set(idKey(v), v);
    }
  }
  const values = [...seen.values()].sort(compareValues);
  return { values, ok: 1 };
};

export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct };
