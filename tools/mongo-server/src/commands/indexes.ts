import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import type { Collection } from '../storage/collection.js';
import type { IndexSpec } from '../storage/secondary-index.js';
import { compareValues, isPlainObject } from '../storage/values.js';
import { arrayArg, collectionArg, documentArg, type CommandContext, type CommandHandler } from './context.js';

const SPEC_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'expireAfterSeconds',
  'partialFilterExpression',
  'background',
  'v',
  'collation',
  'hidden',
  'ns',
]);
/** Options that change what an index means; two specs differing only in others are the same index. */
const MEANINGFUL = ['unique', 'sparse', 'expireAfterSeconds', 'partialFilterExpression'];

function defaultName(key: Document): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${String(d)}`)
    .join('_');
}

function checkSpec(raw: unknown, ns: string): IndexSpec {
  if (!isPlainObject(raw))
    throw new CommandError(ErrorCodes.TypeMismatch, `each entry of 'indexes' must be a document, got ${typeof raw}`);
  const key = raw.key;
  if (!isPlainObject(key) || !Object.keys(key).length)
    throw new CommandError(
      ErrorCodes.CannotCreateIndex,
      `Error in specification ${JSON.stringify(raw)} :: 'key' must be a non-empty document like { field: 1 }`,
    );
  for (const [field, dir] of Object.entries(key)) {
    if (typeof dir !== 'number' || !(dir === 1 || dir === -1)) {
      throw new CommandError(
        ErrorCodes.CannotCreateIndex,
        `index on ${ns} field '${field}': only ascending (1) and descending (-1) indexes are supported, not ${JSON.stringify(dir)}`,
      );
    }
  }
  const unknown = Object.keys(raw).filter((k) => !SPEC_OPTIONS.has(k));
  if (unknown.length)
    throw new CommandError(
      ErrorCodes.InvalidOptions,
      `The field '${unknown[0]}' is not valid for an index specification (valid: ${[...SPEC_OPTIONS].join(', ')})`,
    );
  if (
    raw.expireAfterSeconds !== undefined &&
    (typeof raw.expireAfterSeconds !== 'number' || raw.expireAfterSeconds < 0)
  ) {
    throw new CommandError(
      ErrorCodes.CannotCreateIndex,
      'TTL index expireAfterSeconds must be a non-negative number of seconds',
    );
  }
  if (raw.expireAfterSeconds !== undefined && Object.keys(key).length !== 1) {
    throw new CommandError(
      ErrorCodes.CannotCreateIndex,
      'TTL indexes are single-field indexes, compound indexes do not support TTL',
    );
  }
  if (raw.partialFilterExpression !== undefined && !isPlainObject(raw.partialFilterExpression)) {
    throw new CommandError(ErrorCodes.TypeMismatch, "'partialFilterExpression' for an index must be a document");
  }
  const name = raw.name === undefined ? defaultName(key) : raw.name;
  if (typeof name !== 'string' || !name)
    throw new CommandError(ErrorCodes.TypeMismatch, "an index 'name' must be a non-empty string");
  const spec: IndexSpec = { v: 2, key, name };
  for (const option of MEANINGFUL) if (raw[option] !== undefined && raw[option] !== false) spec[option] = raw[option];
  if (raw.collation !== undefined) spec.collation = raw.collation;
  return spec;
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return MEANINGFUL.every((o) => compareValues(a[o] ?? null, b[o] ?? null) === 0);
}

function sameKey(a: Document, b: Document): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k, i) => Object.keys(b)[i] === k && Number(a[k]) === Number(b[k]))
  );
}

/** Whether the index already exists (true) or must be created (false); throws on a conflict. */
function existing(collection: Collection, spec: IndexSpec): boolean {
  for (const have of collection.indexSpecs()) {
    if (have.name === spec.name) {
      if (sameKey(have.key, spec.key) && sameOptions(have, spec)) return true;
      if (!sameKey(have.key, spec.key))
        throw new CommandError(
          ErrorCodes.IndexKeySpecsConflict,
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(have)}`,
        );
      throw new CommandError(
        ErrorCodes.IndexOptionsConflict,
        `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(have)}`,
      );
    }
    if (sameKey(have.key, spec.key) && sameOptions(have, spec) && !spec.partialFilterExpression) {
      throw new CommandError(
        ErrorCodes.IndexOptionsConflict,
        `Index already exists with a different name: ${have.name}`,
      );
    }
  }
  return false;
}

export const indexCommands: Record<string, CommandHandler> = {
  createIndexes: (ctx) => {
    const name = collectionArg(ctx);
    const specs = arrayArg(ctx, 'indexes');
    if (!specs.length)
      throw new CommandError(ErrorCodes.BadValue, "Must specify at least one index to create in 'indexes'");
    const checked = specs.map((s) => checkSpec(s, `${ctx.db}.${name}`));
    const { collection, created } = ctx.state.catalog.ensure(ctx.db, name);
    const before = collection.indexes.size + 1;
    const toCreate = checked.filter((spec) => !existing(collection, spec));
    for (const spec of toCreate) ctx.state.catalog.createIndex(collection, spec);
    const reply: Document = {
      numIndexesBefore: before,
      numIndexesAfter: collection.indexes.size + 1,
      createdCollectionAutomatically: created,
      ok: 1,
    };
    if (!toCreate.length) reply.note = 'all indexes already exist';
    return reply;
  },

  listIndexes: (ctx) => {
    const name = collectionArg(ctx);
    const collection = ctx.state.catalog.get(ctx.db, name);
    if (!collection) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
    const cursor = documentArg(ctx.body, 'cursor', {});
    return ctx.state.cursors.open(`${ctx.db}.${name}`, collection.indexSpecs(), {
      batchSize: typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined,
    });
  },

  dropIndexes: (ctx: CommandContext) => {
    const name = collectionArg(ctx);
    const collection = ctx.state.catalog.get(ctx.db, name);
    if (!collection) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns not found ${ctx.db}.${name}`);
    const nIndexesWas = collection.indexes.size + 1;
    const which = ctx.body.index;
    let names: string[];
    if (which === '*') names = [...collection.indexes.keys()];
    else if (typeof which === 'string') names = [which];
    else if (Array.isArray(which)) names = which.map(String);
    else if (isPlainObject(which)) {
      const match = collection.indexSpecs().find((s) => sameKey(s.key, which));
      if (!match)
        throw new CommandError(ErrorCodes.IndexNotFound, `can't find index with key: ${JSON.stringify(which)}`);
      names = [match.name];
    } else
      throw new CommandError(
        ErrorCodes.TypeMismatch,
        "dropIndexes needs 'index': '*', an index name, a list of names, or a key pattern",
      );
    if (names.includes('_id_')) throw new CommandError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
    const missing = names.find((n) => !collection.indexes.has(n));
    if (missing) throw new CommandError(ErrorCodes.IndexNotFound, `index not found with name [${missing}]`);
    for (const n of names) ctx.state.catalog.dropIndex(collection, n);
    return { nIndexesWas, ok: 1 };
  },
};
