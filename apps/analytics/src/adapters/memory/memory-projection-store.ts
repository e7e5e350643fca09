import type { CloudEvent } from '@flightdeck/events';
import {
  applyUpdate,
  type EntityKind,
  type EntityRecord,
  type FactUpdate,
  type IncidentRecord,
  type ReleaseRecord,
  type RolloutRecord,
} from '../../domain/facts.js';
import {
  isUnattributedIncident,
  namespaceOfPartition,
  namespacePartition,
  UNATTRIBUTED,
  unattributedPartitionOf,
  type PartitionHeader,
} from '../../domain/partitions.js';
import {
  changedRecordOf,
  type ChangeCursor,
  type ChangedRecord,
  type ProjectionRecords,
  type ProjectionStore,
} from '../../application/ports.js';

type Header = PartitionHeader;

/**
 * The projections in memory (all-in-one mode without persistence, and the ingest benchmark); own events are not
 * relayed. Changes are kept as a log for one reader (the history partitions), trimmed as it reads.
 */
export class MemoryProjectionStore implements ProjectionStore {
  private readonly maps: Record<EntityKind, Map<string, EntityRecord<object, unknown>>> = {
    release: new Map(),
    rollout: new Map(),
    incident: new Map(),
  };
  private readonly rolloutsByRelease = new Map<string, Set<string>>();
  private log: ChangedRecord[] = [];
  /** Position of log[0] among all changes ever made, and the position after which everything may differ (a clear). */
  private logStart = 0;
  private clearedAt = -1;

  async apply(u: FactUpdate, _outbox?: CloudEvent[]): Promise<void> {
    this.applySync(u);
  }

  applySync(u: FactUpdate): void {
    const map = this.maps[u.entity];
    const record = applyUpdate(map.get(u.id), u.id, u.header as object, u.key, u.fact);
    map.set(u.id, record);
    this.log.push(changedRecordOf(u.entity, u.id, record.header as Record<string, unknown>));
    if (u.entity === 'rollout' && u.header.releaseId) {
      const set = this.rolloutsByRelease.get(u.header.releaseId) ?? new Set();
      set.add(u.id);
      this.rolloutsByRelease.set(u.header.releaseId, set);
    }
  }

  async changesSince(
    cursor: ChangeCursor | undefined,
  ): Promise<{ cursor: ChangeCursor; changes: ChangedRecord[]; everything?: boolean }> {
    const end = this.logStart + this.log.length;
    if (cursor === undefined) return { cursor: end, changes: [] };
    const from = cursor as number;
    const everything = from <= this.clearedAt || from < this.logStart;
    const changes = this.log.slice(Math.max(0, from - this.logStart));
    this.log = [];
    this.logStart = end;
    return { cursor: end, changes, ...(everything ? { everything } : {}) };
  }

  async load(product?: string): Promise<ProjectionRecords> {
    const releases = [...this.maps.release.values()].filter(
      (r) => !product || (r.header as Header).product === product,
    ) as ReleaseRecord[];
    const rollouts = product
      ? releases.flatMap((r) => [...(this.rolloutsByRelease.get(r.id) ?? [])].map((id) => this.maps.rollout.get(id)!))
      : [...this.maps.rollout.values()];
    const workloads = new Set(rollouts.map((r) => (r.header as Header).workload));
    const rolloutIds = new Set(rollouts.map((r) => r.id));
    const incidents = [...this.maps.incident.values()].filter((i) => {
      const h = i.header as Header;
      return (
        !product ||
        h.product === product ||
        workloads.has(h.workload) ||
        (h.rolloutId !== undefined && rolloutIds.has(h.rolloutId))
      );
    });
    return { releases, rollouts: rollouts as RolloutRecord[], incidents: incidents as IncidentRecord[] };
  }

  /** Releases that carry a product. */
  private attributedReleases(): Set<string> {
    return new Set([...this.maps.release.values()].filter((r) => (r.header as Header).product).map((r) => r.id));
  }

  async loadUnattributed(namespace?: string): Promise<ProjectionRecords> {
    const attributed = this.attributedReleases();
    const all = [...this.maps.rollout.values()];
    const attributedRollouts = all.filter((r) => attributed.has((r.header as Header).releaseId ?? ''));
    const rolloutIds = new Set(attributedRollouts.map((r) => r.id));
    const workloads = new Set(attributedRollouts.map((r) => (r.header as Header).workload));
    const here = (h: Header) =>
      unattributedPartitionOf(h) === (namespace === undefined ? UNATTRIBUTED : namespacePartition(namespace));
    const releases =
      namespace === undefined
        ? ([...this.maps.release.values()].filter((r) => !attributed.has(r.id)) as ReleaseRecord[])
        : [];
    const rollouts = all.filter((r) => !rolloutIds.has(r.id) && here(r.header as Header)) as RolloutRecord[];
    const incidents = [...this.maps.incident.values()].filter((i) => {
      const h = i.header as Header;
      return (
        here(h) && isUnattributedIncident(h, { rollout: (id) => rolloutIds.has(id), workload: (w) => workloads.has(w) })
      );
    }) as IncidentRecord[];
    return { releases, rollouts, incidents };
  }

  async unattributedNamespaces(deployedByAProduct: (workload: string) => boolean): Promise<string[]> {
    const attributed = this.attributedReleases();
    const headers = [
      ...[...this.maps.rollout.values()]
        .map((r) => r.header as Header)
        .filter((h) => !attributed.has(h.releaseId ?? '')),
      ...[...this.maps.incident.values()]
        .map((i) => i.header as Header)
        .filter((h) => !h.product && !(h.workload && deployedByAProduct(h.workload))),
    ];
    return [
      ...new Set(
        headers
          .map((h) => namespaceOfPartition(unattributedPartitionOf(h)))
          .filter((n): n is string => n !== undefined),
      ),
    ].sort();
  }

  async release(id: string) {
    return this.maps.release.get(id) as ReleaseRecord | undefined;
  }

  async incident(id: string) {
    return this.maps.incident.get(id) as IncidentRecord | undefined;
  }

  async products(): Promise<string[]> {
    return [
      ...new Set(
        [...this.maps.release.values()].map((r) => (r.header as Header).product).filter((p): p is string => !!p),
      ),
    ].sort();
  }

  async clear(): Promise<void> {
    for (const m of Object.values(this.maps)) m.clear();
    this.rolloutsByRelease.clear();
    this.clearedAt = this.logStart + this.log.length;
  }

  size(): Record<EntityKind, number> {
    return { release: this.maps.release.size, rollout: this.maps.rollout.size, incident: this.maps.incident.size };
  }
}
