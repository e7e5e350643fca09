import { EJSON } from 'bson';
import type { HydratedDocument, Model, QueryFilter } from 'mongoose';
import { RuleError } from '@flightdeck/kernel';

/** Relay connection arguments: `first`/`after` pages forward, `last`/`before` backward. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Page<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: PageInfo;
}

export interface PaginateOptions<T> {
  filter?: QueryFilter<T>;
  /** A field that is set on every document; `_id` breaks ties. Default `_id`. */
  sortBy?: string;
  direction?: 'asc' | 'desc';
  defaultPageSize?: number;
  maxPageSize?: number;
}

/** A cursor that this API did not hand out, or that belongs to another ordering: bad input on `after` (or `before`). */
export class InvalidCursorError extends RuleError {
  override readonly name: string = 'InvalidCursorError';
  constructor(message: string, field: 'after' | 'before' = 'after') {
    super(message, field);
  }
}

interface CursorData {
  s: string;
  v: unknown;
  i: unknown;
}

export function encodeCursor(sortBy: string, value: unknown, id: unknown): string {
  return Buffer.from(EJSON.stringify({ s: sortBy, v: value ?? null, i: id }, { relaxed: false })).toString('base64url');
}

export function decodeCursor(
  cursor: string,
  sortBy: string,
  field: 'after' | 'before' = 'after',
): { value: unknown; id: unknown } {
  let data: CursorData;
  try {
    data = EJSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'), { relaxed: false }) as CursorData;
  } catch {
    throw new InvalidCursorError(
      `cursor "${cursor.slice(0, 40)}" is not valid: pass a startCursor or endCursor from an earlier page's pageInfo`,
      field,
    );
  }
  if (!data || typeof data !== 'object' || data.s !== sortBy || !('i' in data)) {
    throw new InvalidCursorError(
      `cursor "${cursor.slice(0, 40)}" belongs to another ordering than ${sortBy}: start again without after/before`,
      field,
    );
  }
  return { value: data.v, id: data.i };
}

function pageSize(name: string, value: number | null | undefined, fallback: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new RuleError(`${name} must be an integer from 0 to ${max}, got ${value}`, name);
  return n;
}

/** Documents strictly beyond (value, id) in the given order. */
function beyond(sortBy: string, value: unknown, id: unknown, dir: 1 | -1): Record<string, unknown> {
  const op = dir === 1 ? '$gt' : '$lt';
  if (sortBy === '_id') return { _id: { [op]: id } };
  return { $or: [{ [sortBy]: { [op]: value } }, { [sortBy]: value, _id: { [op]: id } }] };
}

/**
 * Relay-style cursor pagination ordered by one field and `_id`, with opaque cursors. Keyset
 * queries (no skip), so a page costs the same wherever it is and inserts do not shift pages.
 */
export async function paginate<T>(
  model: Model<T>,
  args: PageArgs,
  opts: PaginateOptions<T> = {},
): Promise<Page<HydratedDocument<T>>> {
  const sortBy = opts.sortBy ?? '_id';
  const dir: 1 | -1 = opts.direction === 'desc' ? -1 : 1;
  const max = opts.maxPageSize ?? 100;
  if (args.first != null && args.last != null)
    throw new RuleError('give first (with after) or last (with before), not both', 'last');
  const backward = args.last != null || (args.before != null && args.first == null);
  const size = backward
    ? pageSize('last', args.last, opts.defaultPageSize ?? 20, max)
    : pageSize('first', args.first, opts.defaultPageSize ?? 20, max);
  const after = args.after ? decodeCursor(args.after, sortBy) : undefined;
  const before = args.before ? decodeCursor(args.before, sortBy, 'before') : undefined;

  const base = (opts.filter ?? {}) as Record<string, unknown>;
  const conditions: Record<string, unknown>[] = [base];
  if (after) conditions.push(beyond(sortBy, after.value, after.id, dir));
  if (before) conditions.push(beyond(sortBy, before.value, before.id, dir === 1 ? -1 : 1));
  const where = (conditions.length === 1 ? base : { $and: conditions }) as QueryFilter<T>;

  const queryDir = backward ? (-dir as 1 | -1) : dir;
  const sort: Record<string, 1 | -1> = sortBy === '_id' ? { _id: queryDir } : { [sortBy]: queryDir, _id: queryDir };
  const found = (await model
    .find(where)
    .sort(sort)
    .limit(size + 1)
    .exec()) as HydratedDocument<T>[];
  const more = found.length > size;
  const nodes = found.slice(0, size);
  if (backward) nodes.reverse();

  const cursorOf = (doc: HydratedDocument<T>) => encodeCursor(sortBy, doc.get(sortBy), doc._id);
  const edges = nodes.map((node) => ({ node, cursor: cursorOf(node) }));
  // The far side of the page exists if anything lies at or beyond the cursor we came from.
  const exists = async (c: { value: unknown; id: unknown }, d: 1 | -1) => {
    const at = sortBy === '_id' ? { _id: c.id } : { [sortBy]: c.value, _id: c.id };
    return (
      (await model.exists({ $and: [base, { $or: [at, beyond(sortBy, c.value, c.id, d)] }] } as QueryFilter<T>)) !== null
    );
  };
  const hasNextPage = backward ? (before ? await exists(before, dir) : false) : more;
  const hasPreviousPage = backward ? more : after ? await exists(after, -dir as 1 | -1) : false;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
