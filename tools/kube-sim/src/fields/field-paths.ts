import { canonicalJson, isPlainObject } from '../api/types.js';
import { listStrategy } from '../patch/merge-keys.js';

/**
 * Field paths as server-side apply names them in `managedFields` (FieldsV1): `f:spec`, `f:replicas`; an element of a
 * list merged by key `k:{"name":"app"}`, of a list of strings kept as a set `v:"x"`; any other list is one field.
 * A path is its tokens from the object's root; an element's own path stands for the element being there.
 */
export type FieldPath = string[];

export interface Leaf {
  path: FieldPath;
  /** The value at the path: a scalar, an atomic list, an empty map; `true` for an element being there. */
  value: unknown;
}

/**
 * How server-side apply identifies an element of a keyed list (x-kubernetes-list-map-keys): mostly the strategic
 * merge key; ports by port (or containerPort) and protocol, the protocol defaulted to TCP.
 */
function elementKey(kind: string, names: string[], item: Record<string, unknown>): Record<string, unknown> | undefined {
  const field = names[names.length - 1];
  if (field === 'ports') {
    const port = kind === 'Service' && names.join('.') === 'spec.ports' ? 'port' : 'containerPort';
    return item[port] === undefined ? undefined : { [port]: item[port], protocol: item.protocol ?? 'TCP' };
  }
  const strategy = listStrategy(kind, names);
  return strategy.kind === 'merge' && item[strategy.key] !== undefined
    ? { [strategy.key]: item[strategy.key] }
    : undefined;
}

/** Fields owned whole, as one value (structType: atomic): a workload's label selector. */
const atomicFields = new Set(['Deployment spec.selector', 'ReplicaSet spec.selector']);

/** Metadata a manager can own; the rest (name, uid, resourceVersion, …) is the server's. */
const ownedMetadata = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);

export const pathKey = (p: FieldPath) => JSON.stringify(p);

function walk(value: unknown, kind: string, names: string[], path: FieldPath, out: Map<string, Leaf>): void {
  if (atomicFields.has(`${kind} ${names.join('.')}`)) {
    out.set(pathKey(path), { path, value });
    return;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null);
    if (keys.length === 0) out.set(pathKey(path), { path, value: {} });
    for (const k of keys) walk(value[k], kind, [...names, k], [...path, `f:${k}`], out);
    return;
  }
  if (Array.isArray(value)) {
    const strategy = listStrategy(kind, names);
    const keys = value.map((v) => (isPlainObject(v) ? elementKey(kind, names, v) : undefined));
    if (strategy.kind === 'merge' && keys.every((k) => k !== undefined)) {
      for (const [i, item] of (value as Record<string, unknown>[]).entries()) {
        const at = [...path, `k:${canonicalJson(keys[i])}`];
        out.set(pathKey(at), { path: at, value: true });
        for (const [k, v] of Object.entries(item))
          if (v !== undefined && v !== null) walk(v, kind, [...names, k], [...at, `f:${k}`], out);
      }
      return;
    }
    if (strategy.kind === 'set') {
      for (const v of value) {
        const at = [...path, `v:${JSON.stringify(v)}`];
        out.set(pathKey(at), { path: at, value: true });
      }
      return;
    }
  }
  out.set(pathKey(path), { path, value });
}

/**
 * The fields an object sets, by path: of the main resource everything but status (and the server's metadata), of
 * the status subresource only status.
 */
export function fieldLeaves(obj: Record<string, unknown>, kind: string, subresource?: string): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || k === 'apiVersion' || k === 'kind') continue;
    if (subresource === 'status' ? k !== 'status' : k === 'status') continue;
    if (k === 'metadata') {
      if (!isPlainObject(v)) continue;
      for (const [m, mv] of Object.entries(v))
        if (ownedMetadata.has(m) && mv !== undefined && mv !== null)
          walk(mv, kind, ['metadata', m], ['f:metadata', `f:${m}`], out);
      continue;
    }
    walk(v, kind, [k], [`f:${k}`], out);
  }
  return out;
}

/** A path as Kubernetes prints it in a conflict: `.spec.template.spec.containers[name="app"].image`. */
export function printPath(p: FieldPath): string {
  return p
    .map((t) => {
      if (t.startsWith('f:')) return `.${t.slice(2)}`;
      if (t.startsWith('k:')) {
        const key = JSON.parse(t.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      return `[=${t.slice(2)}]`;
    })
    .join('');
}

/** FieldsV1 (the nested form managedFields keep) from paths: each path a chain of maps, an element marked with `.`. */
export function toFieldsV1(paths: FieldPath[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let node = root;
    for (const t of p) node = (node[t] ??= {}) as Record<string, unknown>;
    if (p.length && !p[p.length - 1]!.startsWith('f:')) node['.'] = {};
  }
  return root;
}

/** The paths a FieldsV1 map holds: every leaf, and every element marked with `.`. */
export function fromFieldsV1(fields: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isPlainObject(fields)) return [];
  const keys = Object.keys(fields);
  if (keys.length === 0) return prefix.length ? [prefix] : [];
  const out: FieldPath[] = [];
  for (const k of keys) {
    if (k === '.') out.push(prefix);
    else out.push(...fromFieldsV1(fields[k], [...prefix, k]));
  }
  return out;
}
