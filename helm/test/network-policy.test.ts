import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ofKind, type Manifest } from '@flightdeck/deploy/test/objects';
import { namespace, release } from './cases.js';
import { template } from './helm.js';
import { canConnect, type Endpoint } from './network-policy.js';

// Who can reach whom under the chart's NetworkPolicies: only the gateway takes connections from outside; the
// services take them from the gateway (and Prometheus, Alertmanager where allowed) and reach DNS and their dependencies.

const ports: Record<string, number> = { gateway: 4000, planning: 4001, gates: 4002, deployment: 4003, analytics: 4004 };
const subgraphs = ['planning', 'gates', 'deployment', 'analytics'];
const pod = (ns: string, labels: Record<string, string>): Endpoint => ({ pod: { namespace: ns, labels } });
const outside = {
  ingressController: pod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  prometheus: pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
  alertmanager: pod('monitoring', { 'app.kubernetes.io/name': 'alertmanager' }),
  stranger: pod('default', { app: 'curl' }),
  mongodb: pod('databases', { app: 'mongodb' }),
  mongodbElsewhere: pod('default', { app: 'mongodb' }),
  nats: pod('messaging', { app: 'nats' }),
  prometheusApi: pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
  dns: pod('kube-system', { 'k8s-app': 'kube-dns' }),
  kubernetesApi: { ip: '10.96.0.1' } as Endpoint,
};

function pods(objects: Manifest[]): Record<string, Endpoint> {
  return Object.fromEntries(
    ofKind<V1Deployment>(objects, 'Deployment').map((d) => [
      d.metadata.labels!['app.kubernetes.io/component']!,
      pod(namespace, d.spec!.template.metadata!.labels!),
    ]),
  );
}

describe('hardened-values.yaml (peers given for the gateway, metrics, Alertmanager, MongoDB and NATS)', () => {
  const { objects } = template({ release, namespace, valuesFiles: ['hardened-values.yaml'] });
  const own = pods(objects);

  it('lets the ingress controller reach the gateway, and nobody else from outside reach any service', () => {
    expect(canConnect(objects, outside.ingressController, own.gateway!, 4000)).toBe(true);
    expect(canConnect(objects, outside.stranger, own.gateway!, 4000)).toBe(false);
    for (const s of subgraphs) {
      expect(canConnect(objects, outside.ingressController, own[s]!, ports[s]!), s).toBe(false);
      expect(canConnect(objects, outside.stranger, own[s]!, ports[s]!), s).toBe(false);
    }
  });

  it('lets the gateway reach each service, and no service reach another or the gateway', () => {
    for (const s of subgraphs) expect(canConnect(objects, own.gateway!, own[s]!, ports[s]!), s).toBe(true);
    for (const a of subgraphs)
      for (const b of ['gateway', ...subgraphs])
        if (a !== b) expect(canConnect(objects, own[a]!, own[b]!, ports[b]!), `${a} -> ${b}`).toBe(false);
  });

  it('lets Prometheus scrape every service and Alertmanager post to the analytics webhook', () => {
    for (const c of Object.keys(ports))
      expect(canConnect(objects, outside.prometheus, own[c]!, ports[c]!), c).toBe(true);
    expect(canConnect(objects, outside.alertmanager, own.analytics!, 4004)).toBe(true);
  });

  it('lets the services reach DNS, their MongoDB and NATS where the values put them, and only those that use it Prometheus and the API server', () => {
    for (const c of Object.keys(ports)) expect(canConnect(objects, own[c]!, outside.dns, 53, 'UDP'), c).toBe(true);
    for (const s of subgraphs) {
      expect(canConnect(objects, own[s]!, outside.mongodb, 27017), s).toBe(true);
      expect(
        canConnect(objects, own[s]!, outside.mongodbElsewhere, 27017),
        `${s}: MongoDB outside the databases namespace`,
      ).toBe(false);
      expect(canConnect(objects, own[s]!, outside.nats, 4222), s).toBe(true);
      expect(canConnect(objects, own[s]!, outside.prometheusApi, 9090), s).toBe(['gates', 'deployment'].includes(s));
      expect(canConnect(objects, own[s]!, outside.kubernetesApi, 443), s).toBe(s === 'deployment');
      expect(canConnect(objects, own[s]!, outside.kubernetesApi, 6443), s).toBe(s === 'deployment');
    }
    expect(canConnect(objects, own.gateway!, outside.mongodb, 27017)).toBe(false);
    expect(canConnect(objects, own.gateway!, outside.nats, 4222)).toBe(false);
    expect(canConnect(objects, own.gateway!, outside.kubernetesApi, 443)).toBe(false);
  });
});

describe('networkPolicy.enabled alone (no peers given)', () => {
  const { objects } = template({ release, namespace, set: { 'networkPolicy.enabled': 'true' } });
  const own = pods(objects);

  it('opens the gateway to any source, and nothing else to anyone but the gateway', () => {
    expect(canConnect(objects, outside.stranger, own.gateway!, 4000)).toBe(true);
    for (const s of subgraphs) {
      expect(canConnect(objects, outside.stranger, own[s]!, ports[s]!), s).toBe(false);
      expect(canConnect(objects, outside.prometheus, own[s]!, ports[s]!), `${s}: metricsFrom is empty`).toBe(false);
      expect(canConnect(objects, own.gateway!, own[s]!, ports[s]!), s).toBe(true);
    }
  });
});

it('renders no NetworkPolicy unless asked', () => {
  expect(ofKind(template({ release, namespace }).objects, 'NetworkPolicy')).toEqual([]);
});
