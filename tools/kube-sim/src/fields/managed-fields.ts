import { ApiError } from '../api/errors.js';
import { canonicalJson, isPlainObject, type KubeObject } from '../api/types.js';
import { fieldLeaves, fromFieldsV1, pathKey, printPath, toFieldsV1, type FieldPath, type Leaf } from './field-paths.js';

/**
 * Field ownership as server-side apply keeps it in `metadata.managedFields`: each write's manager owns the fields it
 * set. A plain write (create, update, a classic patch: operation Update) takes the fields it changed from everyone
 * else; an apply (operation Apply) owns exactly the fields of its configuration, is refused with 409 when one of
 * them holds another value owned by another manager (unless forced, which takes the field), and removes fields it
 * applied before and applies no more, unless another manager owns them too.
 */

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface Writer {
  manager: string;
  /** The subresource written: status, scale; none for the object itself. */
  subresource?: string;
  apiVersion: string;
  time: string;
}

interface Owned {
  entry: Omit<ManagedFieldsEntry, 'fieldsV1'>;
  paths: Map<string, FieldPath>;
}

const sameOwner = (
  a: Omit<ManagedFieldsEntry, 'fieldsV1'>,
  b: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource'>,
) => a.manager === b.manager && a.operation === b.operation && (a.subresource ?? '') === (b.subresource ?? '');

function read(obj: KubeObject | undefined): Owned[] {
  const entries = (obj?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  return entries.map(({ fieldsV1, ...entry }) => ({
    entry,
    paths: new Map(fromFieldsV1(fieldsV1).map((p) => [pathKey(p), p])),
  }));
}

function write(owned: Owned[]): ManagedFieldsEntry[] {
  return owned
    .filter((o) => o.paths.size > 0)
    .map((o) => ({ ...o.entry, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1([...o.paths.values()]) }));
}

function ownerOf(owned: Owned[], w: Writer, operation: 'Apply' | 'Update'): Owned {
  const key = { manager: w.manager, operation, subresource: w.subresource };
  let o = owned.find((x) => sameOwner(x.entry, key));
  if (!o) {
    o = {
      entry: {
        manager: w.manager,
        operation,
        apiVersion: w.apiVersion,
        time: w.time,
        fieldsType: 'FieldsV1',
        ...(w.subresource ? { subresource: w.subresource } : {}),
      },
      paths: new Map(),
    };
    owned.push(o);
  }
  o.entry = { ...o.entry, apiVersion: w.apiVersion, time: w.time };
  return o;
}

/** The managedFields after a plain write changed `before` (absent for a create) into `after`. */
export function afterUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  kind: string,
  w: Writer,
): ManagedFieldsEntry[] {
  const owned = read(before);
  const old = before ? fieldLeaves(before, kind, w.subresource) : new Map<string, Leaf>();
  const now = fieldLeaves(after, kind, w.subresource);
  const changed = new Set<string>();
  for (const [k, leaf] of now)
    if (!old.has(k) || canonicalJson(old.get(k)!.value) !== canonicalJson(leaf.value)) changed.add(k);
  for (const k of old.keys()) if (!now.has(k)) changed.add(k);
  if (changed.size === 0) return write(owned);
  for (const o of owned) for (const k of changed) o.paths.delete(k);
  const mine = ownerOf(owned, w, 'Update');
  for (const k of changed) if (now.has(k)) mine.paths.set(k, now.get(k)!.path);
  return write(owned);
}

export interface ApplyOutcome {
  managedFields: ManagedFieldsEntry[];
  /** Fields this manager applied before, applies no more and nobody else owns: to be removed from the object. */
  removed: FieldPath[];
}

