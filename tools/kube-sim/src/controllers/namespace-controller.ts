import type { ClusterApi } from '../api/cluster-api.js';
import type { KubeObject } from '../api/types.js';
import { kinds } from '../kinds/registry.js';
import type { StoreEvent } from '../store/store.js';

/** kube-sim serves plain HTTP: there is no CA to publish, so the ConfigMap says so where the certificate would be. */
const noCa = '# kube-sim serves plain HTTP without TLS: there is no cluster CA certificate\n';

/**
 * What Kubernetes' controllers put in every namespace: the `default` ServiceAccount (serviceaccount-controller)
 * and the `kube-root-ca.crt` ConfigMap (root-ca-certificate-publisher).
 */
export class NamespaceController {
  constructor(private readonly api: ClusterApi) {}

  onEvent(e: StoreEvent): void {
    if (e.resource === 'core/namespaces' && e.type === 'ADDED') this.populate(e.object);
  }

  populate(ns: KubeObject): void {
    const namespace = ns.metadata.name!;
    if (ns.metadata.deletionTimestamp) return;
    if (!this.api.tryGet(kinds.serviceaccounts, namespace, 'default'))
      this.api.create(kinds.serviceaccounts, namespace, { metadata: { name: 'default' } });
    if (!this.api.tryGet(kinds.configmaps, namespace, 'kube-root-ca.crt'))
      this.api.create(kinds.configmaps, namespace, {
        metadata: {
          name: 'kube-root-ca.crt',
          annotations: {
            'kubernetes.io/description':
              'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
          },
        },
        data: { 'ca.crt': noCa },
      });
  }
}
