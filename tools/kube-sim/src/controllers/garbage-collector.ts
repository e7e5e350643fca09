import type { Logger } from 'pino';
import type { ClusterApi } from '../api/cluster-api.js';
import { resourceKey } from '../kinds/kind.js';
import type { StoreEvent } from '../store/store.js';

/**
 * Background cascading deletion: when an owner goes, its dependents (by ownerReferences uid) go too, and a
 * dependent whose every owner is gone is removed on a full sweep (after a restart from a state file).
 */
export class GarbageCollector {
  private scheduled = false;
  private readonly gone = new Set<string>();

  constructor(
    private readonly api: ClusterApi,
    private readonly log: Logger,
  ) {}

  onEvent(e: StoreEvent): void {
    if (e.type !== 'DELETED' || !e.object.metadata.uid) return;
    this.gone.add(e.object.metadata.uid);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.collect());
    }
  }

  private collect(): void {
    this.scheduled = false;
    const uids = [...this.gone];
    this.gone.clear();
    for (const uid of uids) {
      for (const d of this.api.dependentsOf(uid)) {
        const remaining = (d.obj.metadata.ownerReferences ?? []).filter(
          (r) => r.uid !== uid && this.ownerExists(r.uid),
        );
        if (remaining.length > 0) continue;
        try {
          if (this.api.tryGet(d.def, d.obj.metadata.namespace, d.obj.metadata.name!))
            this.api.delete(d.def, d.obj.metadata.namespace, d.obj.metadata.name!);
        } catch (err) {
          this.log.warn({ err, name: d.obj.metadata.name }, 'garbage collection of a dependent failed');
        }
      }
    }
  }

  private ownerExists(uid: string): boolean {
    return this.api.registry.all.some((def) =>
      this.api.store.scan(resourceKey(def)).some((o) => o.metadata.uid === uid),
    );
  }

  /** Deletes every object whose owners are all gone. */
  sweep(): void {
    const uids = new Set<string>();
    for (const def of this.api.registry.all)
      for (const o of this.api.store.scan(resourceKey(def))) if (o.metadata.uid) uids.add(o.metadata.uid);
    for (const def of this.api.registry.all)
      for (const o of this.api.store.scan(resourceKey(def)).slice()) {
        const refs = o.metadata.ownerReferences ?? [];
        if (refs.length > 0 && refs.every((r) => !uids.has(r.uid))) this.gone.add(refs[0]!.uid);
      }
    if (this.gone.size > 0) this.collect();
  }
}
