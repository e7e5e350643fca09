import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import type { BehaviourMap } from '@flightdeck/workload-sim';
import { parseManifests, type Manifest } from '@flightdeck/deploy/test/objects';
import { chartDir, helmOk, repoRoot } from '@flightdeck/helm-chart/test/helm';
import { readAudit, serviceAccountKubeconfig, startKubeLocal, type AuditEvent } from '@flightdeck/kube-local';
import { startKubeSim } from '@flightdeck/kube-sim';
import { startPrometheus, type PrometheusHandle } from '@flightdeck/testing';

const run = promisify(execFile);

/** The two clusters the integration suite runs against: one vitest project each (vitest.config.ts). */
export type ClusterKind = 'kube-sim' | 'kube-local';

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterKind;
  }
}

/** The cluster of this vitest project. */
export const clusterKind = (): ClusterKind => inject('cluster');

/**
 * Where the deployment service's permissions come from on kube-local: the Helm chart's Roles (rendered by the real
 * helm) or the kustomize base's deploy/manifests/deployment-rbac.yaml. Both grant the same rules (helm/test/rbac.test.ts).
 */
export type RbacSource = 'helm' | 'kustomize';

/** Namespace of the workloads, the service's account and its Lease. */
export const NAMESPACE = 'default';

export interface Cluster {
  kind: ClusterKind;
  /** An administrator's kubeconfig: what tests look and set up with. */
  adminKubeconfig: string;
  /**
   * What the service signs in with: on kube-local a token of the ServiceAccount the RBAC source makes, bound to
   * its Roles and nothing else; kube-sim authorises nothing, so there it is the administrator's.
   */
  serviceKubeconfig: string;
  /** The service's KubeConfig (from serviceKubeconfig). */
  kc: KubeConfig;
  /** Deployments, as the administrator. */
  apps: AppsV1Api;
  metricsUrl: string;
  prom: PrometheusHandle;
  /** kube-local: the API server's audit log of what service accounts did (readAudit). */
  auditLogPath?: string;
  /** kube-local: the objects that gave the service its permissions, as applied. */
  rbac?: Manifest[];
  /** Applies objects as the administrator with server-side apply (kubectl) as `fieldManager`, in NAMESPACE unless they say. */
  apply(objects: Manifest[], fieldManager?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  behaviours: BehaviourMap;
  rbac?: RbacSource;
  /** Keep the same RBAC objects but change them first (take a verb away, say). */
  editRbac?: (objects: Manifest[]) => Manifest[];
}

/** The ServiceAccount, Roles and RoleBindings the deployment service gets from `source`, for NAMESPACE. */
export async function rbacObjects(source: RbacSource): Promise<Manifest[]> {
  if (source === 'helm') {
    const yaml = helmOk([
      'template',
      'flightdeck',
      chartDir,
      '--namespace',
      NAMESPACE,
      '--show-only',
      'templates/rbac.yaml',
    ]);
    return parseManifests(yaml, 'helm template --show-only templates/rbac.yaml');
  }
  const file = join(repoRoot, 'deploy/manifests/deployment-rbac.yaml');
  return parseManifests(await readFile(file, 'utf8'), file);
}

/** kube-sim's clock runs this many times faster than real time. */
const SIM_TIME_SCALE = 20;

/**
 * kube-sim's pods serve SIM_TIME_SCALE simulated seconds of traffic each real second; kube-local's get that many
 * times the requests per second, so Prometheus (which scrapes in real time) sees the same traffic from both.
 */
function realTimeTraffic(behaviours: BehaviourMap): BehaviourMap {
  return Object.fromEntries(
    Object.entries(behaviours).map(([image, b]) => [
      image,
      b.rps === undefined ? b : { ...b, rps: b.rps * SIM_TIME_SCALE },
    ]),
  );
}

/** kubectl as the administrator of a kubeconfig written to `dir`. */
function kubectlFor(dir: string) {
  return async (args: string[], input?: string) => {
    const child = run(
      'kubectl',
      ['--kubeconfig', join(dir, 'admin.kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args],
      { timeout: 60_000 },
    );
    if (input !== undefined) child.child.stdin!.end(input);
    return (await child).stdout;
  };
}

/**
 * A cluster of the project's kind and a real Prometheus scraping its workloads every second (a 1 s scrape and
 * time-out: shorter ones miss scrapes when the machine is busy). kube-sim runs 20× faster than real time;
 * kube-local runs in real time, so its pods start after 1 s.
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const kind = clusterKind();
  const dir = await mkdtemp(join(tmpdir(), `deployment-${kind}-`));
  const kubectl = kubectlFor(dir);
  let stopCluster: () => Promise<void>;
  let adminKubeconfig: string;
  let serviceKubeconfig: string;
  let metricsUrl: string;
  let auditLogPath: string | undefined;
  let rbac: Manifest[] | undefined;
  const apply = async (objects: Manifest[], fieldManager = 'integration-test') => {
    await kubectl(
      ['apply', '--server-side', `--field-manager=${fieldManager}`, '-n', NAMESPACE, '-f', '-'],
      objects.map((o) => JSON.stringify(o)).join('\n'),
    );
  };
  if (kind === 'kube-sim') {
    const sim = await startKubeSim({ timeScale: SIM_TIME_SCALE, podStartSeconds: 2, behaviours: opts.behaviours });
    stopCluster = () => sim.stop();
    adminKubeconfig = serviceKubeconfig = sim.kubeconfig;
    metricsUrl = sim.metricsUrl;
    await writeFile(join(dir, 'admin.kubeconfig'), adminKubeconfig);
  } else {
    const local = await startKubeLocal({
      podStartSeconds: 1,
      behaviours: realTimeTraffic(opts.behaviours),
      auditLog: true,
    });
    stopCluster = () => local.stop();
    adminKubeconfig = local.kubeconfig;
    metricsUrl = local.metricsUrl;
    auditLogPath = local.auditLogPath;
    await writeFile(join(dir, 'admin.kubeconfig'), adminKubeconfig);
    try {
      rbac = (opts.editRbac ?? ((o) => o))(await rbacObjects(opts.rbac ?? 'helm'));
      await apply(rbac);
      const account = rbac.find((o) => o.kind === 'ServiceAccount');
      if (!account) throw new Error(`the ${opts.rbac ?? 'helm'} RBAC objects have no ServiceAccount`);
      serviceKubeconfig = await serviceAccountKubeconfig(local, { namespace: NAMESPACE, name: account.metadata.name });
    } catch (e) {
      await local.stop();
      throw e;
    }
  }
  const prom = await startPrometheus({ scrapeTargets: [metricsUrl], scrapeIntervalSeconds: 1 });
  const kc = new KubeConfig();
  kc.loadFromString(serviceKubeconfig);
  const admin = new KubeConfig();
  admin.loadFromString(adminKubeconfig);
  return {
    kind,
    adminKubeconfig,
    serviceKubeconfig,
    kc,
    apps: admin.makeApiClient(AppsV1Api),
    metricsUrl,
    prom,
    ...(auditLogPath ? { auditLogPath } : {}),
    ...(rbac ? { rbac } : {}),
    apply,
    async stop() {
      await prom.stop();
      await stopCluster();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `group/resource: verb` of every call the service account made (kube-local's audit log), and of those refused. */
export async function callsOf(c: Cluster, account: string): Promise<{ made: Set<string>; refused: AuditEvent[] }> {
  if (!c.auditLogPath) throw new Error(`${c.kind} keeps no audit log`);
  const events = (await readAudit(c.auditLogPath)).filter((e) => e.user.username === account);
  const key = (e: AuditEvent) =>
    `${e.objectRef?.apiGroup ?? ''}/${e.objectRef?.resource}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}: ${e.verb}`;
  return { made: new Set(events.map(key)), refused: events.filter((e) => e.responseStatus?.code === 403) };
}
