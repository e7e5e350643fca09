import type { Logger } from 'pino';
import type { ClusterApi } from '../api/cluster-api.js';
import { clone, deepEqual, type KubeObject } from '../api/types.js';
import { kinds } from '../kinds/registry.js';
import type { StoreEvent } from '../store/store.js';
import {
  annotations,
  condition,
  equalIgnoringHash,
  fenceposts,
  getCondition,
  isControlledBy,
  isRollingUpdate,
  num,
  rec,
  removeCondition,
  replicasOf,
  revisionOf,
  setCondition,
  statusCount,
  templateHash,
  templateHashLabel,
} from './deployment-util.js';
import type { EventRecorder } from './event-recorder.js';
import { splitKey, WorkQueue } from './work-queue.js';

/**
 * The deployment controller: one ReplicaSet per pod template (pod-template-hash, revision annotations), rolled
 * from old to new by RollingUpdate maxSurge/maxUnavailable or Recreate, with paused deployments, history cleanup,
 * and the status and conditions (Available, Progressing, ProgressDeadlineExceeded) Kubernetes reports.
 */
export class DeploymentController {
  readonly queue: WorkQueue;

  constructor(
    private readonly api: ClusterApi,
    private readonly events: EventRecorder,
    log: Logger,
  ) {
    this.queue = new WorkQueue('deployment', (key) => this.reconcile(key), api.clock, log);
  }

  onEvent(e: StoreEvent): void {
    if (e.resource === 'apps/deployments') this.queue.add(`${e.object.metadata.namespace}/${e.object.metadata.name}`);
    if (e.resource === 'apps/replicasets') {
      const owner = (e.object.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'Deployment');
      if (owner) this.queue.add(`${e.object.metadata.namespace}/${owner.name}`);
    }
  }

  resyncAll(): void {
    for (const d of this.api.store.scan('apps/deployments'))
      this.queue.add(`${d.metadata.namespace}/${d.metadata.name}`);
  }

  private now(): string {
    return this.api.clock.timestamp();
  }

