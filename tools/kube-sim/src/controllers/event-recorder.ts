import { randomBytes } from 'node:crypto';
import type { ClusterApi } from '../api/cluster-api.js';
import type { KubeObject } from '../api/types.js';
import { kinds } from '../kinds/registry.js';

export interface RecorderOptions {
  /**
   * Write Events as the events.k8s.io recorder does (the scheduler's): an action and an eventTime, no count and no
   * first or last timestamp, the reporting instance named. Otherwise as the older recorder the controllers use.
   */
  action?: string;
  reportingInstance?: string;
  limit?: number;
}

/** Writes core/v1 Events about objects, as controllers, the scheduler and the kubelet do; keeps only the newest `limit`. */
export class EventRecorder {
  private readonly recent: { namespace: string; name: string }[] = [];

  constructor(
    private readonly api: ClusterApi,
    private readonly component: string,
    private readonly o: RecorderOptions = {},
  ) {}

  record(about: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const namespace = about.metadata.namespace ?? 'default';
    const now = this.api.clock.timestamp();
    const name = `${about.metadata.name}.${randomBytes(8).toString('hex')}`;
    const involvedObject = {
      apiVersion: about.apiVersion,
      kind: about.kind,
      name: about.metadata.name,
      namespace,
      uid: about.metadata.uid,
    };
    const when = this.o.action
      ? { action: this.o.action, eventTime: this.api.clock.microTimestamp(), source: {}, involvedObject }
      : {
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          source: { component: this.component },
          involvedObject: { ...involvedObject, resourceVersion: about.metadata.resourceVersion },
        };
    try {
      this.api.create(kinds.events, namespace, {
        metadata: { name, namespace },
        reason,
        message,
        type,
        reportingComponent: this.component,
        reportingInstance: this.o.reportingInstance ?? '',
        ...when,
      });
    } catch {
      return; // the namespace may be going away; an event is never worth failing a reconcile for
    }
    this.recent.push({ namespace, name });
    while (this.recent.length > (this.o.limit ?? 1000)) {
      const old = this.recent.shift()!;
      if (this.api.tryGet(kinds.events, old.namespace, old.name))
        this.api.delete(kinds.events, old.namespace, old.name);
    }
  }
}
