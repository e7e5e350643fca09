import { ApiException, AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

/**
 * What the simulated cluster holds from its first start, so a rollout can be tried at once: the Deployment `web` in
 * the namespace `demo`, four replicas of `demo/web:1.0.0` (container `web`). Images behave by their tag (kube-sim's
 * TAG_CONVENTIONS): `demo/web:1.1.0` is healthy, `demo/web:1.1.0-bad` is rolled back on its own.
 */
export const DEMO_WORKLOAD = {
  namespace: 'demo',
  deployment: 'web',
  container: 'web',
  image: 'demo/web:1.0.0',
  replicas: 4,
} as const;

const alreadyThere = (err: unknown) => err instanceof ApiException && err.code === 409;

/** Creates the demo workload unless it exists (the cluster keeps its state in the data directory across restarts). */
export async function ensureDemoWorkload(kubeconfig: KubeConfig): Promise<boolean> {
  const { namespace, deployment, container, image, replicas } = DEMO_WORKLOAD;
  await kubeconfig
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name: namespace } } })
    .catch((err: unknown) => {
      if (!alreadyThere(err)) throw err;
    });
  const labels = { app: deployment };
  try {
    await kubeconfig.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: deployment, labels },
        spec: {
          replicas,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: container, image }] } },
        },
      },
    });
    return true;
  } catch (err) {
    if (alreadyThere(err)) return false;
    throw err;
  }
}