  private scale(d: KubeObject, rs: KubeObject, replicas: number): KubeObject {
    const from = replicasOf(rs);
    const next = clone(rs);
    next.spec = { ...rec(next.spec), replicas };
    const replicasWanted = num(rec(d.spec).replicas, 1);
    next.metadata.annotations = {
      ...next.metadata.annotations,
      [annotations.desiredReplicas]: String(replicasWanted),
      [annotations.maxReplicas]: String(replicasWanted + fenceposts(d).maxSurge),
    };
    delete next.metadata.resourceVersion;
    const written = this.api.update(kinds.replicasets, rs.metadata.namespace, rs.metadata.name!, next);
    if (from !== replicas)
      this.events.record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      );
    return written;
  }

  /** The deployment's own annotations (minus kubectl's and the controller's) plus revision, desired and max replicas. */
  private rsAnnotations(d: KubeObject, rs: KubeObject, revision?: number): Record<string, string> {
    const out: Record<string, string> = {};
    const skip = new Set<string>(Object.values(annotations));
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!skip.has(k)) out[k] = v;
    const old = rs.metadata.annotations ?? {};
    if (old[annotations.revisionHistory]) out[annotations.revisionHistory] = old[annotations.revisionHistory]!;
    const currentRevision = old[annotations.revision];
    if (revision !== undefined && currentRevision && Number(currentRevision) !== revision) {
      out[annotations.revisionHistory] = out[annotations.revisionHistory]
        ? `${out[annotations.revisionHistory]},${currentRevision}`
        : currentRevision;
    }
    out[annotations.revision] = String(revision ?? currentRevision ?? 1);
    const replicas = num(rec(d.spec).replicas, 1);
    out[annotations.desiredReplicas] = String(replicas);
    out[annotations.maxReplicas] = String(replicas + fenceposts(d).maxSurge);
    return out;
  }

  private reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const d = this.api.tryGet(kinds.deployments, namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = rec(d.spec);
    const owned = this.api.store
      .scan('apps/replicasets', namespace)
      .filter((rs) => isControlledBy(rs, d) && !rs.metadata.deletionTimestamp);
    let newRS = owned.find((rs) => equalIgnoringHash(rec(rs.spec).template, spec.template));
    let olds = owned.filter((rs) => rs !== newRS);
    const status = clone(rec(d.status));
    const dAnnotations = { ...(d.metadata.annotations ?? {}) };
    const paused = spec.paused === true;
    const replicas = num(spec.replicas, 1);
    const maxOldRevision = Math.max(0, ...olds.map(revisionOf));

    const progressing = getCondition(status, 'Progressing');
    if (paused && progressing?.reason !== 'DeploymentPaused')
      setCondition(status, condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', this.now()));
    if (!paused && progressing?.reason === 'DeploymentPaused')
      setCondition(
        status,
        condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', this.now()),
      );

    if (newRS) {
      const revision = revisionOf(newRS) <= maxOldRevision ? maxOldRevision + 1 : revisionOf(newRS);
      const wanted = this.rsAnnotations(d, newRS, revision);
      const minReady = spec.minReadySeconds;
      if (!deepEqual(wanted, newRS.metadata.annotations ?? {}) || rec(newRS.spec).minReadySeconds !== minReady) {
        const next = clone(newRS);
        next.metadata.annotations = wanted;
        next.spec = { ...rec(next.spec), minReadySeconds: minReady };
        delete next.metadata.resourceVersion;
        newRS = this.api.update(kinds.replicasets, namespace, newRS.metadata.name!, next);
      }
      if (!getCondition(status, 'Progressing'))
        setCondition(
          status,
          condition(
            'Progressing',
            'True',
            'FoundNewReplicaSet',
            `Found new replica set "${newRS.metadata.name}"`,
            this.now(),
          ),
        );
    }

    const allOldsScaledDown = () => olds.every((rs) => replicasOf(rs) === 0 && statusCount(rs, 'replicas') === 0);
    const mayCreate = !paused && !newRS && (isRollingUpdate(d) || allOldsScaledDown());
    if (mayCreate) {
      newRS = this.createReplicaSet(d, status, olds, maxOldRevision + 1);
      if (!newRS) return;
    }
    if (newRS) dAnnotations[annotations.revision] = newRS.metadata.annotations?.[annotations.revision] ?? '1';

    if (paused) {
      if (newRS && olds.every((rs) => replicasOf(rs) === 0) && replicasOf(newRS) !== replicas)
        newRS = this.scale(d, newRS, replicas);
    } else if (isRollingUpdate(d)) {
      ({ newRS, olds } = this.rollOut(d, newRS!, olds));
    } else {
      ({ newRS, olds } = this.recreate(d, newRS, olds));
    }

    const all = newRS ? [newRS, ...olds] : olds;
    const next = this.calculateStatus(d, status, all, newRS, paused);
    if (this.isComplete(d, next)) olds = this.cleanup(d, olds);
    this.writeStatus(d, next, dAnnotations);
  }

  private createReplicaSet(
    d: KubeObject,
    status: Record<string, unknown>,
    olds: KubeObject[],
    revision: number,
  ): KubeObject | undefined {
    const spec = rec(d.spec);
    const namespace = d.metadata.namespace!;
    const collisionCount = typeof status.collisionCount === 'number' ? status.collisionCount : undefined;
    const template = clone(rec(spec.template));
    const hash = templateHash(template, collisionCount);
    const name = `${d.metadata.name}-${hash}`;
    const existing = this.api.tryGet(kinds.replicasets, namespace, name);
    if (existing) {
      // A different template already has this name: count the collision, which changes the hash next time.
      status.collisionCount = (collisionCount ?? 0) + 1;
      this.writeStatus(d, status, d.metadata.annotations ?? {});
      return undefined;
    }
    const meta = rec(template.metadata);
    meta.labels = { ...rec(meta.labels), [templateHashLabel]: hash };
    template.metadata = meta;
    const selector = clone(rec(spec.selector));
    selector.matchLabels = { ...rec(selector.matchLabels), [templateHashLabel]: hash };
    const replicas = num(spec.replicas, 1);
    let initial = replicas;
    if (isRollingUpdate(d)) {
      const current = olds.reduce((n, rs) => n + replicasOf(rs), 0);
      initial = Math.max(0, Math.min(replicas + fenceposts(d).maxSurge - current, replicas));
    }
    const rs: KubeObject = {
      metadata: {
        name,
        namespace,
        labels: { ...(meta.labels as Record<string, string>) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: d.metadata.name!,
            uid: d.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { replicas: 0, minReadySeconds: spec.minReadySeconds, selector, template },
    };
    rs.metadata.annotations = this.rsAnnotations(d, rs, revision);
    rs.spec = { ...rec(rs.spec), replicas: initial };
    const created = this.api.create(kinds.replicasets, namespace, rs);
    if (initial > 0)
      this.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${initial}`);
    setCondition(
      status,
      condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, this.now()),
    );
    return created;
  }

  private rollOut(d: KubeObject, newRS: KubeObject, olds: KubeObject[]): { newRS: KubeObject; olds: KubeObject[] } {
    const replicas = num(rec(d.spec).replicas, 1);
    const { maxSurge, maxUnavailable } = fenceposts(d);
    const total = () => [newRS, ...olds].reduce((n, rs) => n + replicasOf(rs), 0);
    if (replicasOf(newRS) > replicas) newRS = this.scale(d, newRS, replicas);
    else if (replicasOf(newRS) < replicas) {
      const room = replicas + maxSurge - total();
      if (room > 0) newRS = this.scale(d, newRS, replicasOf(newRS) + Math.min(room, replicas - replicasOf(newRS)));
    }
    if (olds.every((rs) => replicasOf(rs) === 0)) return { newRS, olds };

    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = replicasOf(newRS) - statusCount(newRS, 'availableReplicas');
    const maxScaledDown = total() - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return { newRS, olds };
    const byAge = (list: KubeObject[]) =>
      [...list].sort(
        (a, b) =>
          String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) ||
          revisionOf(a) - revisionOf(b),
      );
    // First scale down old pods that are not available anyway, then available ones while minAvailable holds.
    let cleaned = 0;
    olds = byAge(olds).map((rs) => {
      const unhealthy = replicasOf(rs) - statusCount(rs, 'availableReplicas');
      if (replicasOf(rs) === 0 || unhealthy <= 0 || cleaned >= maxScaledDown) return rs;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      cleaned += n;
      return this.scale(d, rs, replicasOf(rs) - n);
    });
    const available = [newRS, ...olds].reduce((n, rs) => n + statusCount(rs, 'availableReplicas'), 0);
    let toScaleDown = Math.min(available - minAvailable, maxScaledDown - cleaned);
    if (toScaleDown <= 0) return { newRS, olds };
    olds = byAge(olds).map((rs) => {
      if (toScaleDown <= 0 || replicasOf(rs) === 0) return rs;
      const n = Math.min(replicasOf(rs), toScaleDown);
      toScaleDown -= n;
      return this.scale(d, rs, replicasOf(rs) - n);
    });
    return { newRS, olds };
  }

  private recreate(
    d: KubeObject,
    newRS: KubeObject | undefined,
    olds: KubeObject[],
  ): { newRS?: KubeObject; olds: KubeObject[] } {
    olds = olds.map((rs) => (replicasOf(rs) > 0 ? this.scale(d, rs, 0) : rs));
    if (!newRS || olds.some((rs) => statusCount(rs, 'replicas') > 0)) return { newRS, olds };
    const replicas = num(rec(d.spec).replicas, 1);
    if (replicasOf(newRS) !== replicas) newRS = this.scale(d, newRS, replicas);
    return { newRS, olds };
  }

  private isComplete(d: KubeObject, status: Record<string, unknown>): boolean {
    const replicas = num(rec(d.spec).replicas, 1);
    return (
      num(status.updatedReplicas) === replicas &&
      num(status.replicas) === replicas &&
      num(status.availableReplicas) === replicas &&
      num(status.observedGeneration) >= num(d.metadata.generation, 1)
    );
  }

  private calculateStatus(
    d: KubeObject,
    base: Record<string, unknown>,
    all: KubeObject[],
    newRS: KubeObject | undefined,
    paused: boolean,
  ): Record<string, unknown> {
    const spec = rec(d.spec);
    const replicas = num(spec.replicas, 1);
    const sum = (list: KubeObject[], f: string) => list.reduce((n, rs) => n + statusCount(rs, f), 0);
    const available = sum(all, 'availableReplicas');
    const status: Record<string, unknown> = {
      ...base,
      observedGeneration: d.metadata.generation ?? 1,
      replicas: sum(all, 'replicas'),
      updatedReplicas: newRS ? statusCount(newRS, 'replicas') : 0,
      readyReplicas: sum(all, 'readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, all.reduce((n, rs) => n + replicasOf(rs), 0) - available),
      // Pods go at once here, without graceful termination: none is ever terminating.
      terminatingReplicas: 0,
    };
    for (const f of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'])
      if (status[f] === 0) delete status[f];
    const now = this.now();
    if (available >= replicas - fenceposts(d).maxUnavailable)
      setCondition(
        status,
        condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now),
      );
    else
      setCondition(
        status,
        condition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          now,
        ),
      );
    if (paused) return status;

    const deadline = spec.progressDeadlineSeconds;
    if (typeof deadline !== 'number') return status;
    const current = getCondition(status, 'Progressing');
    const old = rec(d.status);
    const rsName = newRS?.metadata.name;
    if (this.isComplete(d, status)) {
      setCondition(
        status,
        condition(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${rsName}" has successfully progressed.`,
          now,
        ),
      );
    } else if (
      num(status.updatedReplicas) > num(old.updatedReplicas) ||
      num(status.replicas) - num(status.updatedReplicas) < num(old.replicas) - num(old.updatedReplicas) ||
      num(status.readyReplicas) > num(old.readyReplicas) ||
      num(status.availableReplicas) > num(old.availableReplicas)
    ) {
      const next = condition(
        'Progressing',
        'True',
        'ReplicaSetUpdated',
        rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`,
        now,
      );
      if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, next);
    } else if (
      current &&
      current.reason !== 'ProgressDeadlineExceeded' &&
      current.reason !== 'NewReplicaSetAvailable'
    ) {
      const elapsed = (Date.parse(now) - Date.parse(current.lastUpdateTime)) / 1000;
      if (elapsed > deadline)
        setCondition(
          status,
          condition(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            `ReplicaSet "${rsName}" has timed out progressing.`,
            now,
          ),
        );
      else this.queue.addAfter(`${d.metadata.namespace}/${d.metadata.name}`, deadline - elapsed + 1);
    }
    return status;
  }

  /** Deletes fully scaled-down old ReplicaSets beyond spec.revisionHistoryLimit, oldest revision first. */
  private cleanup(d: KubeObject, olds: KubeObject[]): KubeObject[] {
    const limit = num(rec(d.spec).revisionHistoryLimit, 10);
    const cleanable = olds
      .filter((rs) => replicasOf(rs) === 0 && statusCount(rs, 'replicas') === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const doomed = new Set(cleanable.slice(0, Math.max(0, cleanable.length - limit)));
    for (const rs of doomed) this.api.delete(kinds.replicasets, rs.metadata.namespace, rs.metadata.name!);
    return olds.filter((rs) => !doomed.has(rs));
  }

  private writeStatus(d: KubeObject, status: Record<string, unknown>, dAnnotations: Record<string, string>): void {
    if (deepEqual(status, d.status ?? {}) && deepEqual(dAnnotations, d.metadata.annotations ?? {})) return;
    const next = clone(d);
    next.status = status;
    next.metadata.annotations = dAnnotations;
    delete next.metadata.resourceVersion;
    this.api.updateStatus(kinds.deployments, d.metadata.namespace, d.metadata.name!, next);
  }
}
