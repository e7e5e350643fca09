import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeLocal } from '@flightdeck/kube-local';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { Manifest } from '@flightdeck/deploy/test/objects';
import { helmAsync, type HelmResult } from './helm.js';
import { eventually } from '@flightdeck/testing';

// A real Kubernetes API server for installing the chart: tools/kube-local (kube-apiserver 1.36 with RBAC and Pod
// Security admission, its controllers, kwok's fake nodes making pods Running and Ready), driven by the real helm
// and kubectl. No container runs: kwok only plays the pods' status.

export interface Cluster {
  kubeconfigFile: string;
  /** kubectl against the cluster; never throws on a non-zero exit. */
  kubectl(args: string[], input?: string): Promise<HelmResult>;
  /** kubectl, throwing with what it said when it fails. */
  kubectlOk(args: string[], input?: string): Promise<string>;
  /** helm against the cluster; never throws on a non-zero exit. */
  helm(args: string[]): Promise<HelmResult>;
  helmOk(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20, env },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? '');
  });
}

function ok(what: string, r: HelmResult): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Starts kube-local (tools/kube-local/bin must be built: nx builds it before these tests). */
export async function startCluster(): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-helm-install-'));
  const kubeconfigFile = join(dir, 'kubeconfig');
  const local = await startKubeLocal({ kubeconfigPath: kubeconfigFile });
  const env = { ...process.env, KUBECONFIG: kubeconfigFile };
  const kubectl = (args: string[], input?: string) => run('kubectl', args, env, input);
  const helm = (args: string[]) => helmAsync(args, { env: { KUBECONFIG: kubeconfigFile } });
  return {
    kubeconfigFile,
    kubectl,
    kubectlOk: async (args, input) => ok(`kubectl ${args.join(' ')}`, await kubectl(args, input)),
    helm,
    helmOk: async (args) => ok(`helm ${args.join(' ')}`, await helm(args)),
    async stop() {
      await local.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The Pod Security Standard "restricted", enforced (pods that break it are refused), warned about and audited. */
export const restrictedLabels = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
};

/** Creates (or updates) namespaces with these labels. */
export async function applyNamespaces(
  cluster: Cluster,
  names: string[],
  labels: Record<string, string>,
): Promise<void> {
  const docs = names.map((name) => stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }));
  await cluster.kubectlOk(['apply', '-f', '-'], docs.join('---\n'));
}

/** Opaque Secrets made by the operator before installing, by name, with their keys and values. */
export async function createSecrets(
  cluster: Cluster,
  namespace: string,
  secrets: Record<string, Record<string, string>>,
): Promise<void> {
  const docs = Object.entries(secrets).map(([name, stringData]) =>
    stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', stringData }),
  );
  if (docs.length) await cluster.kubectlOk(['apply', '-f', '-'], docs.join('---\n'));
}

let namespacedKinds: Promise<string[]> | undefined;

/**
 * `kind/name` of every object in the namespace, of every namespaced kind the API server serves and lists
 * (`kubectl api-resources --namespaced --verbs=list`), but Events: records of what happened to objects, kept
 * for their time to live (an hour) after the objects are gone.
 */
export async function namespaceContents(cluster: Cluster, namespace: string): Promise<string[]> {
  namespacedKinds ??= cluster
    .kubectlOk(['api-resources', '--namespaced', '--verbs=list', '-o', 'name'])
    .then((out) => out.split('\n').filter((k) => k && k !== 'events' && k !== 'events.events.k8s.io'));
  const kinds = await namespacedKinds;
  const list = JSON.parse(await cluster.kubectlOk(['get', kinds.join(','), '-n', namespace, '-o', 'json'])) as {
    items: Manifest[];
  };
  return list.items
    .map(
      (o) =>
        `${o.kind}/${o.metadata.name}${(o.metadata as { deletionTimestamp?: string }).deletionTimestamp ? ' (being deleted)' : ''}`,
    )
    .sort();
}

