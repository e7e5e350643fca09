import { BSON, type Document } from 'bson';
import { Aggregator, update as applyOperators } from 'mingo';
import { cloneDocument, setPath, withIdFirst } from './documents.js';
import { CommandError, ErrorCodes } from './errors.js';
import { seedMissingPushArrays } from './push-modifiers.js';
import { checkOperandTypes, checkOperators } from './update-rules.js';
import { compareValues, isPlainObject } from './storage/values.js';

const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export type UpdateSpec = Document | Document[];

export interface UpdateOptions {
  filter: Document;
  arrayFilters?: Document[];
}

export function isOperatorUpdate(update: UpdateSpec): update is Document {
  return !Array.isArray(update) && Object.keys(update).some((k) => k.startsWith('$'));
}

/** Refuse an update document that is neither operators, a replacement, nor a pipeline. */
export function checkUpdateSpec(update: unknown): UpdateSpec {
  if (Array.isArray(update)) {
    for (const stage of update) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !PIPELINE_STAGES.has(name)) {
        throw new CommandError(
          ErrorCodes.InvalidOptions,
          `${String(name)} is not allowed to be used within an update: use only ${[...PIPELINE_STAGES].join(', ')}`,
        );
      }
    }
    return update as Document[];
  }
  if (!isPlainObject(update))
    throw new CommandError(ErrorCodes.FailedToParse, 'Update must be either a document or an array of pipeline stages');
  const keys = Object.keys(update);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length && operators.length !== keys.length) {
    const plain = keys.find((k) => !k.startsWith('$'));
    throw new CommandError(
      ErrorCodes.FailedToParse,
      `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  if (operators.length) checkOperators(update);
  return update;
}

function runOperators(doc: Document, ops: Document, opts: UpdateOptions): void {
  for (const [op, args] of Object.entries(ops)) {
    if (!isPlainObject(args))
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Modifiers operate on fields but we found type ${Array.isArray(args) ? 'array' : typeof args} instead. For example: {$mod: {<field>: ...}} not {${op}: ${String(args)}}`,
      );
  }
  const effective = Object.fromEntries(Object.entries(ops).filter(([, args]) => Object.keys(args as Document).length));
  if (!Object.keys(effective).length) return;
  checkOperandTypes(doc, effective);
  seedMissingPushArrays(doc, effective.$push);
  try {
    applyOperators(doc, effective, opts.arrayFilters, opts.filter, { cloneMode: 'deep' });
  } catch (err) {
    const message = (err as Error).message;
    if (/immutable field '_id'/.test(message))
      throw new CommandError(
        ErrorCodes.ImmutableField,
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    const conflict = /updating the path '([^']*)' would create a conflict at '([^']*)'/i.exec(message);
    if (conflict)
      throw new CommandError(
        ErrorCodes.ConflictingUpdateOperators,
        `Updating the path '${conflict[1]}' would create a conflict at '${conflict[2]}'`,
      );
    const unknown = /Unknown update operator: '?(\$\w+)/.exec(message);
    if (unknown)
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${unknown[1]}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    throw new CommandError(ErrorCodes.BadValue, message);
  }
}

function runPipeline(doc: Document, pipeline: Document[]): Document {
  const [out] = new Aggregator(pipeline, {}).run([doc]);
  if (!isPlainObject(out))
    throw new CommandError(ErrorCodes.BadValue, 'the update pipeline did not produce a document');
  return out;
}

function checkIdUnchanged(before: Document, after: Document): void {
  if (after._id === undefined) after._id = before._id;
  if (compareValues(before._id, after._id) !== 0) {
    throw new CommandError(
      ErrorCodes.ImmutableField,
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
}

/** The new version of a document after an update, and whether it differs from the old one. */
export function updateDocument(
  old: Document,
  update: UpdateSpec,
  opts: UpdateOptions,
): { doc: Document; changed: boolean } {
  const oldBytes = BSON.serialize(old);
  let doc = BSON.deserialize(oldBytes);
  if (Array.isArray(update)) doc = runPipeline(doc, update);
  else if (isOperatorUpdate(update)) {
    const { $setOnInsert: _onInsertOnly, ...ops } = update;
    runOperators(doc, ops, opts);
  } else doc = { _id: old._id, ...cloneDocument(update) };
  checkIdUnchanged(old, doc);
  doc = withIdFirst(doc);
  return { doc, changed: Buffer.compare(oldBytes, BSON.serialize(doc)) !== 0 };
}

/** The equality fields of a filter, which an upsert copies into the document it inserts. */
function seedFromFilter(filter: Document, into: Document): void {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) if (isPlainObject(part)) seedFromFilter(part, into);
      continue;
    }
    if (field.startsWith('$')) continue;
    if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      if ('$eq' in cond) setPath(into, field, cond.$eq);
      continue;
    }
    setPath(into, field, cond);
  }
}

/** The document an upsert inserts when nothing matched. */
export function upsertDocument(update: UpdateSpec, opts: UpdateOptions): Document {
  let doc: Document = {};
  if (Array.isArray(update)) {
    seedFromFilter(opts.filter, doc);
    doc = runPipeline(cloneDocument(doc), update);
  } else if (isOperatorUpdate(update)) {
    seedFromFilter(opts.filter, doc);
    doc = cloneDocument(doc);
    const { $setOnInsert, ...ops } = update;
    runOperators(doc, ops, opts);
    if (isPlainObject($setOnInsert)) runOperators(doc, { $set: $setOnInsert }, opts);
  } else {
    const seed: Document = {};
    seedFromFilter(opts.filter, seed);
    doc = cloneDocument(update);
    if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
  }
  return withIdFirst(doc);
}
