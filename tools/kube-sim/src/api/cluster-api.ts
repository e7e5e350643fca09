import { randomUUID } from 'node:crypto';
import type { SimClock } from '../clock.js';
import { groupVersion, resourceKey, type KindDefinition } from '../kinds/kind.js';
import type { KindRegistry } from '../kinds/registry.js';
import { applyPatch, patchTypes } from '../patch/apply-patch.js';
import { strategicMerge } from '../patch/strategic-merge.js';
import { afterApply, afterUpdate, removeField, type ManagedFieldsEntry } from '../fields/managed-fields.js';
import type { ResourceStore } from '../store/store.js';
import { cause, errors, type Status } from './errors.js';
import {
  matchesFields,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
  selectorToString,
} from './selectors.js';
import { clone, deepEqual, isPlainObject, pathGet, pruneNulls, type KubeObject } from './types.js';

/** Kubernetes `MicroTime` as its decoder takes it: exactly six digits of fractional seconds. */
const microTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

/**
 * The API semantics of a small apiserver, shared by the HTTP layer and the controllers: defaulting, validation,
 * uid / creationTimestamp / generation / resourceVersion bookkeeping, optimistic concurrency, subresources,
 * patches and deletion with ownerReference cascading.
 */

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Who writes, for managedFields: the request's fieldManager, else its User-Agent's name; the controllers' by default. */
  fieldManager?: string;
  /** A server-side apply's: take fields another manager owns instead of answering 409. */
  force?: boolean;
  /** Set by server-side apply: the object's managedFields after it, instead of those of a plain write. */
  appliedFields?: ManagedFieldsEntry[];
}

/** The manager of writes made by the simulator's own controllers. */
export const CONTROLLER_MANAGER = 'kube-controller-manager';

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += nameAlphabet[Math.floor(Math.random() * nameAlphabet.length)];
  return s;
}

function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  // Binding a pod to its node is not a change of its spec: the pod's generation stays.
  if (obj.kind === 'Pod' && isPlainObject(rest.spec)) {
    const { nodeName: _n, ...spec } = rest.spec;
    return { ...rest, spec };
  }
  return rest;
}

function withoutVersion(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } };
}

export class ClusterApi {
  constructor(
    readonly store: ResourceStore,
    readonly registry: KindRegistry,
    readonly clock: SimClock,
  ) {}

  key(def: KindDefinition): string {
    return resourceKey(def);
  }

  tryGet(def: KindDefinition, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(resourceKey(def), def.namespaced ? namespace : undefined, name);
  }

  get(def: KindDefinition, namespace: string | undefined, name: string): KubeObject {
    const found = this.tryGet(def, namespace, name);
    if (!found) throw errors.notFound(def.plural, def.group, name);
    return found;
  }