/** The objects of this manifest as the API server has them now; those it does not have are left out. */
export async function liveObjects(cluster: Cluster, manifest: Manifest[], namespace: string): Promise<Manifest[]> {
  if (!manifest.length) return [];
  // Each object names its namespace (helm leaves the release namespace out): kubectl refuses -n with objects of others.
  const named = manifest.map((o) =>
    stringify({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace } }),
  );
  const out = await cluster.kubectlOk(['get', '-f', '-', '--ignore-not-found', '-o', 'json'], named.join('---\n'));
  if (!out.trim()) return [];
  const parsed = JSON.parse(out) as Manifest & { items?: Manifest[] };
  return parsed.kind === 'List' ? (parsed.items ?? []) : [parsed];
}

export const key = (o: Manifest, namespace: string) =>
  `${o.kind} ${o.metadata.namespace ?? namespace}/${o.metadata.name}`;

/** Each Deployment of the release and whether its rollout is complete: every pod of the newest template Ready, no other pod left. */
export async function rollouts(cluster: Cluster, namespace: string, release: string): Promise<Record<string, string>> {
  const get = async <T>(kind: string) =>
    (
      JSON.parse(
        await cluster.kubectlOk([
          'get',
          kind,
          '-n',
          namespace,
          '-l',
          `app.kubernetes.io/instance=${release}`,
          '-o',
          'json',
        ]),
      ) as { items: T[] }
    ).items;
  const [deployments, pods] = await Promise.all([get<V1Deployment>('deployments'), get<V1Pod>('pods')]);
  const out: Record<string, string> = {};
  for (const d of deployments) {
    const selector = Object.entries(d.spec!.selector.matchLabels!);
    const own = pods.filter((p) => selector.every(([k, v]) => p.metadata?.labels?.[k] === v));
    const ready = own.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const s = d.status ?? {};
    const current =
      (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) &&
      s.updatedReplicas === d.spec!.replicas &&
      s.availableReplicas === d.spec!.replicas;
    out[d.metadata!.name!] =
      `${ready.length}/${own.length} pods Ready of ${d.spec!.replicas}${current ? '' : ', rollout not complete'}`;
  }
  return out;
}

/**
 * What RBAC lets a user do in a namespace, from `kubectl auth can-i --list` (the API server's
 * SelfSubjectRulesReview, impersonating the user), as `group/resource: verb` (`/secrets: get` for the core group).
 */
export async function grants(cluster: Cluster, user: string, namespace: string): Promise<Set<string>> {
  const out = await cluster.kubectlOk(['auth', 'can-i', '--list', '-n', namespace, '--as', user]);
  const granted = new Set<string>();
  for (const line of out.split('\n').slice(1)) {
    const m = /^(\S+)\s+\[\]\s+\[([^\]]*)\]\s+\[([^\]]*)\]$/.exec(line.trim());
    if (!m) continue; // non-resource URLs
    const [resource, ...group] = m[1]!.split('.');
    const names = m[2] ? `[${m[2]}]` : '';
    for (const verb of m[3]!.split(' ')) granted.add(`${group.join('.')}/${resource}${names}: ${verb}`);
  }
  return granted;
}

/** `kubectl auth can-i VERB RESOURCE[/SUBRESOURCE]` as the user, in a namespace or all of them: the API server's answer. */
export async function canI(
  cluster: Cluster,
  user: string,
  verb: string,
  resource: string,
  namespace?: string,
): Promise<'yes' | 'no'> {
  // `deployments.apps/scale` would ask about the Deployment named scale: a subresource goes in its own flag.
  const [what, subresource] = resource.split('/');
  const r = await cluster.kubectl([
    'auth',
    'can-i',
    verb,
    what!,
    ...(subresource ? ['--subresource', subresource] : []),
    '--as',
    user,
    ...(namespace ? ['-n', namespace] : ['--all-namespaces']),
  ]);
  const answer = r.stdout.trim();
  if (answer !== 'yes' && answer !== 'no')
    throw new Error(
      `kubectl auth can-i ${verb} ${resource} answered neither yes nor no (exit ${r.status}): ${r.stderr}${r.stdout}`,
    );
  return answer;
}

export { eventually };
