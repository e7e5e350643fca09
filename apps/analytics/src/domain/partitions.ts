import { groupBy, type History, type Incident, type Release, type Rollout } from './history.js';

/**
 * The projections are partitioned by product: every join the metrics make (a rollout and its release, an incident
 * and the rollout live on its workload, a hotfix and the rollouts it fixed) stays inside one product, so a product's
 * history can be rebuilt alone when its facts change. Rollouts of releases that name no product (deployment used
 * without planning, or a release whose planning event has not arrived) are partitioned by their namespace, since
 * their joins (incidents, the rollout that fixed one failed in place) are by workload; what names neither a product
 * nor a namespace is one more partition, UNATTRIBUTED.
 */
export const UNATTRIBUTED = '';

const NAMESPACE_MARK = '\u0000';

/** The partition of a namespace's rollouts (and incidents) that belong to no known product. */
export const namespacePartition = (namespace: string): string => `${NAMESPACE_MARK}${namespace}`;

export const isProductPartition = (key: string): boolean => key !== UNATTRIBUTED && !key.startsWith(NAMESPACE_MARK);

/** The namespace of a namespace partition; undefined for a product's partition and for UNATTRIBUTED. */
export const namespaceOfPartition = (key: string): string | undefined =>
  key.startsWith(NAMESPACE_MARK) ? key.slice(NAMESPACE_MARK.length) : undefined;

/** The header fields a record's partition is decided by. */
export type PartitionHeader = {
  product?: string;
  releaseId?: string;
  workload?: string;
  rolloutId?: string;
  team?: string;
};

/** The partition of a record of no known product: its namespace's (the rollout's team, or the workload's namespace), else UNATTRIBUTED. */
export function unattributedPartitionOf(header: PartitionHeader): string {
  const namespace = header.team ?? (header.workload?.includes('/') ? header.workload.split('/')[0] : undefined);
  return namespace ? namespacePartition(namespace) : UNATTRIBUTED;
}

/**
 * An incident belongs to the records of no known product when it names no product and is neither linked to a rollout
 * of a known product nor on a workload one of them deployed.
 */
export function isUnattributedIncident(
  header: PartitionHeader,
  attributed: { rollout(id: string): boolean; workload(name: string): boolean },
): boolean {
  if (header.product) return false;
  if (header.rolloutId && attributed.rollout(header.rolloutId)) return false;
  return !(header.workload && attributed.workload(header.workload));
}

export const emptyHistory = (): History => ({
  releases: new Map(),
  rollouts: [],
  incidents: [],
  index: { rolloutsByRelease: new Map(), rolloutsByWorkload: new Map(), incidentsByRollout: new Map() },
});

/** The incidents of several partitions, each once (one on a workload two partitions share: as linked to a rollout, if either links it). */
export function mergeIncidents(histories: readonly History[]): Incident[] {
  const incidents = new Map<string, Incident>();
  for (const h of histories)
    for (const i of h.incidents) if (!incidents.has(i.id) || i.rolloutId) incidents.set(i.id, i);
  return [...incidents.values()];
}

/** The histories of several partitions as one (an incident on a workload shared by two partitions appears once). */
export function mergeHistories(histories: readonly History[]): History {
  if (histories.length === 1) return histories[0]!;
  const releases = new Map<string, Release>();
  const rollouts = new Map<string, Rollout>();
  for (const h of histories) {
    for (const [id, r] of h.releases) releases.set(id, r);
    for (const r of h.rollouts) rollouts.set(r.id, r);
  }
  const allRollouts = [...rollouts.values()];
  const allIncidents = mergeIncidents(histories);
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
