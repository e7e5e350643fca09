import { errors } from '../api/errors.js';
import { clone, type KubeObject } from '../api/types.js';

/**
 * The generic resource store, the simulator's etcd: one global resourceVersion counter, objects per resource,
 * and a bounded history of changes so a watch can resume from a resourceVersion (or get 410 Gone when it is too old).
 */

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  resource: string;
  object: KubeObject;
  /** The object before this change (MODIFIED and DELETED), so filtered watches can tell "stopped matching". */
  previous?: KubeObject;
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ListQuery {
  namespace?: string;
  filter?: (obj: KubeObject) => boolean;
  limit?: number;
  continue?: string;
}

export interface StoreSnapshot {
  resourceVersion: number;
  resources: Record<string, KubeObject[]>;
}

function objectKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

export class ResourceStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private rv = 0;
  /** Events at or below this resourceVersion were dropped from the history. */
  private compactedRv = 0;

  constructor(private readonly historyLimit = 5000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let b = this.objects.get(resource);
    if (!b) this.objects.set(resource, (b = new Map()));
    return b;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(resource)?.get(`${namespace ?? ''}/${name}`);
    return found ? clone(found) : undefined;
  }

  /** Every object of a resource (optionally in one namespace), in key order, without copying: callers must not mutate. */
  scan(resource: string, namespace?: string): KubeObject[] {
    const b = this.objects.get(resource);
    if (!b) return [];
    const keys = [...b.keys()].sort();
    const out: KubeObject[] = [];
    for (const k of keys) {
      const obj = b.get(k)!;
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(obj);
    }
    return out;
  }

  list(resource: string, query: ListQuery = {}): ListPage {
    let after = '';
    let listRv = this.rv;
    if (query.continue) {
      try {
        const token = JSON.parse(Buffer.from(query.continue, 'base64url').toString('utf8')) as {
          rv: number;
          after: string;
        };
        if (typeof token.rv !== 'number' || typeof token.after !== 'string') throw new Error('shape');
        after = token.after;
        listRv = token.rv;
      } catch {
        throw errors.badRequest(
          'the continue token is not valid: pass back the metadata.continue value of the previous page unchanged',
        );
      }
    }
    const matching = this.scan(resource, query.namespace).filter(
      (o) => objectKey(o) > after && (!query.filter || query.filter(o)),
    );
    const limit = query.limit && query.limit > 0 ? query.limit : matching.length;
    const page = matching.slice(0, limit).map(clone);
    const result: ListPage = { items: page, resourceVersion: String(listRv) };
    if (matching.length > limit) {
      result.continue = Buffer.from(JSON.stringify({ rv: listRv, after: objectKey(page[page.length - 1]!) })).toString(
        'base64url',
      );
      result.remainingItemCount = matching.length - limit;
    }
    return result;
  }

  private record(type: EventType, resource: string, object: KubeObject, previous?: KubeObject): KubeObject {
    const event: StoreEvent = { rv: this.rv, type, resource, object, previous };
    this.history.push(event);
    while (this.history.length > this.historyLimit) this.compactedRv = this.history.shift()!.rv;
    for (const l of this.listeners) l(event);
    return clone(object);
  }

  create(resource: string, obj: KubeObject): KubeObject {
    const b = this.bucket(resource);
    const key = objectKey(obj);
    if (b.has(key))
      throw errors.alreadyExists(resource.split('/')[1]!, resource.split('/')[0]!, obj.metadata.name ?? '');
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    b.set(key, stored);
    return this.record('ADDED', resource, stored);
  }

  update(resource: string, obj: KubeObject): KubeObject {
    const b = this.bucket(resource);
    const key = objectKey(obj);
    const previous = b.get(key);
    if (!previous) throw errors.notFound(resource.split('/')[1]!, resource.split('/')[0]!, obj.metadata.name ?? '');
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    b.set(key, stored);
    return this.record('MODIFIED', resource, stored, previous);
  }

  delete(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const b = this.objects.get(resource);
    const key = `${namespace ?? ''}/${name}`;
    const previous = b?.get(key);
    if (!b || !previous) return undefined;
    b.delete(key);
    const tombstone = clone(previous);
    tombstone.metadata.resourceVersion = String(++this.rv);
    return this.record('DELETED', resource, tombstone, previous);
  }

  /** Changes after `sinceRv`, or undefined when they were already dropped from the bounded history (410 Gone). */
  eventsSince(sinceRv: number): StoreEvent[] | undefined {
    if (sinceRv < this.compactedRv) return undefined;
    return this.history.filter((e) => e.rv > sinceRv);
  }

  get oldestResourceVersion(): number {
    return this.compactedRv;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): StoreSnapshot {
    const resources: Record<string, KubeObject[]> = {};
    for (const [resource, b] of this.objects) resources[resource] = [...b.values()].map(clone);
    return { resourceVersion: this.rv, resources };
  }

  /** Restores a snapshot; watches can only resume from after it. */
  restore(snapshot: StoreSnapshot): void {
    this.objects.clear();
    this.history.length = 0;
    for (const [resource, items] of Object.entries(snapshot.resources)) {
      const b = this.bucket(resource);
      for (const item of items) b.set(objectKey(item), clone(item));
    }
    this.rv = snapshot.resourceVersion;
    this.compactedRv = snapshot.resourceVersion;
  }
}
