import { errors } from '../api/errors.js';
import { clone, isPlainObject } from '../api/types.js';
import { listStrategy } from './merge-keys.js';

/**
 * Strategic merge patch as kubectl sends it: maps merge, keyed lists (containers by name, env by name, ports by
 * containerPort, volumes by name …) merge element by element, other lists are replaced; null deletes a field; and the
 * directives `$patch: replace|delete|merge`, `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
 */

type Rec = Record<string, unknown>;

const setOrderPrefix = '$setElementOrder/';
const deletePrimitivePrefix = '$deleteFromPrimitiveList/';

function directive(patch: Rec, where: string): string | undefined {
  const p = patch.$patch;
  if (p === undefined) return undefined;
  if (p !== 'replace' && p !== 'delete' && p !== 'merge')
    throw errors.badRequest(
      `unknown $patch directive ${JSON.stringify(p)} at ${where || 'the top level'}: use "replace", "delete" or "merge"`,
    );
  return p;
}

function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .filter((v) => !(isPlainObject(v) && v.$patch !== undefined && Object.keys(v).length === 1))
      .map(withoutDirectives);
  if (!isPlainObject(value)) return value;
  const out: Rec = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = withoutDirectives(v);
  return out;
}

function reorder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const id = (v: unknown) => JSON.stringify(key && isPlainObject(v) ? v[key] : v);
  const rank = new Map(order.map((o, i) => [id(o), i]));
  const ranked = list.filter((v) => rank.has(id(v))).sort((a, b) => rank.get(id(a))! - rank.get(id(b))!);
  return [...ranked, ...list.filter((v) => !rank.has(id(v)))];
}

function mergeList(original: unknown, patch: unknown[], kind: string, path: string[]): unknown[] {
  const strategy = listStrategy(kind, path);
  const where = path.join('.');
  if (patch.some((p) => isPlainObject(p) && p.$patch === 'replace')) return withoutDirectives(patch) as unknown[];
  if (strategy.kind === 'replace') return withoutDirectives(patch) as unknown[];
  const result = Array.isArray(original) ? clone(original) : [];
  if (strategy.kind === 'set') {
    for (const v of patch) if (!result.some((r) => JSON.stringify(r) === JSON.stringify(v))) result.push(v);
    return result;
  }
  const key = strategy.key;
  const originals = Array.isArray(original) ? original : [];
  const id = (v: unknown) => JSON.stringify(isPlainObject(v) ? v[key] : v);
  const patched: unknown[] = [];
  const named = new Set<string>();
  for (const item of patch) {
    if (!isPlainObject(item))
      throw errors.badRequest(`${where}: a list merged by "${key}" takes objects, not ${JSON.stringify(item)}`);
    if (!Object.hasOwn(item, key))
      throw errors.badRequest(
        `${where}: every element of this list needs its merge key "${key}"; got ${JSON.stringify(item)}`,
      );
    named.add(id(item));
    if (directive(item, where) === 'delete') continue;
    const existing = originals.find((o) => isPlainObject(o) && id(o) === id(item));
    patched.push(mergeObject(isPlainObject(existing) ? existing : {}, item, kind, path));
  }
  return mergeSorted(
    originals.filter((o) => !named.has(id(o))),
    patched,
    originals.map(id),
    id,
  );
}

/**
 * The elements the patch names (merged, in its order) and those only the original has (in theirs), interleaved as
 * Kubernetes does (mergeSortedSlice): an original-only element goes first only when both it and the next patched
 * element are in the original and it comes before that one there. So a new element lands before the others.
 */
function mergeSorted(
  serverOnly: unknown[],
  patched: unknown[],
  serverOrder: string[],
  id: (v: unknown) => string,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patched.length) {
    if (j >= patched.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(patched[j++]);
    else {
      const l = serverOrder.indexOf(id(serverOnly[i]));
      const r = serverOrder.indexOf(id(patched[j]));
      if (l >= 0 && r >= 0 && l < r) out.push(serverOnly[i++]);
      else out.push(patched[j++]);
    }
  }
  return out;
}

function mergeObject(original: Rec, patch: Rec, kind: string, path: string[]): Rec {
  const where = path.join('.');
  const d = directive(patch, where);
  if (d === 'replace') return withoutDirectives(patch) as Rec;
  const result = clone(original);
  const retain = patch.$retainKeys;
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw errors.badRequest(`${where}: $retainKeys must be a list of field names`);
    for (const k of Object.keys(result)) if (!retain.includes(k) && !Object.hasOwn(patch, k)) delete result[k];
  }
  const orders: [string, unknown[]][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith(setOrderPrefix)) {
      if (!Array.isArray(v)) throw errors.badRequest(`${where}: ${k} must be a list`);
      orders.push([k.slice(setOrderPrefix.length), v]);
      continue;
    }
    if (k.startsWith(deletePrimitivePrefix)) {
      const field = k.slice(deletePrimitivePrefix.length);
      if (!Array.isArray(v)) throw errors.badRequest(`${where}: ${k} must be a list`);
      if (Array.isArray(result[field]))
        result[field] = (result[field] as unknown[]).filter(
          (x) => !v.some((y) => JSON.stringify(x) === JSON.stringify(y)),
        );
      continue;
    }
    if (k.startsWith('$')) throw errors.badRequest(`${where}: unknown strategic merge patch directive "${k}"`);
    const childPath = [...path, k];
    if (v === null) delete result[k];
    else if (isPlainObject(v)) {
      if (directive(v, childPath.join('.')) === 'delete') delete result[k];
      else result[k] = mergeObject(isPlainObject(result[k]) ? (result[k] as Rec) : {}, v, kind, childPath);
    } else if (Array.isArray(v)) result[k] = mergeList(result[k], v, kind, childPath);
    else result[k] = v;
  }
  for (const [field, order] of orders) {
    if (!Array.isArray(result[field])) continue;
    const strategy = listStrategy(kind, [...path, field]);
    result[field] = reorder(result[field] as unknown[], order, strategy.kind === 'merge' ? strategy.key : undefined);
  }
  return result;
}

/** Applies a strategic merge patch to an object of the given kind. */
export function strategicMerge(original: Rec, patch: unknown, kind: string): Rec {
  if (!isPlainObject(patch))
    throw errors.badRequest('a strategic merge patch must be a JSON object, e.g. {"spec":{"replicas":3}}');
  return mergeObject(original, patch, kind, []);
}
