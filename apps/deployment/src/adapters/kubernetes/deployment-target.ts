import { AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import type { RolloutTarget } from '../../application/ports.js';
import { TargetConflictError, TargetNotFoundError } from '../../application/target-errors.js';
import {
  canaryName,
  type DeploymentState,
  type Effect,
  type Observation,
  type Rollout,
  type RolloutTargetRef,
} from '../../domain/index.js';
import { withRetry } from './retry.js';

export const ANNOTATION_ROLLOUT = 'flightdeck.io/rollout-id';
export const ANNOTATION_MANAGED = 'flightdeck.io/managed-by';
export const LABEL_ROLE = 'flightdeck.io/role';
/** The field manager of every write: `kubectl get deployment NAME --show-managed-fields -o yaml` shows what Flightdeck set. */
export const FIELD_MANAGER = 'flightdeck-deployment';

const serverSideApply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

/** What Flightdeck sets on a Deployment. Every apply carries all of it: server-side apply removes a field its manager stops applying. */
interface Owned {
  replicas: number;
  image: string;
}

type Write =
  { kind: 'create'; name: string; body: V1Deployment; owned: Owned } | { kind: 'apply'; name: string; owned: Owned };

function containerImage(d: V1Deployment, container: string): string | undefined {
  return d.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
}

function stateOf(d: V1Deployment, container: string): DeploymentState {
  const s = d.status ?? {};
  return {
    image: containerImage(d, container) ?? '',
    replicas: d.spec?.replicas ?? 1,
    ready: s.readyReplicas ?? 0,
    updated: s.updatedReplicas ?? 0,
    observed: (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0),
    deadlineExceeded: (s.conditions ?? []).some(
      (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
    ),
  };
}

const objectName = (namespace: string, name: string) => `Deployment ${namespace}/${name}`;

/**
 * Rollouts of Kubernetes Deployments through @kubernetes/client-node. A canary is a Deployment of its own beside
 * the stable one (`<name>-canary`, same labels plus flightdeck.io/role=canary, so a Service selecting the app sends
 * it traffic in proportion to its replicas). Changes are server-side applies by the field manager
 * `flightdeck-deployment` of the replicas, the container's image and the rollout's annotations; the cluster's
 * refusals come out as the port's errors (application/target-errors.ts).
 */
export class KubernetesDeploymentTarget implements RolloutTarget {
  private readonly clients = new Map<string, AppsV1Api>();

  constructor(private readonly kubeconfig: KubeConfig) {}

  private apps(ref: RolloutTargetRef): AppsV1Api {
    const key = ref.cluster || this.kubeconfig.getCurrentContext();
    let api = this.clients.get(key);
    if (!api) {
      const kc = new KubeConfig();
      kc.loadFromString(this.kubeconfig.exportConfig());
      if (ref.cluster) {
        if (!kc.getContextObject(ref.cluster))
          throw new Error(
            `the kubeconfig has no context "${ref.cluster}"; known: ${kc
              .getContexts()
              .map((c) => c.name)
              .join(', ')}`,
          );
        kc.setCurrentContext(ref.cluster);
      }
      api = kc.makeApiClient(AppsV1Api);
      this.clients.set(key, api);
    }
    return api;
  }

  private async read(ref: RolloutTargetRef, name: string): Promise<V1Deployment | undefined> {
    try {
      return await withRetry({ verb: 'get', object: objectName(ref.namespace, name) }, () =>
        this.apps(ref).readNamespacedDeployment({ name, namespace: ref.namespace }),
      );
    } catch (err) {
      if (err instanceof TargetNotFoundError) return undefined;
      throw err;
    }
  }

  /** The Deployment a change needs, or the port's not-found error naming the change (`verb`) it stops. */
  private async mustRead(ref: RolloutTargetRef, name: string, verb: 'get' | 'patch'): Promise<V1Deployment> {
    const d = await this.read(ref, name);
    const object = objectName(ref.namespace, name);
    if (!d)
      throw new TargetNotFoundError(
        object,
        verb,
        `${object} is gone from the cluster: get answered 404 Not Found${verb === 'get' ? '' : `, so there is nothing to ${verb}`}`,
      );
    return d;
  }

  private imageIn(ref: RolloutTargetRef, d: V1Deployment): string {
    const image = containerImage(d, ref.container);
    if (image) return image;
    const object = objectName(ref.namespace, d.metadata?.name ?? ref.deployment);
    const names = (d.spec?.template?.spec?.containers ?? []).map((c) => c.name).join(', ');
    throw new TargetNotFoundError(object, 'get', `${object} has no container "${ref.container}"; it has: ${names}`);
  }

  async live(ref: RolloutTargetRef): Promise<{ image: string; replicas: number } | undefined> {
    const d = await this.read(ref, ref.deployment);
    if (!d) return undefined;
    return { image: this.imageIn(ref, d), replicas: d.spec?.replicas ?? 1 };
  }

  async observe(r: Rollout): Promise<Observation> {
    const [stable, canary] = await Promise.all([
      this.mustRead(r.target, r.target.deployment, 'get'),
      r.strategy === 'CANARY' ? this.read(r.target, canaryName(r)) : Promise.resolve(undefined),
    ]);
    return {
      stable: stateOf(stable, r.target.container),
      ...(canary ? { canary: stateOf(canary, r.target.container) } : {}),
    };
  }

  async apply(r: Rollout, effect: Effect): Promise<void> {
    const writes = await this.plan(r, effect);
    // A change of two Deployments is first tried as a dry run, so a refusal of the second never leaves the first changed.
    if (writes.length > 1) for (const w of writes) await this.write(r, w, true);
    for (const w of writes) await this.write(r, w, false);
  }

  /** The writes an effect takes, from what the cluster holds now. */
  private async plan(r: Rollout, effect: Effect): Promise<Write[]> {
    const { target } = r;
    const canary = canaryName(r);
    switch (effect.type) {
      case 'SCALE_CANARY': {
        const stable = await this.mustRead(target, target.deployment, 'patch');
        const existing = await this.read(target, canary);
        const owned = { replicas: effect.canaryReplicas, image: effect.canaryImage };
        const writes: Write[] = [];
        if (existing) writes.push({ kind: 'apply', name: this.ours(r, existing), owned });
        else if (effect.canaryReplicas > 0)
          writes.push({ kind: 'create', name: canary, body: this.canaryFrom(r, stable, owned), owned });
        writes.push({
          kind: 'apply',
          name: target.deployment,
          owned: { replicas: effect.stableReplicas, image: this.imageIn(target, stable) },
        });
        return writes;
      }
      case 'SET_STABLE':
        await this.mustRead(target, target.deployment, 'patch');
        return [{ kind: 'apply', name: target.deployment, owned: { replicas: effect.replicas, image: effect.image } }];
      case 'PARK_PREVIOUS':
        return [
          {
            kind: 'apply',
            name: this.ours(r, await this.mustRead(target, canary, 'patch')),
            owned: { replicas: 0, image: effect.image },
          },
        ];
      case 'SCALE_DOWN_CANARY': {
        // Kept at zero, not deleted: the next rollout reuses it and an operator sees what ran.
        const existing = await this.read(target, canary);
        return existing
          ? [
              {
                kind: 'apply',
                name: this.ours(r, existing),
                owned: { replicas: 0, image: this.imageIn(target, existing) },
              },
            ]
          : [];
      }
    }
  }

  /** The canary's name, once it is known to be Flightdeck's: a Deployment of that name made by someone else is left alone. */
  private ours(r: Rollout, canary: V1Deployment): string {
    const name = canary.metadata!.name!;
    if (canary.metadata?.annotations?.[ANNOTATION_MANAGED] === FIELD_MANAGER) return name;
    const object = objectName(r.target.namespace, name);
    throw new TargetConflictError(
      object,
      'patch',
      `${object} exists but Flightdeck did not make it (it has no ${ANNOTATION_MANAGED}: ${FIELD_MANAGER} annotation), and a canary of ${r.target.deployment} would take it over: rename or remove that Deployment, then retry`,
    );
  }

  private annotations(r: Rollout): Record<string, string> {
    return { [ANNOTATION_ROLLOUT]: r.id, [ANNOTATION_MANAGED]: FIELD_MANAGER };
  }

  private async write(r: Rollout, w: Write, dryRun: boolean): Promise<void> {
    const { namespace, container } = r.target;
    const api = this.apps(r.target);
    const object = objectName(namespace, w.name);
    const dry = dryRun ? { dryRun: 'All' } : {};
    if (w.kind === 'create') {
      try {
        await withRetry({ verb: 'create', object, dryRun }, () =>
          api.createNamespacedDeployment({ namespace, body: w.body, fieldManager: FIELD_MANAGER, ...dry }),
        );
        return;
      } catch (err) {
        if (dryRun || !(err instanceof TargetConflictError)) throw err;
        // Created by an earlier attempt whose answer was lost: apply the fields to it instead.
        return this.write(
          r,
          { kind: 'apply', name: this.ours(r, await this.mustRead(r.target, w.name, 'patch')), owned: w.owned },
          false,
        );
      }
    }
    const body = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: w.name, namespace, annotations: this.annotations(r) },
      spec: {
        replicas: w.owned.replicas,
        template: { spec: { containers: [{ name: container, image: w.owned.image }] } },
      },
    };
    const apply = (force: boolean) =>
      withRetry({ verb: 'patch', object, dryRun }, () =>
        api.patchNamespacedDeployment(
          { name: w.name, namespace, body, fieldManager: FIELD_MANAGER, force, ...dry },
          serverSideApply,
        ),
      );
    try {
      await apply(false);
    } catch (err) {
      if (!(err instanceof TargetConflictError) || err.conflicts.length === 0) throw err;
      await this.settleConflict(r, w.name, err);
      await apply(true);
    }
  }

  /**
   * Server-side apply found fields Flightdeck sets held by other field managers. Fields last written by a plain
   * write (kubectl create, scale, set image or edit, a client's update: operation Update) are taken over, as those
   * writes take them themselves. Fields another manager applies (Argo CD or Flux with server-side apply, helm 4,
   * `kubectl apply --server-side`) are not: that tool would put them back at its next apply, undoing the rollout
   * behind its back. Then the change is refused, naming the fields and who applies them.
   */
  private async settleConflict(r: Rollout, name: string, err: TargetConflictError): Promise<void> {
    const live = await this.mustRead(r.target, name, 'patch');
    const appliers = new Set(
      (live.metadata?.managedFields ?? [])
        .filter((m) => m.operation === 'Apply' && m.manager !== FIELD_MANAGER)
        .map((m) => m.manager),
    );
    const held = err.conflicts.filter((c) => appliers.has(c.manager));
    if (held.length === 0) return;
    const managers = [...new Set(held.map((c) => `"${c.manager}"`))].join(', ');
    throw new TargetConflictError(
      err.object,
      'patch',
      `the cluster refused to patch ${err.object} (server-side apply, 409 Conflict): ${held.map((c) => c.field).join(' and ')} ${held.length === 1 ? 'is' : 'are'} applied by the field manager ${managers}, which would put ${held.length === 1 ? 'it' : 'them'} back; Flightdeck does not take fields from a manager that applies them: leave them out of what ${managers} applies, then retry`,
      held,
      { cause: err },
    );
  }

  private canaryFrom(r: Rollout, stable: V1Deployment, owned: Owned): V1Deployment {
    const { namespace, container } = r.target;
    const role = { [LABEL_ROLE]: 'canary' };
    const template = structuredClone(stable.spec!.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...role } };
    for (const c of template.spec?.containers ?? []) if (c.name === container) c.image = owned.image;
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: canaryName(r),
        namespace,
        labels: { ...stable.metadata?.labels, ...role },
        annotations: this.annotations(r),
      },
      spec: {
        replicas: owned.replicas,
        selector: { matchLabels: { ...stable.spec!.selector.matchLabels, ...role } },
        template,
        ...(stable.spec!.progressDeadlineSeconds
          ? { progressDeadlineSeconds: stable.spec!.progressDeadlineSeconds }
          : {}),
        ...(stable.spec!.minReadySeconds ? { minReadySeconds: stable.spec!.minReadySeconds } : {}),
      },
    };
  }
}
