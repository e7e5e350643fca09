import { stringify } from 'yaml';
import type { CertFiles } from './pki.js';

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

/**
 * A kubeconfig for `url` that trusts the cluster's CA and signs in with a client certificate; the certificates are
 * embedded, so the file works on its own (kubectl, `KubeConfig.loadFromFile`, the Go binaries).
 */
export function kubeconfigFor(
  url: string,
  caPem: string,
  user: CertFiles,
  userName: string,
  namespace = 'default',
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kube-local', cluster: { server: url, 'certificate-authority-data': b64(caPem) } }],
    users: [
      { name: userName, user: { 'client-certificate-data': b64(user.certPem), 'client-key-data': b64(user.keyPem) } },
    ],
    contexts: [{ name: 'kube-local', context: { cluster: 'kube-local', user: userName, namespace } }],
    'current-context': 'kube-local',
    preferences: {},
  });
}

/** A kubeconfig for `url` that trusts the cluster's CA and signs in with a bearer token (a service account's, say). */
export function tokenKubeconfig(
  url: string,
  caPem: string,
  token: string,
  userName: string,
  namespace = 'default',
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kube-local', cluster: { server: url, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: userName, user: { token } }],
    contexts: [{ name: 'kube-local', context: { cluster: 'kube-local', user: userName, namespace } }],
    'current-context': 'kube-local',
    preferences: {},
  });
}
