import type { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError, ErrorCodes } from '../errors.js';
import { compileFilter } from '../query.js';
import { isPlainObject } from '../storage/values.js';
import { checkUpdateSpec, updateDocument, upsertDocument } from '../updates.js';
import { collectionArg, documentArg, type CommandHandler } from './context.js';
import { checkSort } from './reads.js';
import { checkDocumentSize, checkId } from './writes.js';

function project(doc: Document | null, fields: Document | undefined): Document | null {
  if (!doc || !fields || !Object.keys(fields).length) return doc;
  return new Query({}, {}).find<Document>([doc], fields).all()[0] ?? null;
}

/** findAndModify: change or remove one document and answer with it, before or after the change. */
export const findAndModify: CommandHandler = (ctx) => {
  const name = collectionArg(ctx);
  const filter = documentArg(ctx.body, 'query', {});
  const sort = checkSort(ctx.body.sort);
  const fields =
    ctx.body.fields === undefined || ctx.body.fields === null ? undefined : documentArg(ctx.body, 'fields');
  const remove = ctx.body.remove === true;
  const hasUpdate = ctx.body.update !== undefined;
  if (remove && hasUpdate)
    throw new CommandError(ErrorCodes.FailedToParse, 'Cannot specify both an update and remove=true');
  if (!remove && !hasUpdate)
    throw new CommandError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
  if (remove && ctx.body.new === true)
    throw new CommandError(
      ErrorCodes.FailedToParse,
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  if (remove && ctx.body.upsert === true)
    throw new CommandError(ErrorCodes.FailedToParse, 'Cannot specify both upsert=true and remove=true');
  const update = hasUpdate ? checkUpdateSpec(ctx.body.update) : undefined;
  const arrayFilters = ctx.body.arrayFilters;
  if (arrayFilters !== undefined && !(Array.isArray(arrayFilters) && arrayFilters.every(isPlainObject)))
    throw new CommandError(ErrorCodes.TypeMismatch, "'arrayFilters' must be an array of documents");

  const { collection } = ctx.state.catalog.ensure(ctx.db, name);
  const query = compileFilter(filter, 'query');
  let cursor = query.find<Document>(collection.candidates(filter).docs);
  if (sort) cursor = cursor.sort(sort);
  const target = cursor.limit(1).all()[0];

  if (remove) {
    if (target) ctx.state.catalog.remove(collection, target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target ?? null, fields), ok: 1 };
  }
  const opts = { filter, arrayFilters: arrayFilters as Document[] | undefined };
  if (target) {
    const { doc, changed } = updateDocument(target, update!, opts);
    if (changed) {
      checkDocumentSize(ctx, doc);
      ctx.state.catalog.replace(collection, target, doc);
    }
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(ctx.body.new ? doc : target, fields),
      ok: 1,
    };
  }
  if (ctx.body.upsert === true) {
    const doc = upsertDocument(update!, opts);
    checkDocumentSize(ctx, doc);
    checkId(doc);
    ctx.state.catalog.insert(collection, doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: project(ctx.body.new ? doc : null, fields),
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};
