import { AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import type { RolloutTarget } from '../../application/ports.js';
import { canaryName, type DeploymentState, type Effect, type Observation, type Rollout, type RolloutTargetRef } from '../../domain/index.js';
import { isConflict, isNotFound, withRetry } from './retry.js';

export const ANNOTATION_ROLLOUT = 'flightdeck.io/rollout-id';
export const ANNOTATION_MANAGED = 'flightdeck.io/managed-by';
export const LABEL_ROLE = 'flightdeck.io/role';

const merge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

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
    deadlineExceeded: (s.conditions ?? []).some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded'),
  };
}

/**
 * Rollouts of Kubernetes Deployments through @kubernetes/client-node. A canary is a Deployment of its own beside
 * the stable one (`<name>-canary`, same labels plus flightdeck.io/role=canary, so a Service selecting the app sends
 * it traffic in proportion to its replicas). Every object touched carries the rollout's annotations.
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
        if (!kc.getContextObject(ref.cluster)) throw new Error(`the kubeconfig has no context "${ref.cluster}"; known: ${kc.getContexts().map((c) => c.name).join(', ')}`);
        kc.setCurrentContext(ref.cluster);
      }
      api = kc.makeApiClient(AppsV1Api);
      this.clients.set(key, api);
    }
    return api;
  }

  private async read(ref: RolloutTargetRef, name: string): Promise<V1Deployment | undefined> {
    try {
      return await withRetry(`reading Deployment ${ref.namespace}/${name}`, () => this.apps(ref).readNamespacedDeployment({ name, namespace: ref.namespace }));
    } catch (err) {
      if (isNotFound((err as Error).cause)) return undefined;
      throw err;
    }
  }

  async live(ref: RolloutTargetRef): Promise<{ image: string; replicas: number } | undefined> {
    const d = await this.read(ref, ref.deployment);
    if (!d) return undefined;
    const image = containerImage(d, ref.container);
    if (!image) {
      const names = (d.spec?.template?.spec?.containers ?? []).map((c) => c.name).join(', ');
      throw new Error(`Deployment ${ref.namespace}/${ref.deployment} has no container "${ref.container}"; it has: ${names}`);
    }
    return { image, replicas: d.spec?.replicas ?? 1 };
  }

  async observe(r: Rollout): Promise<Observation> {
    const [stable, canary] = await Promise.all([this.read(r.target, r.target.deployment), r.strategy === 'CANARY' ? this.read(r.target, canaryName(r)) : Promise.resolve(undefined)]);
    if (!stable) throw new Error(`Deployment ${r.target.namespace}/${r.target.deployment} is gone from the cluster`);
    return { stable: stateOf(stable, r.target.container), ...(canary ? { canary: stateOf(canary, r.target.container) } : {}) };
  }

  async apply(r: Rollout, effect: Effect): Promise<void> {
    const annotations = { [ANNOTATION_ROLLOUT]: r.id, [ANNOTATION_MANAGED]: 'flightdeck-deployment' };
    const { namespace, container } = r.target;
    const api = this.apps(r.target);
    const patch = (name: string, body: object) => withRetry(`patching Deployment ${namespace}/${name}`, () => api.patchNamespacedDeployment({ name, namespace, body }, merge));
    switch (effect.type) {
      case 'SCALE_CANARY': {
        await this.ensureCanary(r, effect.canaryImage, effect.canaryReplicas, annotations);
        await patch(r.target.deployment, { metadata: { annotations }, spec: { replicas: effect.stableReplicas } });
        return;
      }
      case 'SET_STABLE':
        await patch(r.target.deployment, { metadata: { annotations }, spec: { replicas: effect.replicas, template: { spec: { containers: [{ name: container, image: effect.image }] } } } });
        return;
      case 'PARK_PREVIOUS':
        await patch(canaryName(r), { metadata: { annotations }, spec: { replicas: 0, template: { spec: { containers: [{ name: container, image: effect.image }] } } } });
        return;
      case 'SCALE_DOWN_CANARY': {
        const canary = await this.read(r.target, canaryName(r));
        // Kept at zero, not deleted: the next rollout reuses it and an operator sees what ran.
        if (canary) await patch(canaryName(r), { metadata: { annotations }, spec: { replicas: 0 } });
      }
    }
  }

  private async ensureCanary(r: Rollout, image: string, replicas: number, annotations: Record<string, string>): Promise<void> {
    const { namespace, container } = r.target;
    const name = canaryName(r);
    const api = this.apps(r.target);
    const existing = await this.read(r.target, name);
    if (existing) {
      await withRetry(`patching Deployment ${namespace}/${name}`, () =>
        api.patchNamespacedDeployment({ name, namespace, body: { metadata: { annotations }, spec: { replicas, template: { spec: { containers: [{ name: container, image }] } } } } }, merge),
      );
      return;
    }
    if (replicas === 0) return;
    const stable = await this.read(r.target, r.target.deployment);
    if (!stable?.spec) throw new Error(`Deployment ${namespace}/${r.target.deployment} is gone from the cluster`);
    const role = { [LABEL_ROLE]: 'canary' };
    const template = structuredClone(stable.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...role } };
    for (const c of template.spec?.containers ?? []) if (c.name === container) c.image = image;
    const body: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels: { ...stable.metadata?.labels, ...role }, annotations },
      spec: {
        replicas,
        selector: { matchLabels: { ...stable.spec.selector.matchLabels, ...role } },
        template,
        ...(stable.spec.progressDeadlineSeconds ? { progressDeadlineSeconds: stable.spec.progressDeadlineSeconds } : {}),
        ...(stable.spec.minReadySeconds ? { minReadySeconds: stable.spec.minReadySeconds } : {}),
      },
    };
    try {
      await withRetry(`creating Deployment ${namespace}/${name}`, () => api.createNamespacedDeployment({ namespace, body }));
    } catch (err) {
      // Created by an earlier attempt whose answer was lost: patch it instead.
      if (isConflict(err)) await this.ensureCanary(r, image, replicas, annotations);
      else throw err;
    }
  }
}
