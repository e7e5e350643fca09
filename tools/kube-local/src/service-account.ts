import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { tokenKubeconfig } from './kubeconfig.js';

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/**
 * A kubeconfig that acts as a service account, as a pod running under it would: a token minted through the
 * TokenRequest API (the service account must exist), so RBAC decides every call made with it. `admin` is the
 * cluster's admin kubeconfig; the token expires after `expirationSeconds` (at least 600, the API's minimum).
 */
export async function serviceAccountKubeconfig(
  cluster: { url: string; caCert: string; kubeconfig: string },
  account: ServiceAccountRef,
  expirationSeconds = 3600,
): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  const minted = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: account.name,
    namespace: account.namespace,
    body: { spec: { expirationSeconds, audiences: [] } },
  });
  const token = minted.status?.token;
  if (!token)
    throw new Error(`the TokenRequest for service account ${account.namespace}/${account.name} returned no token`);
  return tokenKubeconfig(
    cluster.url,
    cluster.caCert,
    token,
    `system:serviceaccount:${account.namespace}:${account.name}`,
    account.namespace,
  );
}
