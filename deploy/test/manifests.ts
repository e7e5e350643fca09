import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { V1Container, V1Deployment, V1Service } from '@kubernetes/client-node';
import { requireBinary } from '@flightdeck/testing';
import { parseAllDocuments } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const kubectl = requireBinary('kubectl');

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `kubectl kustomize <dir>` (dir relative to the repository root): the YAML text and its objects. */
export function render(dir: string): { yaml: string; objects: Manifest[] } {
  const yaml = execFileSync(kubectl, ['kustomize', dir], { cwd: repoRoot, encoding: 'utf8' });
  const objects = parseAllDocuments(yaml).map((doc) => {
    if (doc.errors.length) throw new Error(`kubectl kustomize ${dir} printed YAML that does not parse: ${doc.errors[0]!.message}`);
    return doc.toJS() as Manifest;
  });
  return { yaml, objects };
}

export function ofKind<T>(objects: Manifest[], kind: string): (Manifest & T)[] {
  return objects.filter((o) => o.kind === kind) as (Manifest & T)[];
}

/** The one Deployment and the one Service labelled with this component. */
export function componentObjects(objects: Manifest[], component: string): { deployment: V1Deployment; service: V1Service; container: V1Container } {
  const labelled = (o: Manifest) => o.metadata.labels?.['app.kubernetes.io/component'] === component;
  const deployments = ofKind<V1Deployment>(objects, 'Deployment').filter(labelled);
  const services = ofKind<V1Service>(objects, 'Service').filter(labelled);
  if (deployments.length !== 1 || services.length !== 1)
    throw new Error(`expected one Deployment and one Service labelled app.kubernetes.io/component=${component}, found ${deployments.length} and ${services.length}`);
  const containers = deployments[0]!.spec?.template.spec?.containers ?? [];
  const container = containers.find((c) => c.name === component);
  if (!container) throw new Error(`Deployment ${deployments[0]!.metadata?.name} has no container named ${component}; it has: ${containers.map((c) => c.name).join(', ')}`);
  return { deployment: deployments[0]!, service: services[0]!, container };
}

export interface EnvSources {
  /** Values of the Secret keys, as the operator creates them. */
  secret: Record<string, string>;
  secretName: string;
  pod: { name: string; namespace: string };
}

/**
 * The environment the kubelet would give this container: literal values, ConfigMap keys of the rendered
 * ConfigMaps, Secret keys from `sources.secret`, pod fields. Throws listing every reference that would not resolve.
 */
export function containerEnv(objects: Manifest[], container: V1Container, sources: EnvSources): Record<string, string> {
  const problems: string[] = [];
  if (container.envFrom?.length) problems.push('envFrom is used: list each variable under env, so that every name can be checked against the config schema');
  const configMaps = new Map(ofKind<{ data?: Record<string, string> }>(objects, 'ConfigMap').map((c) => [c.metadata.name, c.data ?? {}]));
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (!from) env[e.name] = e.value ?? '';
    else if (from.configMapKeyRef) {
      const { name, key, optional } = from.configMapKeyRef;
      const value = configMaps.get(name ?? '')?.[key];
      if (optional !== false) problems.push(`${e.name}: configMapKeyRef must say optional: false, so a missing key stops the pod instead of leaving ${e.name} unset`);
      if (value === undefined) problems.push(`${e.name}: no key ${key} in a rendered ConfigMap named ${name}; rendered: ${[...configMaps.keys()].join(', ')}`);
      else env[e.name] = value;
    } else if (from.secretKeyRef) {
      const { name, key, optional } = from.secretKeyRef;
      if (name !== sources.secretName) problems.push(`${e.name}: secretKeyRef names Secret ${name}; the operator creates ${sources.secretName}`);
      if (optional !== false) problems.push(`${e.name}: secretKeyRef must say optional: false`);
      if (key !== e.name) problems.push(`${e.name}: the Secret key should be the variable name (${e.name}), not ${key}`);
      if (!(key in sources.secret)) problems.push(`${e.name}: the operator's Secret has no key ${key}; it has: ${Object.keys(sources.secret).join(', ')}`);
      else env[e.name] = sources.secret[key]!;
    } else if (from.fieldRef?.fieldPath === 'metadata.name') env[e.name] = sources.pod.name;
    else if (from.fieldRef?.fieldPath === 'metadata.namespace') env[e.name] = sources.pod.namespace;
    else problems.push(`${e.name}: a valueFrom this check does not resolve (${JSON.stringify(from)})`);
  }
  if (problems.length) throw new Error(`container ${container.name}:\n  ${problems.join('\n  ')}`);
  return env;
}

/** The container port a probe or Service targets, by number or by name. */
export function portNumber(container: V1Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}
