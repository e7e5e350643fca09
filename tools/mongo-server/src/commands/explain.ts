import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { compileFilter } from '../query.js';
import { checkCollectionName } from '../storage/catalog.js';
import { isPlainObject } from '../storage/values.js';
import type { CommandHandler } from './context.js';

/** The filter an explained command would run, by command name. */
const FILTER_FIELD: Record<string, string> = {
  find: 'filter',
  count: 'query',
  distinct: 'query',
  delete: 'deletes',
  update: 'updates',
  findAndModify: 'query',
};

/**
 * explain for find, count, distinct and findAndModify: which index the filter would use and how
 * many documents it would examine — the evidence that an indexed lookup does not scan.
 */
export const explain: CommandHandler = (ctx) => {
  const inner = ctx.body.explain;
  if (!isPlainObject(inner))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      "explain needs a command document, like { explain: { find: 'c', filter: {...} } }",
    );
  const command = Object.keys(inner)[0];
  const field = FILTER_FIELD[command];
  if (!field || command === 'delete' || command === 'update')
    throw new CommandError(
      ErrorCodes.NotImplemented,
      `explain is supported for find, count, distinct and findAndModify, not '${command}'`,
    );
  const name = checkCollectionName(ctx.db, inner[command]);
  const filter = isPlainObject(inner[field]) ? (inner[field] as Document) : {};
  const query = compileFilter(filter);
  const collection = ctx.state.catalog.get(ctx.db, name);
  let examined = 0;
  let returned = 0;
  let index: string | undefined;
  if (collection) {
    const candidates = collection.candidates(filter);
    index = candidates.index;
    for (const doc of candidates.docs) {
      examined++;
      if (query.test(doc)) returned++;
    }
  }
  const inputStage =
    index === '_id_'
      ? { stage: 'IDHACK' }
      : index
        ? { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: index } }
        : { stage: 'COLLSCAN' };
  return {
    queryPlanner: { namespace: `${ctx.db}.${name}`, parsedQuery: filter, winningPlan: inputStage, rejectedPlans: [] },
    executionStats: {
      nReturned: returned,
      totalDocsExamined: examined,
      totalKeysExamined: index ? examined : 0,
      executionSuccess: true,
    },
    ok: 1,
  };
};
