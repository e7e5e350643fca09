import { randomBytes } from 'node:crypto';
import type { ClusterApi } from '../api/cluster-api.js';
import type { KubeObject } from '../api/types.js';
import { kinds } from '../kinds/registry.js';

/** Writes core/v1 Events about objects, as controllers and the kubelet do; keeps only the newest `limit`. */
export class EventRecorder {
  private readonly recent: { namespace: string; name: string }[] = [];

  constructor(
    private readonly api: ClusterApi,
    private readonly component: string,
    private readonly limit = 1000,
  ) {}

  record(about: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const namespace = about.metadata.namespace ?? 'default';
    const now = this.api.clock.timestamp();
    const name = `${about.metadata.name}.${randomBytes(8).toString('hex')}`;
    try {
      this.api.create(kinds.events, namespace, {
        metadata: { name, namespace },
        involvedObject: { apiVersion: about.apiVersion, kind: about.kind, name: about.metadata.name, namespace, uid: about.metadata.uid, resourceVersion: about.metadata.resourceVersion },
        reason,
        message,
        type,
        source: { component: this.component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: this.component,
      });
    } catch {
      return; // the namespace may be going away; an event is never worth failing a reconcile for
    }
    this.recent.push({ namespace, name });
    while (this.recent.length > this.limit) {
      const old = this.recent.shift()!;
      if (this.api.tryGet(kinds.events, old.namespace, old.name)) this.api.delete(kinds.events, old.namespace, old.name);
    }
  }
}
