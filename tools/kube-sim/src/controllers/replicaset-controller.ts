import type { Logger } from 'pino';
import type { ClusterApi } from '../api/cluster-api.js';
import { clone, deepEqual, type KubeObject } from '../api/types.js';
import { kinds } from '../kinds/registry.js';
import type { StoreEvent } from '../store/store.js';
import { isControlledBy, num, rec } from './deployment-util.js';
import type { EventRecorder } from './event-recorder.js';
import { splitKey, WorkQueue } from './work-queue.js';

/** When a pod became Ready, or undefined when it is not Ready. */
export function readySince(pod: KubeObject): number | undefined {
  const conditions = rec(pod.status).conditions;
  const ready = Array.isArray(conditions) ? conditions.map(rec).find((c) => c.type === 'Ready') : undefined;
  if (!ready || ready.status !== 'True') return undefined;
  return Date.parse(String(ready.lastTransitionTime ?? pod.metadata.creationTimestamp));
}

function isActive(pod: KubeObject): boolean {
  const phase = rec(pod.status).phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** The ReplicaSet controller: keeps spec.replicas pods from the template and reports replicas, ready and available. */
export class ReplicaSetController {
  readonly queue: WorkQueue;

  constructor(
    private readonly api: ClusterApi,
    private readonly events: EventRecorder,
    log: Logger,
  ) {
    this.queue = new WorkQueue('replicaset', (key) => this.reconcile(key), api.clock, log);
  }

  onEvent(e: StoreEvent): void {
    if (e.resource === 'apps/replicasets') this.queue.add(`${e.object.metadata.namespace}/${e.object.metadata.name}`);
    if (e.resource === 'core/pods') {
      const owner = (e.object.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'ReplicaSet');
      if (owner) this.queue.add(`${e.object.metadata.namespace}/${owner.name}`);
    }
  }

  resyncAll(): void {
    for (const rs of this.api.store.scan('apps/replicasets'))
      this.queue.add(`${rs.metadata.namespace}/${rs.metadata.name}`);
  }

  private reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const rs = this.api.tryGet(kinds.replicasets, namespace, name);
    if (!rs) return;
    const spec = rec(rs.spec);
    const want = rs.metadata.deletionTimestamp ? 0 : num(spec.replicas, 1);
    const owned = () => this.api.store.scan('core/pods', namespace).filter((p) => isControlledBy(p, rs) && isActive(p));
    let pods = owned();
    if (pods.length < want) {
      for (let i = pods.length; i < Math.min(want, pods.length + 500); i++) this.createPod(rs);
      pods = owned();
    } else if (pods.length > want) {
      // Delete the pods that matter least first: not yet scheduled, then not ready, then the most recently ready.
      const rank = (p: KubeObject) => (rec(p.spec).nodeName ? (readySince(p) === undefined ? 1 : 2) : 0);
      const doomed = [...pods]
        .sort((a, b) => rank(a) - rank(b) || (readySince(b) ?? 0) - (readySince(a) ?? 0))
        .slice(0, pods.length - want);
      for (const p of doomed) {
        this.api.delete(kinds.pods, namespace, p.metadata.name!);
        this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      }
      pods = owned();
    }

    const minReady = num(spec.minReadySeconds);
    const now = this.api.clock.now().getTime();
    const templateLabels = rec(rec(rec(spec.template).metadata).labels) as Record<string, string>;
    let ready = 0;
    let available = 0;
    let nextAvailableIn = Infinity;
    for (const p of pods) {
      const since = readySince(p);
      if (since === undefined) continue;
      ready++;
      const wait = since + minReady * 1000 - now;
      if (minReady === 0 || wait <= 0) available++;
      else nextAvailableIn = Math.min(nextAvailableIn, wait / 1000);
    }
    if (nextAvailableIn !== Infinity) this.queue.addAfter(key, nextAvailableIn + 0.01);
    const status: Record<string, unknown> = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.filter((p) =>
        Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v),
      ).length,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation ?? 1,
      // Pods go at once here, without graceful termination: none is ever terminating.
      terminatingReplicas: 0,
    };
    for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
      if (status[f] === 0) delete status[f];
    if (deepEqual(status, rs.status ?? {})) return;
    const next = clone(rs);
    next.status = status;
    delete next.metadata.resourceVersion;
    this.api.updateStatus(kinds.replicasets, namespace, name, next);
  }

  private createPod(rs: KubeObject): void {
    const template = clone(rec(rec(rs.spec).template));
    const meta = rec(template.metadata);
    const pod = this.api.create(kinds.pods, rs.metadata.namespace, {
      metadata: {
        generateName: `${rs.metadata.name}-`,
        labels: meta.labels,
        annotations: meta.annotations,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name!,
            uid: rs.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: template.spec,
    });
    this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  }
}
