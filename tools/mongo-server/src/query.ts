import type { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError, ErrorCodes } from './errors.js';
import type { Collection } from './storage/collection.js';
import { isPlainObject } from './storage/values.js';

/** A mingo query for a filter, with mingo's complaints turned into MongoDB's BadValue error. */
export function compileFilter(filter: unknown, what = 'filter'): Query {
  if (filter === undefined || filter === null) return new Query({}, {});
  if (!isPlainObject(filter))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `${what} must be a document, got ${Array.isArray(filter) ? 'array' : typeof filter}`,
    );
  try {
    return new Query(filter, {});
  } catch (err) {
    throw new CommandError(ErrorCodes.BadValue, `${what}: ${(err as Error).message}`);
  }
}

/** The documents of a collection matching a filter, found through an index when one applies. */
export function* matching(
  collection: Collection,
  filter: Document,
  query = compileFilter(filter),
): Generator<Document> {
  for (const doc of collection.candidates(filter).docs) if (query.test(doc)) yield doc;
}

export function firstMatch(collection: Collection, filter: Document): Document | undefined {
  for (const doc of matching(collection, filter)) return doc;
  return undefined;
}