  matcher(
    def: KindDefinition,
    opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
  ): (obj: KubeObject) => boolean {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, [
      'metadata.name',
      'metadata.namespace',
      ...(def.fieldSelectors ?? []),
    ]);
    return (obj) => matchesRequirements(labels, obj.metadata.labels) && matchesFields(fields, obj);
  }

  list(def: KindDefinition, namespace: string | undefined, opts: ListOptions = {}) {
    const page = this.store.list(resourceKey(def), {
      namespace: def.namespaced ? namespace : undefined,
      filter: this.matcher(def, opts),
      limit: opts.limit,
      continue: opts.continue,
    });
    return {
      apiVersion: groupVersion(def),
      kind: `${def.kind}List`,
      // As the API server: no count of what is left when a selector filters the list (it cannot know it cheaply).
      metadata: {
        resourceVersion: page.resourceVersion,
        ...(page.continue
          ? {
              continue: page.continue,
              ...(opts.labelSelector || opts.fieldSelector ? {} : { remainingItemCount: page.remainingItemCount }),
            }
          : {}),
      },
      // As the API server lists them: the list says kind and apiVersion once, its items do not.
      items: page.items.map(({ apiVersion: _a, kind: _k, ...item }) => item),
    };
  }

  private checkBody(def: KindDefinition, body: unknown, namespace: string | undefined): KubeObject {
    if (!isPlainObject(body))
      throw errors.badRequest(`the request body must be a JSON object describing a ${def.kind}`);
    const gv = groupVersion(def);
    if (
      (body.kind !== undefined && body.kind !== def.kind) ||
      (body.apiVersion !== undefined && body.apiVersion !== gv)
    )
      throw errors.badRequest(
        `the body is a ${String(body.kind ?? '?')} (apiVersion ${String(body.apiVersion ?? '?')}) but this URL takes ${def.kind} objects (apiVersion ${gv}): send it to the URL of its own kind or fix kind and apiVersion`,
      );
    if (body.metadata !== undefined && !isPlainObject(body.metadata))
      throw errors.badRequest('metadata must be a JSON object');
    for (const path of def.microTimeFields ?? []) {
      const v = pathGet(body, path);
      if (v !== undefined && v !== null && (typeof v !== 'string' || !microTime.test(v)))
        throw errors.badRequest(
          `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${path}: ${JSON.stringify(v)} is not a MicroTime: RFC 3339 with six digits of fractional seconds, e.g. "2026-01-02T03:04:05.000000Z"`,
        );
    }
    const undecodable = def.decode?.(body);
    if (undecodable)
      throw errors.badRequest(
        `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${undecodable}`,
      );
    const obj = pruneNulls(clone(body)) as KubeObject;
    obj.apiVersion = gv;
    obj.kind = def.kind;
    obj.metadata ??= {};
    if (def.namespaced) {
      if (obj.metadata.namespace !== undefined && namespace !== undefined && obj.metadata.namespace !== namespace)
        throw errors.badRequest(
          `the namespace of the provided object (${obj.metadata.namespace}) does not match the namespace sent on the request (${namespace})`,
        );
      obj.metadata.namespace = namespace ?? obj.metadata.namespace ?? 'default';
    } else delete obj.metadata.namespace;
    return obj;
  }

  private validate(def: KindDefinition, obj: KubeObject, old?: KubeObject): void {
    const causes = def.validate?.(obj, old) ?? [];
    if (causes.length > 0)
      throw errors.invalid(def.kind, def.group, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
  }

  create(def: KindDefinition, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): KubeObject {
    const obj = this.checkBody(def, body, namespace);
    const meta = obj.metadata;
    if (!meta.name && typeof meta.generateName === 'string' && meta.generateName)
      meta.name = `${meta.generateName}${randomSuffix()}`;
    if (def.namespaced && !this.store.get('core/namespaces', undefined, meta.namespace!))
      throw errors.notFound('namespaces', '', meta.namespace!);
    meta.uid = randomUUID();
    meta.creationTimestamp = this.clock.timestamp();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.managedFields;
    delete meta.selfLink;
    if (def.generation) meta.generation = 1;
    else delete meta.generation;
    if (def.statusSubresource) delete obj.status;
    def.defaults?.(obj);
    if (def.initialStatus) obj.status = def.initialStatus(obj);
    this.validate(def, obj);
    meta.managedFields = opts.appliedFields ?? afterUpdate(undefined, obj, def.kind, this.writer(def, opts));
    if (opts.dryRun) {
      if (this.tryGet(def, meta.namespace, meta.name!)) throw errors.alreadyExists(def.plural, def.group, meta.name!);
      return obj;
    }
    return this.store.create(resourceKey(def), obj);
  }

  /** Writes `next` over `existing` after the checks every update shares; a no-op update keeps the resourceVersion. */
  private writer(def: KindDefinition, opts: WriteOptions, subresource?: string) {
    return {
      manager: opts.fieldManager ?? CONTROLLER_MANAGER,
      apiVersion: groupVersion(def),
      time: this.clock.timestamp(),
      ...(subresource ? { subresource } : {}),
    };
  }

  private replace(
    def: KindDefinition,
    existing: KubeObject,
    next: KubeObject,
    opts: WriteOptions,
    subresource?: 'status' | 'scale',
  ): KubeObject {
    const statusOnly = subresource === 'status';
    const rv = next.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== existing.metadata.resourceVersion)
      throw errors.conflict(def.plural, def.group, existing.metadata.name!);
    if (next.metadata.name !== undefined && next.metadata.name !== existing.metadata.name)
      throw errors.badRequest(
        `the name of the object (${next.metadata.name}) does not match the name on the URL (${existing.metadata.name})`,
      );
    if (next.metadata.uid !== undefined && next.metadata.uid !== existing.metadata.uid)
      throw errors.invalid(def.kind, def.group, existing.metadata.name!, [
        cause.immutable('metadata.uid', next.metadata.uid),
      ]);
    const obj = pruneNulls(next);
    obj.apiVersion = groupVersion(def);
    obj.kind = def.kind;
    const meta = obj.metadata;
    meta.name = existing.metadata.name;
    meta.namespace = existing.metadata.namespace;
    meta.uid = existing.metadata.uid;
    meta.creationTimestamp = existing.metadata.creationTimestamp;
    meta.generation = existing.metadata.generation;
    if (existing.metadata.deletionTimestamp) {
      meta.deletionTimestamp = existing.metadata.deletionTimestamp;
      meta.deletionGracePeriodSeconds = existing.metadata.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    meta.managedFields = existing.metadata.managedFields;
    def.defaults?.(obj);
    this.validate(def, obj, existing);
    meta.managedFields =
      opts.appliedFields ?? afterUpdate(existing, obj, def.kind, this.writer(def, opts, subresource));
    if (def.generation && !statusOnly) {
      const changed =
        !deepEqual(specPart(obj), specPart(existing)) ||
        (def.generation === 'spec-and-annotations' &&
          !deepEqual(obj.metadata.annotations ?? {}, existing.metadata.annotations ?? {}));
      meta.generation = (existing.metadata.generation ?? 1) + (changed ? 1 : 0);
    }
    meta.resourceVersion = existing.metadata.resourceVersion;
    if (deepEqual(withoutVersion(obj), withoutVersion(existing))) return existing;
    if (opts.dryRun) return obj;
    if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0) {
      this.store.delete(resourceKey(def), meta.namespace, meta.name!);
      return obj;
    }
    return this.store.update(resourceKey(def), obj);
  }

  private existingFor(def: KindDefinition, namespace: string | undefined, name: string): KubeObject {
    return this.get(def, def.namespaced ? namespace : undefined, name);
  }

  update(
    def: KindDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    const existing = this.existingFor(def, namespace, name);
    const next = this.checkBody(def, body, def.namespaced ? existing.metadata.namespace : undefined);
    if (def.statusSubresource) {
      if (existing.status === undefined) delete next.status;
      else next.status = existing.status;
    }
    return this.replace(def, existing, next, opts);
  }

  /** The status subresource: only status (and annotations, as the deployment status strategy allows) change. */
  updateStatus(
    def: KindDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    if (!def.statusSubresource) throw errors.noRoute(`${def.plural}/status`);
    const existing = this.existingFor(def, namespace, name);
    const incoming = this.checkBody(def, body, def.namespaced ? existing.metadata.namespace : undefined);
    const next = clone(existing);
    next.status = incoming.status;
    next.metadata.resourceVersion = incoming.metadata.resourceVersion;
    if (incoming.metadata.annotations !== undefined) next.metadata.annotations = incoming.metadata.annotations;
    return this.replace(def, existing, next, opts, 'status');
  }

  getScale(def: KindDefinition, namespace: string | undefined, name: string): KubeObject {
    if (!def.scaleSubresource) throw errors.noRoute(`${def.plural}/scale`);
    const obj = this.existingFor(def, namespace, name);
    const spec = isPlainObject(obj.spec) ? obj.spec : {};
    const status = isPlainObject(obj.status) ? obj.status : {};
    const m = obj.metadata;
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
        creationTimestamp: m.creationTimestamp,
      },
      spec: { replicas: spec.replicas ?? 0 },
      status: { replicas: status.replicas ?? 0, selector: selectorToString(spec.selector) },
    };
  }

  updateScale(
    def: KindDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    if (!def.scaleSubresource) throw errors.noRoute(`${def.plural}/scale`);
    if (!isPlainObject(body))
      throw errors.badRequest(
        'the request body must be a JSON autoscaling/v1 Scale object, e.g. {"spec":{"replicas":3}}',
      );
    const replicas = isPlainObject(body.spec) ? body.spec.replicas : undefined;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
      throw errors.invalid('Scale', 'autoscaling', name, [
        cause.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'),
      ]);
    const existing = this.existingFor(def, namespace, name);
    const rv = isPlainObject(body.metadata) ? body.metadata.resourceVersion : undefined;
    const next = clone(existing);
    next.metadata.resourceVersion = typeof rv === 'string' ? rv : undefined;
    (next.spec as Record<string, unknown>).replicas = replicas;
    this.replace(def, existing, next, opts, 'scale');
    return opts.dryRun
      ? { ...this.getScale(def, namespace, name), spec: { replicas } }
      : this.getScale(def, namespace, name);
  }

  patch(
    def: KindDefinition,
    namespace: string | undefined,
    name: string,
    contentType: string,
    patch: unknown,
    subresource?: string,
    opts: WriteOptions = {},
  ): KubeObject {
    if (contentType === patchTypes.apply) return this.serverSideApply(def, namespace, name, patch, subresource, opts);
    if (subresource === 'scale')
      return this.updateScale(
        def,
        namespace,
        name,
        applyPatch(contentType, this.getScale(def, namespace, name), patch, 'Scale'),
        opts,
      );
    const existing = this.existingFor(def, namespace, name);
    const patched = applyPatch(contentType, existing, patch, def.kind);
    if (subresource === 'status') return this.updateStatus(def, namespace, name, patched, opts);
    return this.update(def, namespace, name, patched, opts);
  }

  /**
   * Server-side apply: the applied configuration is merged into the live object as a strategic merge patch, and
   * field ownership decides conflicts and removals (fields/managed-fields.ts); an absent object is created.
   */
  private serverSideApply(
    def: KindDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
    subresource: string | undefined,
    opts: WriteOptions,
  ): KubeObject {
    if (!isPlainObject(body))
      throw errors.badRequest('an apply patch must be a YAML or JSON object with apiVersion, kind and metadata.name');
    if (subresource)
      throw errors.badRequest(
        'server-side apply to a subresource is not supported by this simulator: patch the main resource',
      );
    if (!opts.fieldManager)
      throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
        cause.required('fieldManager', 'Required value: is required for apply patch'),
      ]);
    const config = this.checkBody(def, body, def.namespaced ? namespace : undefined);
    if (config.metadata.name !== undefined && config.metadata.name !== name)
      throw errors.badRequest(
        `the name of the object (${String(config.metadata.name)}) does not match the name on the URL (${name})`,
      );
    const existing = this.tryGet(def, namespace, name);
    const names = { name, group: def.group, plural: def.plural };
    const writer = this.writer(def, opts);
    const outcome = afterApply(existing, config, def.kind, writer, opts.force === true, names);
    if (!existing)
      return this.create(
        def,
        namespace,
        { ...config, metadata: { ...config.metadata, name } },
        { ...opts, appliedFields: outcome.managedFields },
      );
    const merged = strategicMerge(existing, config, def.kind);
    for (const path of outcome.removed) removeField(merged, path);
    return this.update(def, namespace, name, merged, { ...opts, appliedFields: outcome.managedFields });
  }

  /** Objects that list `uid` among their ownerReferences. */
  dependentsOf(uid: string): { def: KindDefinition; obj: KubeObject }[] {
    const out: { def: KindDefinition; obj: KubeObject }[] = [];
    for (const def of this.registry.all)
      for (const obj of this.store.scan(resourceKey(def)))
        if (obj.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ def, obj });
    return out;
  }

  delete(
    def: KindDefinition,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): Status | KubeObject {
    const existing = this.existingFor(def, namespace, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== existing.metadata.uid)
      throw errors.conflict(
        def.plural,
        def.group,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    if (pre.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion)
      throw errors.conflict(
        def.plural,
        def.group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    const success: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: def.group, kind: def.plural, uid: existing.metadata.uid },
      code: 200,
    };
    if (opts.dryRun) return success;
    if ((existing.metadata.finalizers ?? []).length > 0) {
      if (existing.metadata.deletionTimestamp) return existing;
      existing.metadata.deletionTimestamp = this.clock.timestamp();
      // No graceful termination here: the grace period is spent at once.
      existing.metadata.deletionGracePeriodSeconds = 0;
      return this.store.update(resourceKey(def), existing);
    }
    const policy = opts.propagationPolicy ?? 'Background';
    const uid = existing.metadata.uid!;
    if (policy === 'Orphan') {
      for (const d of this.dependentsOf(uid)) {
        d.obj.metadata.ownerReferences = d.obj.metadata.ownerReferences!.filter((r) => r.uid !== uid);
        this.store.update(resourceKey(d.def), d.obj);
      }
    } else if (policy === 'Foreground') {
      for (const d of this.dependentsOf(uid))
        if (this.tryGet(d.def, d.obj.metadata.namespace, d.obj.metadata.name!))
          this.delete(d.def, d.obj.metadata.namespace, d.obj.metadata.name!, { propagationPolicy: 'Foreground' });
    }
    if (def.kind === 'Namespace') {
      for (const k of this.registry.all.filter((k) => k.namespaced))
        for (const obj of this.store.scan(resourceKey(k), name).slice())
          this.store.delete(resourceKey(k), name, obj.metadata.name!);
    }
    this.store.delete(resourceKey(def), existing.metadata.namespace, name);
    return success;
  }

  deleteCollection(
    def: KindDefinition,
    namespace: string | undefined,
    listOpts: ListOptions,
    opts: DeleteOptions = {},
  ) {
    const list = this.list(def, namespace, {
      labelSelector: listOpts.labelSelector,
      fieldSelector: listOpts.fieldSelector,
    });
    for (const item of list.items)
      if (this.tryGet(def, item.metadata.namespace, item.metadata.name!))
        this.delete(def, item.metadata.namespace, item.metadata.name!, opts);
    return list;
  }
}
