import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** A kubeconfig for the simulator that both `kubectl --kubeconfig` and `KubeConfig.loadFromFile` accept. */
export function kubeconfigFor(url: string, token?: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain http unless TLS verification is marked as skipped (there is no TLS to verify).
    clusters: [{ name: 'kube-sim', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'kube-sim', user: token ? { token } : { username: 'kube-sim' } }],
    contexts: [{ name: 'kube-sim', context: { cluster: 'kube-sim', user: 'kube-sim', namespace } }],
    'current-context': 'kube-sim',
    preferences: {},
  });
}

export function writeKubeconfig(file: string, url: string, token?: string): void {
  writeFileSync(file, kubeconfigFor(url, token), { mode: 0o600 });
}
