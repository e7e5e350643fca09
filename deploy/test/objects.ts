import type { V1Container, V1Deployment, V1Role, V1RoleBinding, V1Service } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

// Reading rendered Kubernetes objects, whatever rendered them (kubectl kustomize here, helm template in helm/test).

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The objects of a multi-document YAML stream (empty documents dropped); `source` names it in errors. */
export function parseManifests(yaml: string, source: string): Manifest[] {
  return parseAllDocuments(yaml).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`${source} printed YAML that does not parse: ${doc.errors[0]!.message}`);
    const object = doc.toJS() as Manifest | null;
    return object ? [object] : [];
  });
}

export function ofKind<T>(objects: Manifest[], kind: string): (Manifest & T)[] {
  return objects.filter((o) => o.kind === kind) as (Manifest & T)[];
}

/** The one Deployment and the one Service labelled with this component. */
export function componentObjects(
  objects: Manifest[],
  component: string,
): { deployment: V1Deployment; service: V1Service; container: V1Container } {
  const labelled = (o: Manifest) => o.metadata.labels?.['app.kubernetes.io/component'] === component;
  const deployments = ofKind<V1Deployment>(objects, 'Deployment').filter(labelled);
  const services = ofKind<V1Service>(objects, 'Service').filter(labelled);
  if (deployments.length !== 1 || services.length !== 1)
    throw new Error(
      `expected one Deployment and one Service labelled app.kubernetes.io/component=${component}, found ${deployments.length} and ${services.length}`,
    );
  const containers = deployments[0]!.spec?.template.spec?.containers ?? [];
  const container = containers.find((c) => c.name === component);
  if (!container)
    throw new Error(
      `Deployment ${deployments[0]!.metadata?.name} has no container named ${component}; it has: ${containers.map((c) => c.name).join(', ')}`,
    );
  return { deployment: deployments[0]!, service: services[0]!, container };
}

export interface EnvSources {
  /** The Secrets the operator creates, by name, with their keys and values (Secrets among the objects are read from them). */
  secrets: Record<string, Record<string, string>>;
  /** Secrets whose keys are named after the variable they fill (flightdeck-secrets: key AUTH_JWT_SECRET fills AUTH_JWT_SECRET). */
  keyIsVariable: string[];
  pod: { name: string; namespace: string };
}

function renderedSecrets(objects: Manifest[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const s of ofKind<{ data?: Record<string, string>; stringData?: Record<string, string> }>(objects, 'Secret')) {
    const data = Object.fromEntries(
      Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
    );
    out[s.metadata.name] = { ...data, ...s.stringData };
  }
  return out;
}

/**
 * Secret keys a manifest may mark optional (the pod then starts without them, the variable unset), each with why: a
 * key added after the first release would otherwise stop the pods of every install whose Secret predates it.
 */
export const OPTIONAL_SECRET_KEYS: Readonly<Record<string, string>> = {
  NOTIFY_SMTP_URL: 'e-mail notifications are off without it, and Secrets created before it existed lack it',
};

/**
 * The environment the kubelet would give this container: literal values, ConfigMap keys of the rendered
 * ConfigMaps, Secret keys of the rendered Secrets and of `sources.secrets`, pod fields. Throws listing every
 * reference that would not resolve.
 */
export function containerEnv(objects: Manifest[], container: V1Container, sources: EnvSources): Record<string, string> {
  const problems: string[] = [];
  if (container.envFrom?.length)
    problems.push(
      'envFrom is used: list each variable under env, so that every name can be checked against the config schema',
    );
  const configMaps = new Map(
    ofKind<{ data?: Record<string, string> }>(objects, 'ConfigMap').map((c) => [c.metadata.name, c.data ?? {}]),
  );
  const secrets = { ...renderedSecrets(objects), ...sources.secrets };
  const env: Record<string, string> = {};
  const names = (container.env ?? []).map((e) => e.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length) problems.push(`set more than once: ${repeated.join(', ')} (the kubelet keeps only the last)`);
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (!from) env[e.name] = e.value ?? '';
    else if (from.configMapKeyRef) {
      const { name, key, optional } = from.configMapKeyRef;
      const value = configMaps.get(name ?? '')?.[key];
      if (optional !== false)
        problems.push(
          `${e.name}: configMapKeyRef must say optional: false, so a missing key stops the pod instead of leaving ${e.name} unset`,
        );
      if (value === undefined)
        problems.push(
          `${e.name}: no key ${key} in a rendered ConfigMap named ${name}; rendered: ${[...configMaps.keys()].join(', ')}`,
        );
      else env[e.name] = value;
    } else if (from.secretKeyRef) {
      const { name = '', key, optional } = from.secretKeyRef;
      const secret = secrets[name];
      const mayBeMissing = OPTIONAL_SECRET_KEYS[key];
      if (optional !== false && !(optional === true && mayBeMissing))
        problems.push(
          `${e.name}: secretKeyRef must say optional: false${mayBeMissing ? ` (or true: ${mayBeMissing})` : ''}`,
        );
      if (sources.keyIsVariable.includes(name) && key !== e.name)
        problems.push(`${e.name}: the key in Secret ${name} should be the variable name (${e.name}), not ${key}`);
      if (!secret)
        problems.push(
          `${e.name}: secretKeyRef names Secret ${name}, which is neither rendered nor created by the operator (${Object.keys(secrets).join(', ')})`,
        );
      else if (key in secret) env[e.name] = secret[key]!;
      else if (optional !== true)
        problems.push(`${e.name}: Secret ${name} has no key ${key}; it has: ${Object.keys(secret).join(', ')}`);
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

/**
 * `group/resource: verb` granted to a ServiceAccount in one namespace by the rendered Roles and RoleBindings
 * (a RoleBinding's namespace is the object's, or `defaultNamespace` when the renderer leaves it unset).
 */
export function grantedPermissions(
  objects: Manifest[],
  account: { name: string; namespace: string },
  namespace: string,
  defaultNamespace = namespace,
): Set<string> {
  const inNamespace = (o: Manifest) => (o.metadata.namespace ?? defaultNamespace) === namespace;
  const bindings = ofKind<V1RoleBinding>(objects, 'RoleBinding')
    .filter(inNamespace)
    .filter((b) =>
      b.subjects?.some(
        (s) =>
          s.kind === 'ServiceAccount' &&
          s.name === account.name &&
          (s.namespace ?? defaultNamespace) === account.namespace,
      ),
    );
  const granted = new Set<string>();
  for (const b of bindings) {
    if (b.roleRef.kind !== 'Role')
      throw new Error(
        `RoleBinding ${b.metadata.name} binds a ${b.roleRef.kind}: the deployment service gets namespaced Roles only`,
      );
    const role = ofKind<V1Role>(objects, 'Role').find((r) => r.metadata.name === b.roleRef.name && inNamespace(r));
    if (!role)
      throw new Error(
        `RoleBinding ${b.metadata.name} in ${namespace} refers to Role ${b.roleRef.name}, which is not rendered in ${namespace}`,
      );
    for (const rule of role.rules ?? [])
      for (const g of rule.apiGroups ?? [])
        for (const r of rule.resources ?? []) for (const v of rule.verbs) granted.add(`${g}/${r}: ${v}`);
  }
  return granted;
}
