import { BSON, type Document } from 'bson';
import { Query } from 'mingo';
import { CommandError, ErrorCodes } from '../errors.js';
import { compileFilter } from '../query.js';
import { ID_INDEX, type Collection } from '../storage/collection.js';
import { checkDbName } from '../storage/catalog.js';
import { isPlainObject } from '../storage/values.js';
import { collectionArg, documentArg, type CommandContext, type CommandHandler } from './context.js';

function sizeOf(collection: Collection): number {
  let bytes = 0;
  for (const doc of collection.documents()) bytes += BSON.calculateObjectSize(doc);
  return bytes;
}

function collectionInfo(c: Collection): Document {
  return {
    name: c.name,
    type: 'collection',
    options: c.options,
    info: { readOnly: false, uuid: c.uuid },
    idIndex: ID_INDEX,
  };
}

const CREATE_OPTIONS = new Set([
  'create',
  'capped',
  'size',
  'max',
  'validator',
  'validationLevel',
  'validationAction',
  'collation',
  'writeConcern',
  'lsid',
  '$db',
  'comment',
  '$readPreference',
  'clusteredIndex',
  'expireAfterSeconds',
  'timeseries',
  'changeStreamPreAndPostImages',
  'storageEngine',
  'indexOptionDefaults',
  '$clusterTime',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

export const namespaceCommands: Record<string, CommandHandler> = {
  listDatabases: (ctx) => {
    const names = ctx.state.catalog.databaseNames();
    const filter = ctx.body.filter ? new Query(documentArg(ctx.body, 'filter'), {}) : undefined;
    const databases = names
      .map((name) => {
        const sizeOnDisk = ctx.body.nameOnly
          ? undefined
          : ctx.state.catalog.collections(name).reduce((n, c) => n + sizeOf(c), 0);
        return ctx.body.nameOnly ? { name } : { name, sizeOnDisk, empty: sizeOnDisk === 0 };
      })
      .filter((d) => !filter || filter.test(d));
    const totalSize = databases.reduce((n, d) => n + ((d as { sizeOnDisk?: number }).sizeOnDisk ?? 0), 0);
    return ctx.body.nameOnly
      ? { databases, ok: 1 }
      : { databases, totalSize, totalSizeMb: Math.round(totalSize / 1e6), ok: 1 };
  },

  listCollections: (ctx) => {
    const filter = documentArg(ctx.body, 'filter', {});
    const query = new Query(filter, {});
    const infos = ctx.state.catalog
      .collections(ctx.db)
      .map(collectionInfo)
      .filter((info) => query.test(info))
      .map((info) => (ctx.body.nameOnly ? { name: info.name, type: info.type } : info));
    const cursor = documentArg(ctx.body, 'cursor', {});
    return ctx.state.cursors.open(`${ctx.db}.$cmd.listCollections`, infos, {
      batchSize: typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined,
    });
  },

  create: (ctx) => {
    const name = collectionArg(ctx);
    const unknown = Object.keys(ctx.body).find((k) => !CREATE_OPTIONS.has(k));
    if (unknown)
      throw new CommandError(ErrorCodes.IDLUnknownField, `BSON field 'create.${unknown}' is an unknown field.`);
    for (const feature of ['capped', 'timeseries', 'clusteredIndex', 'expireAfterSeconds'] as const) {
      if (ctx.body[feature])
        throw new CommandError(
          ErrorCodes.NotImplemented,
          `create: '${feature}' collections are not supported by this server`,
        );
    }
    const validator = ctx.body.validator;
    if (validator !== undefined && (!isPlainObject(validator) || '$jsonSchema' in validator)) {
      throw new CommandError(
        ErrorCodes.NotImplemented,
        'create: a validator must be a document of query operators; $jsonSchema validators are not supported by this server',
      );
    }
    if (validator) compileFilter(validator, 'validator');
    const options = Object.fromEntries(
      Object.entries(ctx.body).filter(
        ([k]) =>
          ![
            'create',
            'writeConcern',
            'lsid',
            '$db',
            'comment',
            '$readPreference',
            '$clusterTime',
            'apiVersion',
            'apiStrict',
            'apiDeprecationErrors',
          ].includes(k),
      ),
    );
    ctx.state.catalog.create(ctx.db, name, options);
    return { ok: 1 };
  },

  drop: (ctx) => {
    const name = collectionArg(ctx);
    const collection = ctx.state.catalog.get(ctx.db, name);
    const nIndexesWas = collection ? collection.indexes.size + 1 : undefined;
    ctx.state.catalog.drop(ctx.db, name);
    ctx.state.cursors.closeNamespace(`${ctx.db}.${name}`);
    return collection ? { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 } : { ok: 1 };
  },

  dropDatabase: (ctx) => {
    checkDbName(ctx.db);
    ctx.state.catalog.dropDatabase(ctx.db);
    ctx.state.cursors.closeNamespace(ctx.db);
    return { dropped: ctx.db, ok: 1 };
  },

  dbStats: (ctx) => {
    const colls = ctx.state.catalog.collections(ctx.db);
    const dataSize = colls.reduce((n, c) => n + sizeOf(c), 0);
    const objects = colls.reduce((n, c) => n + c.count, 0);
    return {
      db: ctx.db,
      collections: colls.length,
      views: 0,
      objects,
      avgObjSize: objects ? dataSize / objects : 0,
      dataSize,
      storageSize: dataSize,
      indexes: colls.reduce((n, c) => n + c.indexes.size + 1, 0),
      ok: 1,
    };
  },

  /** Compacts the durable log (the whole store, not one collection). */
  compact: async (ctx: CommandContext) => {
    collectionArg(ctx);
    if (ctx.state.catalog.log) await ctx.state.catalog.log.compact();
    return { bytesFreed: 0, ok: 1 };
  },
};
