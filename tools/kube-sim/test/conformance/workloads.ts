import { Watch, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import type { Server } from './servers.js';

/** Workloads and waits the conformance files share. */

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

/** Watches one deployment (as `kubectl rollout status` does) until `done` says so; returns what it saw last. */
export function watchDeploymentUntil(
  s: Server,
  namespace: string,
  name: string,
  done: (d: V1Deployment) => boolean,
  timeoutMs = 60_000,
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
      () => finish(new Error(`${s.name}: deployment ${name} did not reach the expected state within ${timeoutMs} ms`)),
      timeoutMs,
    );
    new Watch(s.kc)
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

/** Follows the pods of `selector` while `during` runs: after each change, how many there are and how many are Ready. */
export async function podCounts(
  s: Server,
  namespace: string,
  selector: string,
  during: () => Promise<unknown>,
): Promise<{ total: number; ready: number }[]> {
  const seen: { total: number; ready: number }[] = [];
  const pods = new Map<string, V1Pod>();
  const list = await s.core.listNamespacedPod({ namespace, labelSelector: selector });
  for (const p of list.items) pods.set(p.metadata!.name!, p);
  const abort = await new Watch(s.kc).watch(
    `/api/v1/namespaces/${namespace}/pods`,
    { labelSelector: selector, resourceVersion: list.metadata!.resourceVersion },
    (type, p: V1Pod) => {
      // A terminating pod no longer counts against maxSurge (kube-sim removes pods at once, a real kubelet not).
      if (type === 'DELETED' || p.metadata?.deletionTimestamp) pods.delete(p.metadata!.name!);
      else pods.set(p.metadata!.name!, p);
      const all = [...pods.values()];
      seen.push({
        total: all.length,
        ready: all.filter((x) => x.status?.conditions?.some((k) => k.type === 'Ready' && k.status === 'True')).length,
      });
    },
    () => {},
  );
  try {
    await during();
  } finally {
    abort.abort();
  }
  return seen;
}
