import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { eventually } from './api.js';

/** What production runs before the demo's first release: one Deployment per service, four replicas each. */
export async function createWorkloads(
  kubeconfig: KubeConfig,
  namespace: string,
  images: Record<string, string>,
): Promise<void> {
  const core = kubeconfig.makeApiClient(CoreV1Api);
  const apps = kubeconfig.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  for (const [name, image] of Object.entries(images)) {
    const labels = { app: name };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels },
        spec: {
          replicas: 4,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
        },
      },
    });
  }
  await eventually(`${namespace}'s workloads ready`, async () => {
    const ready = await Promise.all(
      Object.keys(images).map(
        async (name) => (await apps.readNamespacedDeployment({ name, namespace })).status?.readyReplicas ?? 0,
      ),
    );
    return ready.every((n) => n === 4) ? true : undefined;
  });
}
