import { Watch, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { watchDeploymentUntil as watchUntil } from '../helpers.js';
import type { Server } from './servers.js';

/** Waits the conformance files share (the workloads themselves are in ../helpers.ts). */

/** watchDeploymentUntil (../helpers.ts) with a minute to wait: the real API server runs in real time. */
export function watchDeploymentUntil(
  s: Server,
  namespace: string,
  name: string,
  done: (d: V1Deployment) => boolean,
): Promise<V1Deployment> {
  return watchUntil(s, namespace, name, done, 60_000);
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
