/**
 * Where strategic merge patch merges lists by key instead of replacing them: the patchMergeKey tags of the
 * Kubernetes Go types this simulator serves, looked up by field name and the field above it.
 */

const containerLists = new Set(['containers', 'initContainers', 'ephemeralContainers']);

const keyByField: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  conditions: 'type',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
};

/** Lists of strings merged as sets (patchStrategy: merge without a key). */
const primitiveSets = new Set(['metadata.finalizers']);

export type ListStrategy = { kind: 'merge'; key: string } | { kind: 'set' } | { kind: 'replace' };

/** `path` holds the field names from the object's root down to the list, without array positions. */
export function listStrategy(objectKind: string, path: string[]): ListStrategy {
  const field = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  if (primitiveSets.has(path.join('.'))) return { kind: 'set' };
  if (field === 'ports') {
    if (containerLists.has(parent)) return { kind: 'merge', key: 'containerPort' };
    if (objectKind === 'Service' && path.join('.') === 'spec.ports') return { kind: 'merge', key: 'port' };
    return { kind: 'replace' };
  }
  if (field === 'conditions' && parent !== 'status') return { kind: 'replace' };
  const key = keyByField[field];
  return key ? { kind: 'merge', key } : { kind: 'replace' };
}