/** Conflicts of an apply, as the API server words them (409 Conflict, a cause per field). */
function conflictError(
  conflicts: { path: FieldPath; owner: Omit<ManagedFieldsEntry, 'fieldsV1'> }[],
  name: string,
  group: string,
  plural: string,
): ApiError {
  // As Kubernetes prints a manager: a plain writer with the API version it wrote with, an applier by name only.
  const who = (o: Omit<ManagedFieldsEntry, 'fieldsV1'>) =>
    `"${o.manager}"${o.subresource ? ` with subresource "${o.subresource}"` : ''}${o.operation === 'Update' ? ` using ${o.apiVersion}` : ''}`;
  // By manager, managers and fields in order, as structured-merge-diff prints them.
  const byOwner = new Map<string, string[]>();
  for (const c of [...conflicts].sort((a, b) =>
    a.owner.manager === b.owner.manager
      ? printPath(a.path).localeCompare(printPath(b.path))
      : a.owner.manager < b.owner.manager
        ? -1
        : 1,
  ))
    byOwner.set(who(c.owner), [...(byOwner.get(who(c.owner)) ?? []), printPath(c.path)]);
  const n = conflicts.length;
  // One conflict in all: on one line; more: a list per manager, even of one field.
  const lines = [...byOwner].map(([owner, fields]) =>
    n === 1
      ? `conflict with ${owner}: ${fields[0]}`
      : `conflicts with ${owner}:\n${fields.map((f) => `- ${f}`).join('\n')}`,
  );
  return new ApiError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${lines.join('\n')}`, {
    name,
    group,
    kind: plural,
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${who(c.owner)}`,
      field: printPath(c.path),
    })),
  });
}

/**
 * The managedFields after `w` applied `config` to `live` (absent when the apply creates the object); throws the
 * 409 conflict unless `force`.
 */
export function afterApply(
  live: KubeObject | undefined,
  config: Record<string, unknown>,
  kind: string,
  w: Writer,
  force: boolean,
  names: { name: string; group: string; plural: string },
): ApplyOutcome {
  const owned = read(live);
  const liveLeaves = live ? fieldLeaves(live, kind) : new Map<string, Leaf>();
  const applied = fieldLeaves(config, kind);
  const me = { manager: w.manager, operation: 'Apply' as const, subresource: w.subresource };
  const conflicts: { path: FieldPath; owner: Omit<ManagedFieldsEntry, 'fieldsV1'> }[] = [];
  const taken: string[] = [];
  for (const [k, leaf] of applied) {
    const current = liveLeaves.get(k);
    if (!current || canonicalJson(current.value) === canonicalJson(leaf.value)) continue;
    for (const o of owned) {
      if (sameOwner(o.entry, me) || !o.paths.has(k)) continue;
      conflicts.push({ path: leaf.path, owner: o.entry });
      taken.push(k);
    }
  }
  if (conflicts.length && !force) throw conflictError(conflicts, names.name, names.group, names.plural);
  for (const o of owned) if (!sameOwner(o.entry, me)) for (const k of taken) o.paths.delete(k);
  const mine = ownerOf(owned, w, 'Apply');
  const before = [...mine.paths.entries()];
  mine.paths = new Map([...applied].map(([k, leaf]) => [k, leaf.path]));
  const removed = before
    .filter(([k]) => !applied.has(k) && !owned.some((o) => o !== mine && o.paths.has(k)))
    .map(([, p]) => p);
  return { managedFields: write(owned), removed };
}

/** Removes the field at `path` from `obj` (an element of a keyed list or a set, or a field of a map). */
export function removeField(obj: Record<string, unknown>, path: FieldPath): void {
  let node: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    const t = path[i]!;
    const last = i === path.length - 1;
    if (t.startsWith('f:')) {
      if (!isPlainObject(node)) return;
      const key = t.slice(2);
      if (last) delete node[key];
      else node = node[key];
      continue;
    }
    if (!Array.isArray(node)) return;
    const list = node;
    const at = t.startsWith('k:')
      ? list.findIndex(
          (item) =>
            isPlainObject(item) &&
            Object.entries(JSON.parse(t.slice(2)) as Record<string, unknown>).every(
              ([k, v]) => canonicalJson(item[k]) === canonicalJson(v),
            ),
        )
      : list.findIndex((item) => JSON.stringify(item) === t.slice(2));
    if (at < 0) return;
    if (last) list.splice(at, 1);
    else node = list[at];
  }
}
