import type { Document } from 'bson';
import { Aggregator, ProcessingMode } from 'mingo';
import { CommandError, ErrorCodes } from '../errors.js';
import { checkCollectionName } from '../storage/catalog.js';
import { NO_MATCHING_BUCKET, rewriteBuckets } from './bucket.js';
import { isPlainObject } from '../storage/values.js';
import { type CommandContext, type CommandHandler, documentArg, numberArg } from './context.js';

/** Stages that never change the documents they are given, so the input need not be copied. */
const READ_ONLY_STAGES = new Set([
  '$match',
  '$group',
  '$sort',
  '$limit',
  '$skip',
  '$count',
  '$sortByCount',
  '$bucket',
  '$bucketAuto',
  '$project',
]);
const UNSUPPORTED = new Set([
  '$merge',
  '$changeStream',
  '$currentOp',
  '$listSessions',
  '$listLocalSessions',
  '$indexStats',
  '$collStats',
  '$planCacheStats',
  '$search',
  '$geoNear',
]);

function stageName(stage: unknown): string {
  if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
    throw new CommandError(
      ErrorCodes.Location40323,
      'A pipeline stage specification object must contain exactly one field.',
    );
  }
  return Object.keys(stage)[0];
}

function mingoError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = (err as Error).message;
  const unknown = /(?:unknown|unregistered) pipeline operator:? '?(\$\w+)/i.exec(message);
  if (unknown) return new CommandError(ErrorCodes.Location40324, `Unrecognized pipeline stage name: '${unknown[1]}'`);
  if (message.includes(NO_MATCHING_BUCKET)) return new CommandError(ErrorCodes.Location40066, NO_MATCHING_BUCKET);
  return new CommandError(ErrorCodes.BadValue, message);
}

export const aggregate: CommandHandler = (ctx: CommandContext) => {
  const target = ctx.body.aggregate;
  if (!Array.isArray(ctx.body.pipeline))
    throw new CommandError(ErrorCodes.TypeMismatch, "aggregate needs 'pipeline': an array of stages");
  const pipeline = ctx.body.pipeline as Document[];
  const names = pipeline.map((stage) => stageName(stage));
  const unsupported = names.find((n) => UNSUPPORTED.has(n));
  if (unsupported)
    throw new CommandError(
      ErrorCodes.NotImplemented,
      `the ${unsupported} aggregation stage is not supported by this server`,
    );
  if (ctx.body.explain)
    throw new CommandError(ErrorCodes.NotImplemented, 'aggregate with explain is not supported by this server');
  if (ctx.body.cursor === undefined)
    throw new CommandError(
      ErrorCodes.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  const cursorOpts = documentArg(ctx.body, 'cursor');
  const outIndex = names.indexOf('$out');
  if (outIndex >= 0 && outIndex !== names.length - 1)
    throw new CommandError(ErrorCodes.Location40601, '$out can only be the final stage in the pipeline');

  let source: Iterable<Document> = [];
  let ns = `${ctx.db}.$cmd.aggregate`;
  if (typeof target === 'string') {
    checkCollectionName(ctx.db, target);
    ns = `${ctx.db}.${target}`;
    const collection = ctx.state.catalog.get(ctx.db, target);
    if (collection)
      source =
        names[0] === '$match' && isPlainObject(pipeline[0].$match)
          ? collection.candidates(pipeline[0].$match).docs
          : collection.documents();
  } else if (!(target === 1 && names[0] === '$documents')) {
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      'aggregate needs a collection name, or 1 for a database-level pipeline starting with $documents',
    );
  }

  const stages = outIndex >= 0 ? pipeline.slice(0, outIndex) : pipeline;
  const readOnly = stages.every((s) => READ_ONLY_STAGES.has(Object.keys(s)[0]));
  const variables = ctx.body.let === undefined ? undefined : documentArg(ctx.body, 'let');
  let results: Iterable<Document>;
  try {
    const aggregator = new Aggregator(rewriteBuckets(stages), {
      processingMode: readOnly ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT,
      collectionResolver: (name: string) => [...(ctx.state.catalog.get(ctx.db, name)?.documents() ?? [])],
      variables,
    });
    results = outIndex >= 0 ? aggregator.run(source) : (aggregator.stream(source) as unknown as Iterable<Document>);
  } catch (err) {
    throw mingoError(err);
  }
  if (outIndex >= 0) {
    writeOut(ctx, pipeline[outIndex].$out, results as Document[]);
    results = [];
  }
  const batchSize = numberArg(cursorOpts, 'batchSize');
  try {
    return ctx.state.cursors.open(ns, results, { batchSize });
  } catch (err) {
    throw mingoError(err);
  }
};

function writeOut(ctx: CommandContext, spec: unknown, docs: Document[]): void {
  const [db, name] =
    typeof spec === 'string'
      ? [ctx.db, spec]
      : isPlainObject(spec)
        ? [String(spec.db ?? ctx.db), String(spec.coll)]
        : [ctx.db, ''];
  checkCollectionName(db, name);
  const { catalog } = ctx.state;
  const old = catalog.get(db, name);
  const specs = old ? [...old.indexes.values()].map((i) => i.spec) : [];
  catalog.drop(db, name);
  const fresh = catalog.create(db, name, old?.options ?? {});
  for (const spec of specs) catalog.createIndex(fresh, spec);
  for (const doc of docs) catalog.insert(fresh, doc);
}
