import type { CloudEvent } from '@flightdeck/events';
import { applyUpdate, type EntityKind, type EntityRecord, type FactUpdate, type IncidentRecord, type ReleaseRecord, type RolloutRecord } from '../../domain/facts.js';
import type { ProjectionRecords, ProjectionStore } from '../../application/ports.js';

/** The projections in memory (all-in-one mode without persistence, and the ingest benchmark); own events are not relayed. */
export class MemoryProjectionStore implements ProjectionStore {
  private readonly maps: Record<EntityKind, Map<string, EntityRecord<object, unknown>>> = { release: new Map(), rollout: new Map(), incident: new Map() };
  private readonly rolloutsByRelease = new Map<string, Set<string>>();

  async apply(u: FactUpdate, _outbox?: CloudEvent[]): Promise<void> {
    this.applySync(u);
  }

  private changes = 0;

  revision(): number {
    return this.changes;
  }

  applySync(u: FactUpdate): void {
    this.changes++;
    const map = this.maps[u.entity];
    map.set(u.id, applyUpdate(map.get(u.id), u.id, u.header as object, u.key, u.fact));
    if (u.entity === 'rollout' && u.header.releaseId) {
      const set = this.rolloutsByRelease.get(u.header.releaseId) ?? new Set();
      set.add(u.id);
      this.rolloutsByRelease.set(u.header.releaseId, set);
    }
  }

  async load(product?: string): Promise<ProjectionRecords> {
    const releases = [...this.maps.release.values()].filter((r) => !product || (r.header as { product?: string }).product === product) as ReleaseRecord[];
    const rollouts = product
      ? releases.flatMap((r) => [...(this.rolloutsByRelease.get(r.id) ?? [])].map((id) => this.maps.rollout.get(id)!))
      : [...this.maps.rollout.values()];
    const workloads = new Set(rollouts.map((r) => (r.header as { workload?: string }).workload));
    const incidents = [...this.maps.incident.values()].filter((i) => {
      const h = i.header as { product?: string; workload?: string };
      return !product || h.product === product || workloads.has(h.workload);
    });
    return { releases, rollouts: rollouts as RolloutRecord[], incidents: incidents as IncidentRecord[] };
  }

  async release(id: string) {
    return this.maps.release.get(id) as ReleaseRecord | undefined;
  }

  async incident(id: string) {
    return this.maps.incident.get(id) as IncidentRecord | undefined;
  }

  async products(): Promise<string[]> {
    return [...new Set([...this.maps.release.values()].map((r) => (r.header as { product?: string }).product).filter((p): p is string => !!p))].sort();
  }

  async clear(): Promise<void> {
    for (const m of Object.values(this.maps)) m.clear();
    this.rolloutsByRelease.clear();
    this.changes++;
  }

  size(): Record<EntityKind, number> {
    return { release: this.maps.release.size, rollout: this.maps.rollout.size, incident: this.maps.incident.size };
  }
}
