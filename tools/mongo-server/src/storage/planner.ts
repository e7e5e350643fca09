import type { Document } from 'bson';
import type { Bound } from './secondary-index.js';
import { isPlainObject, typeRank } from './values.js';

/** What one field of a filter asks for, in a form an index can answer. */
export type FieldPredicate = { kind: 'eq'; values: unknown[] } | { kind: 'range'; lower?: Bound; upper?: Bound };

/** Values an index key can be compared with exactly: no regexes, sub-documents or arrays. */
function indexable(v: unknown): boolean {
  const rank = typeRank(v);
  return rank === 1 || rank === 2 || rank === 3 || rank === 6 || rank === 7 || rank === 8 || rank === 9 || rank === 10;
}

/**
 * The index-answerable predicates of a filter's top-level conjunction, by field. Anything else in the
 * filter is left to mingo, which checks every candidate, so these only need to select a superset.
 */
export function indexablePredicates(filter: Document): Map<string, FieldPredicate> {
  const out = new Map<string, FieldPredicate>();
  collect(filter, out);
  return out;
}

function collect(filter: Document, out: Map<string, FieldPredicate>): void {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) if (isPlainObject(part)) collect(part, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    const predicate = predicateOf(cond);
    if (predicate && !out.has(field)) out.set(field, predicate);
  }
}

function predicateOf(cond: unknown): FieldPredicate | undefined {
  if (!isPlainObject(cond)) return indexable(cond) ? { kind: 'eq', values: [cond] } : undefined;
  const ops = Object.keys(cond);
  if (!ops.length || !ops.every((k) => k.startsWith('$'))) return undefined;
  if ('$eq' in cond && indexable(cond.$eq)) return { kind: 'eq', values: [cond.$eq] };
  if ('$in' in cond && Array.isArray(cond.$in) && cond.$in.every(indexable)) return { kind: 'eq', values: cond.$in };
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  for (const op of ['$gt', '$gte'] as const) {
    if (op in cond && indexable(cond[op]) && cond[op] !== null) lower = { value: cond[op], inclusive: op === '$gte' };
  }
  for (const op of ['$lt', '$lte'] as const) {
    if (op in cond && indexable(cond[op]) && cond[op] !== null) upper = { value: cond[op], inclusive: op === '$lte' };
  }
  if (lower && upper && typeRank(lower.value) !== typeRank(upper.value)) upper = undefined;
  if (lower || upper) return { kind: 'range', lower, upper };
  return undefined;
}
