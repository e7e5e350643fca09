import { deployments, replicasets } from './apps.js';
import { leases } from './coordination.js';
import { configmaps, events, namespaces, pods, secrets, serviceaccounts, services } from './core.js';
import { groupVersion, type KindDefinition } from './kind.js';
import { rolebindings, roles } from './rbac.js';

/** The kinds this simulator serves, looked up by group version and plural (or by kind for owner references). */
export class KindRegistry {
  readonly all: KindDefinition[] = [
    namespaces,
    pods,
    services,
    configmaps,
    secrets,
    serviceaccounts,
    events,
    deployments,
    replicasets,
    leases,
    roles,
    rolebindings,
  ];

  byResource(group: string, version: string, plural: string): KindDefinition | undefined {
    return this.all.find((k) => k.group === group && k.version === version && k.plural === plural);
  }

  byKind(apiVersion: string, kind: string): KindDefinition | undefined {
    return this.all.find((k) => groupVersion(k) === apiVersion && k.kind === kind);
  }

  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const k of this.all) seen.set(groupVersion(k), { group: k.group, version: k.version });
    return [...seen.values()];
  }

  inGroupVersion(group: string, version: string): KindDefinition[] {
    return this.all.filter((k) => k.group === group && k.version === version);
  }
}

export const kinds = {
  namespaces,
  pods,
  services,
  configmaps,
  secrets,
  serviceaccounts,
  events,
  deployments,
  replicasets,
  leases,
  roles,
  rolebindings,
};
