import { BSON, type Document } from 'bson';
import { withIdFirst } from '../documents.js';
import { CommandError, ErrorCodes, toCommandError } from '../errors.js';
import { compileFilter, matching } from '../query.js';
import type { Collection } from '../storage/collection.js';
import { isPlainObject, typeRank } from '../storage/values.js';
import { checkUpdateSpec, updateDocument, upsertDocument } from '../updates.js';
import { MAX_BSON_OBJECT_SIZE, MAX_WRITE_BATCH_SIZE } from '../wire/limits.js';
import { arrayArg, collectionArg, type CommandContext, type CommandHandler } from './context.js';

interface WriteError {
  index: number;
  code: number;
  errmsg: string;
  [extra: string]: unknown;
}

function writeError(index: number, err: unknown): WriteError {
  const e = toCommandError(err);
  return { index, code: e.code, errmsg: e.message, ...e.extra };
}

function statements(ctx: CommandContext, field: string): unknown[] {
  const list = arrayArg(ctx, field);
  if (list.length > MAX_WRITE_BATCH_SIZE) {
    throw new CommandError(
      ErrorCodes.InvalidLength,
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${list.length} operations.`,
    );
  }
  return list;
}

/** A document is stored only when it is within the 16 MB BSON limit. */
export function checkDocumentSize(ctx: CommandContext, doc: Document): void {
  if (ctx.messageLength <= MAX_BSON_OBJECT_SIZE) return;
  const size = BSON.calculateObjectSize(doc);
  if (size > MAX_BSON_OBJECT_SIZE) {
    throw new CommandError(
      ErrorCodes.BSONObjectTooLarge,
      `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`,
    );
  }
}

export function checkId(doc: Document): void {
  const rank = typeRank(doc._id);
  if (rank === 5) throw new CommandError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type array");
  if (rank === 11) throw new CommandError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type regex");
}

function ordered(ctx: CommandContext): boolean {
  return ctx.body.ordered !== false;
}

function reply(base: Document, errors: WriteError[]): Document {
  return errors.length ? { ...base, writeErrors: errors, ok: 1 } : { ...base, ok: 1 };
}

function insert(ctx: CommandContext): Document {
  const name = collectionArg(ctx);
  const docs = statements(ctx, 'documents');
  const { collection } = ctx.state.catalog.ensure(ctx.db, name);
  const errors: WriteError[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      const raw = docs[i];
      if (!isPlainObject(raw)) throw new CommandError(ErrorCodes.TypeMismatch, `documents[${i}] must be a document`);
      checkDocumentSize(ctx, raw);
      const doc = withIdFirst(raw);
      checkId(doc);
      ctx.state.catalog.insert(collection, doc);
      n++;
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered(ctx)) break;
    }
  }
  return reply({ n }, errors);
}

interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
}

function runUpdate(ctx: CommandContext, collection: Collection, stmt: Document): UpdateOutcome {
  const filter = stmt.q ?? {};
  if (!isPlainObject(filter)) throw new CommandError(ErrorCodes.TypeMismatch, "an update's 'q' must be a document");
  const update = checkUpdateSpec(stmt.u);
  if (stmt.arrayFilters !== undefined && !Array.isArray(stmt.arrayFilters))
    throw new CommandError(ErrorCodes.TypeMismatch, "'arrayFilters' must be an array of documents");
  if (
    stmt.multi &&
    !Array.isArray(update) &&
    !Object.keys(update).some((k) => k.startsWith('$')) &&
    Object.keys(update).length
  ) {
    throw new CommandError(ErrorCodes.InvalidOptions, 'multi update is not supported for replacement-style update');
  }
  const opts = { filter, arrayFilters: stmt.arrayFilters as Document[] | undefined };
  const query = compileFilter(filter, 'q');
  const targets: Document[] = [];
  for (const doc of matching(collection, filter, query)) {
    targets.push(doc);
    if (!stmt.multi) break;
  }
  if (!targets.length && stmt.upsert) {
    const doc = upsertDocument(update, opts);
    checkDocumentSize(ctx, doc);
    checkId(doc);
    ctx.state.catalog.insert(collection, doc);
    return { matched: 0, modified: 0, upsertedId: doc._id };
  }
  let modified = 0;
  for (const old of targets) {
    const { doc, changed } = updateDocument(old, update, opts);
    if (!changed) continue;
    if (BSON.calculateObjectSize(doc) > MAX_BSON_OBJECT_SIZE)
      throw new CommandError(
        ErrorCodes.BSONObjectTooLarge,
        `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`,
      );
    ctx.state.catalog.replace(collection, old, doc);
    modified++;
  }
  return { matched: targets.length, modified };
}

function update(ctx: CommandContext): Document {
  const name = collectionArg(ctx);
  const stmts = statements(ctx, 'updates');
  const { collection } = ctx.state.catalog.ensure(ctx.db, name);
  const errors: WriteError[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < stmts.length; i++) {
    try {
      const stmt = stmts[i];
      if (!isPlainObject(stmt)) throw new CommandError(ErrorCodes.TypeMismatch, `updates[${i}] must be a document`);
      const outcome = runUpdate(ctx, collection, stmt);
      n += outcome.matched;
      nModified += outcome.modified;
      if (outcome.upsertedId !== undefined) {
        n++;
        upserted.push({ index: i, _id: outcome.upsertedId });
      }
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered(ctx)) break;
    }
  }
  return reply(upserted.length ? { n, nModified, upserted } : { n, nModified }, errors);
}

function remove(ctx: CommandContext): Document {
  const name = collectionArg(ctx);
  const stmts = statements(ctx, 'deletes');
  const collection = ctx.state.catalog.get(ctx.db, name);
  const errors: WriteError[] = [];
  let n = 0;
  for (let i = 0; i < stmts.length; i++) {
    try {
      const stmt = stmts[i];
      if (!isPlainObject(stmt)) throw new CommandError(ErrorCodes.TypeMismatch, `deletes[${i}] must be a document`);
      const filter = stmt.q ?? {};
      if (!isPlainObject(filter)) throw new CommandError(ErrorCodes.TypeMismatch, "a delete's 'q' must be a document");
      const limit = Number(stmt.limit ?? 0);
      if (limit !== 0 && limit !== 1)
        throw new CommandError(
          ErrorCodes.FailedToParse,
          `The limit field in delete objects must be 0 or 1. Got ${String(stmt.limit)}`,
        );
      const query = compileFilter(filter, 'q');
      if (!collection) continue;
      const targets: Document[] = [];
      for (const doc of matching(collection, filter, query)) {
        targets.push(doc);
        if (limit === 1) break;
      }
      for (const doc of targets) ctx.state.catalog.remove(collection, doc);
      n += targets.length;
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered(ctx)) break;
    }
  }
  return reply({ n }, errors);
}

export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };
