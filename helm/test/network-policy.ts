import type {
  V1LabelSelector,
  V1NetworkPolicy,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
} from '@kubernetes/client-node';
import { ofKind, type Manifest } from '@flightdeck/deploy/test/objects';

// What rendered NetworkPolicies let through, as the Kubernetes API defines it, for a connection from one endpoint to
// another on one port. Enough for the chart's policies: matchLabels selectors, ports by number; anything else
// (matchExpressions, named ports) throws rather than guess.

export interface Endpoint {
  /** Pods have a namespace and labels; anything else (the API server, an AI endpoint) is an address outside the cluster's pods. */
  pod?: { namespace: string; labels: Record<string, string> };
  ip?: string;
}

function matches(selector: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions: not understood by this check');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

function peerMatches(peer: V1NetworkPolicyPeer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) return other.ip !== undefined && !other.pod; // no CIDR arithmetic needed by these tests: any ipBlock is "an address"
  if (!other.pod) return false;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, namespaceLabels(other.pod.namespace))
    : other.pod.namespace === policyNamespace;
  return namespaceOk && matches(peer.podSelector, other.pod.labels);
}

function portMatches(ports: V1NetworkPolicyPort[] | undefined, port: number, protocol: string): boolean {
  if (!ports?.length) return true;
  return ports.some((p) => {
    if (typeof p.port === 'string') throw new Error(`named port ${p.port}: not understood by this check`);
    return (
      (p.protocol ?? 'TCP') === protocol &&
      (p.port === undefined || p.port === port || (p.endPort !== undefined && port >= p.port && port <= p.endPort))
    );
  });
}

function allowedBy(
  policies: Manifest[],
  subject: Endpoint,
  other: Endpoint,
  direction: 'Ingress' | 'Egress',
  port: number,
  protocol: string,
): boolean {
  if (!subject.pod) return true; // only pods are isolated by NetworkPolicies
  const selecting = ofKind<V1NetworkPolicy>(policies, 'NetworkPolicy').filter(
    (p) =>
      (p.metadata.namespace ?? subject.pod!.namespace) === subject.pod!.namespace &&
      matches(p.spec!.podSelector, subject.pod!.labels) &&
      (p.spec!.policyTypes ?? ['Ingress']).includes(direction),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) => {
    const rules = direction === 'Ingress' ? (p.spec!.ingress ?? []) : (p.spec!.egress ?? []);
    return rules.some((rule) => {
      const peers =
        direction === 'Ingress'
          ? (rule as { from?: V1NetworkPolicyPeer[] }).from
          : (rule as { to?: V1NetworkPolicyPeer[] }).to;
      const peerOk =
        !peers?.length ||
        peers.some((peer) => peerMatches(peer, p.metadata.namespace ?? subject.pod!.namespace, other));
      return peerOk && portMatches(rule.ports, port, protocol);
    });
  });
}

/** Whether `from` may open a connection to `to` on this port: `from`'s egress and `to`'s ingress both allow it. */
export function canConnect(objects: Manifest[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  return (
    allowedBy(objects, from, to, 'Egress', port, protocol) && allowedBy(objects, to, from, 'Ingress', port, protocol)
  );
}
