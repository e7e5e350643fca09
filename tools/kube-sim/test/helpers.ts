import { AppsV1Api, CoordinationV1Api, CoreV1Api, KubeConfig, Watch, type V1Deployment } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim, type KubeSimOptions } from '../src/index.js';

export interface Cluster {
  sim: KubeSim;
  kc: KubeConfig;
  apps: AppsV1Api;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
}

/** A simulator running 50× faster than real time, and clients for it built from its kubeconfig. */
export async function startCluster(opts: KubeSimOptions = {}): Promise<Cluster> {
  const sim = await startKubeSim({ timeScale: 50, podStartSeconds: 2, ...opts });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  return {
    sim,
    kc,
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
  };
}

export function deployment(
  name: string,
  image: string,
  extra: { replicas?: number; spec?: Record<string, unknown>; labels?: Record<string, string> } = {},
): V1Deployment {
  const labels = extra.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: extra.replicas ?? 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }] },
      },
      ...extra.spec,
    },
  };
}

/** kubectl's definition of a finished rollout, read from a deployment. */
export function rolloutComplete(d: V1Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (
    (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want
  );
}

/**
 * Watches one deployment (as `kubectl rollout status` does) until `done` says so; returns the deployment it saw last.
 * A server's `name`, where it has one, starts the timeout's message.
 */
export function watchDeploymentUntil(
  server: { kc: KubeConfig; name?: string },
  namespace: string,
  name: string,
  done: (d: V1Deployment) => boolean,
  timeoutMs = 15_000,
): Promise<V1Deployment> {
  return new Promise((resolve, reject) => {
    let abort: AbortController | undefined;
    let finished = false;
    const finish = (err?: unknown, d?: V1Deployment) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      abort?.abort();
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(d!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `${server.name ? `${server.name}: ` : ''}deployment ${name} did not reach the expected state within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    new Watch(server.kc)
      .watch(
        `/apis/apps/v1/namespaces/${namespace}/deployments`,
        { fieldSelector: `metadata.name=${name}` },
        (type, obj: V1Deployment) => {
          if ((type === 'ADDED' || type === 'MODIFIED') && done(obj)) finish(undefined, obj);
        },
        (err) => finish(err ?? new Error('the watch closed early')),
      )
      .then((a) => {
        abort = a;
        if (finished) a.abort();
      }, finish);
  });
}
