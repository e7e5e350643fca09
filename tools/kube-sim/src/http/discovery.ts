import { createHash } from 'node:crypto';
import { groupVersion, type KindDefinition } from '../kinds/kind.js';
import type { KindRegistry } from '../kinds/registry.js';

/** The discovery documents kubectl and client libraries read before anything else. */

export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kube-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersions(address: string) {
  return {
    kind: 'APIVersions',
    apiVersion: 'v1',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }],
  };
}

function apiGroup(registry: KindRegistry, group: string) {
  const versions = registry
    .groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(registry: KindRegistry) {
  const groups = [...new Set(registry.groupVersions().map((gv) => gv.group))].filter((g) => g !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((g) => ({ ...apiGroup(registry, g), kind: undefined, apiVersion: undefined })),
  };
}

export function apiGroupDoc(registry: KindRegistry, group: string) {
  return registry.groupVersions().some((gv) => gv.group === group) ? apiGroup(registry, group) : undefined;
}

function resourcesOf(def: KindDefinition) {
  const main = {
    name: def.plural,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: def.kind === 'Namespace' ? allVerbs.filter((v) => v !== 'deletecollection') : allVerbs,
    ...(def.shortNames ? { shortNames: def.shortNames } : {}),
    ...(def.categories ? { categories: def.categories } : {}),
    storageVersionHash: createHash('sha256')
      .update(`${groupVersion(def)}/${def.kind}`)
      .digest('base64')
      .slice(0, 11),
  };
  const out: Record<string, unknown>[] = [main];
  if (def.statusSubresource)
    out.push({
      name: `${def.plural}/status`,
      singularName: '',
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: ['get', 'patch', 'update'],
    });
  if (def.scaleSubresource)
    out.push({
      name: `${def.plural}/scale`,
      singularName: '',
      namespaced: def.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  return out;
}

export function apiResourceList(registry: KindRegistry, group: string, version: string) {
  const defs = registry.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: defs.flatMap(resourcesOf),
  };
}

/**
 * OpenAPI v3: just the paths with their PATCH operations and the `fieldValidation` parameter, which is what
 * kubectl looks for to validate on the server (so `kubectl apply` needs no `--validate=false`).
 */
function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiV3Index(registry: KindRegistry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of registry.groupVersions()) {
    const p = gvPath(gv.group, gv.version);
    paths[p] = {
      serverRelativeURL: `/openapi/v3/${p}?hash=${createHash('sha256').update(p).digest('hex').slice(0, 16)}`,
    };
  }
  return { paths };
}

const queryParameters = ['dryRun', 'fieldManager', 'fieldValidation', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

export function openApiV3GroupVersion(registry: KindRegistry, path: string) {
  const gv = registry.groupVersions().find((g) => gvPath(g.group, g.version) === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const def of registry.inGroupVersion(gv.group, gv.version)) {
    const base = `/${path}${def.namespaced ? '/namespaces/{namespace}' : ''}/${def.plural}`;
    const gvk = { group: def.group, version: def.version, kind: def.kind };
    const op = (action: string) => ({
      operationId: `${action}${def.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: queryParameters,
      responses: { '200': { description: 'OK' } },
    });
    paths[base] = { get: op('list'), post: op('post') };
    paths[`${base}/{name}`] = { get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion.gitVersion },
    paths,
    components: { schemas: {} },
  };
}
