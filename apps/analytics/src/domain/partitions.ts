import { groupBy, type History, type Incident, type Release, type Rollout } from './history.js';

/**
 * The projections are partitioned by product: every join the metrics make (a rollout and its release, an incident
 * and the rollout live on its workload, a hotfix and the rollouts it fixed) stays inside one product, so a product's
 * history can be rebuilt alone when its facts change. Records of no known product form one more partition.
 */
export const UNATTRIBUTED = '';

type Header = { product?: string; releaseId?: string; workload?: string; rolloutId?: string };

/**
 * An incident belongs to the records of no known product when it names no product and is neither linked to a rollout
 * of a known product nor on a workload one of them deployed.
 */
export function isUnattributedIncident(header: Header, attributed: { rollout(id: string): boolean; workload(name: string): boolean }): boolean {
  if (header.product) return false;
  if (header.rolloutId && attributed.rollout(header.rolloutId)) return false;
  return !(header.workload && attributed.workload(header.workload));
}

export const emptyHistory = (): History => ({ releases: new Map(), rollouts: [], incidents: [], index: { rolloutsByRelease: new Map(), rolloutsByWorkload: new Map(), incidentsByRollout: new Map() } });

/** The histories of several partitions as one (an incident on a workload shared by two partitions appears once). */
export function mergeHistories(histories: readonly History[]): History {
  if (histories.length === 1) return histories[0]!;
  const releases = new Map<string, Release>();
  const rollouts = new Map<string, Rollout>();
  const incidents = new Map<string, Incident>();
  for (const h of histories) {
    for (const [id, r] of h.releases) releases.set(id, r);
    for (const r of h.rollouts) rollouts.set(r.id, r);
    for (const i of h.incidents) if (!incidents.has(i.id) || i.rolloutId) incidents.set(i.id, i);
  }
  const allRollouts = [...rollouts.values()];
  const allIncidents = [...incidents.values()];
  return {
    releases,
    rollouts: allRollouts,
    incidents: allIncidents,
    index: {
      rolloutsByRelease: groupBy(allRollouts, (r) => r.releaseId),
      rolloutsByWorkload: groupBy(allRollouts, (r) => r.workload),
      incidentsByRollout: groupBy(allIncidents, (i) => i.rolloutId),
    },
  };
}
