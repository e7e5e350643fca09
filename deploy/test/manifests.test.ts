import { join } from 'node:path';
import type { V1Role, V1RoleBinding, V1Service } from '@kubernetes/client-node';
import { describeEnv, loadConfig } from '@flightdeck/config';
import { subgraphUrlVariable } from '@flightdeck/gateway';
import { describe, expect, it } from 'vitest';
import { requiredPermissions } from './api-calls.js';
import { components, subgraphNames } from './components.js';
import { componentObjects, containerEnv, ofKind, portNumber, render, repoRoot, type EnvSources } from './manifests.js';

// What the README's `kubectl create secret generic flightdeck-secrets` creates: random secrets, no AI key.
const operatorSecret = { AUTH_JWT_SECRET: 'f'.repeat(64), ALERTMANAGER_WEBHOOK_TOKEN: 'a'.repeat(64), AI_API_KEY: '' };

const renders = [
  { dir: 'deploy/manifests', namespace: 'flightdeck', image: (c: string) => `ghcr.io/flightdeck/${c}:0.1.0` },
  { dir: 'deploy/examples/overlay', namespace: 'release-tools', image: (c: string) => `registry.example.com/flightdeck/${c}:0.1.1` },
];

describe.each(renders)('kubectl kustomize $dir', ({ dir, namespace, image }) => {
  const { objects } = render(dir);
  const sources = (pod: string): EnvSources => ({ secret: operatorSecret, secretName: 'flightdeck-secrets', pod: { name: `${pod}-5d9c7b-x2x7q`, namespace } });

  it(`puts every object in namespace ${namespace}, labelled part-of flightdeck`, () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(namespace);
      expect(o.metadata.labels?.['app.kubernetes.io/part-of'], `${o.kind}/${o.metadata.name}`).toBe('flightdeck');
    }
    expect(objects.map((o) => o.kind)).not.toContain('Secret');
  });

  describe.each(components)('$name', ({ name, schema }) => {
    const { deployment, service, container } = componentObjects(objects, name);
    const rows = describeEnv(schema);
    const defaultPort = Number(rows.find((r) => r.variable === 'PORT')?.default);
    const env = containerEnv(objects, container, sources(deployment.metadata!.name!));

    it('sets only variables its config schema has, and resolves every reference', () => {
      const known = new Set(Object.keys(schema.shape));
      expect(Object.keys(env).filter((v) => !known.has(v))).toEqual([]);
    });

    it('provides every variable the schema requires, and its config loads', () => {
      const missing = rows.filter((r) => r.required && !env[r.variable]?.trim()).map((r) => r.variable);
      expect(missing, 'required by the schema (no default), not set by the Deployment').toEqual([]);
      // Every value parsed as the service's main parses it, cross-variable rules included (AUTH_JWT_SECRET or AUTH_JWKS_URL).
      expect(() => loadConfig(schema, env)).not.toThrow();
      expect(env.HOST, 'the default 127.0.0.1 is unreachable from the kubelet and other pods').toBe('0.0.0.0');
    });

    it(`listens, is probed and is served on its default PORT (${defaultPort})`, () => {
      expect(defaultPort).toBeGreaterThan(0);
      expect(env.PORT).toBe(String(defaultPort));
      expect(portNumber(container, 'http')).toBe(defaultPort);
      expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz' });
      expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz' });
      expect(portNumber(container, container.readinessProbe?.httpGet?.port)).toBe(defaultPort);
      expect(portNumber(container, container.livenessProbe?.httpGet?.port)).toBe(defaultPort);
      expect(deployment.spec?.template.metadata?.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(defaultPort), 'prometheus.io/path': '/metrics' });
      const [port, ...more] = service.spec?.ports ?? [];
      expect(more).toEqual([]);
      expect(port?.port).toBe(defaultPort);
      expect(portNumber(container, port?.targetPort)).toBe(defaultPort);
      expect(deployment.spec?.template.metadata?.labels).toMatchObject(service.spec?.selector ?? { 'a selector': 'missing' });
      expect(deployment.spec?.selector.matchLabels).toEqual(service.spec?.selector);
    });

    it(`runs ${image(name)} as non-root on a read-only root file system, with resources`, () => {
      const pod = deployment.spec?.template.spec;
      expect(container.image).toBe(image(name));
      expect(pod?.securityContext?.runAsNonRoot).toBe(true);
      expect(pod?.securityContext?.runAsUser, 'a numeric user, so the kubelet can verify it is not root').toBeGreaterThan(0);
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources?.limits).toMatchObject({ memory: expect.any(String) });
      if (name !== 'deployment') expect(pod?.automountServiceAccountToken, 'only the deployment service calls the Kubernetes API').toBe(false);
    });
  });

  it('points the gateway at the Service of every subgraph in its supergraph', () => {
    const { container } = componentObjects(objects, 'gateway');
    const env = containerEnv(objects, container, sources('flightdeck-gateway'));
    expect(subgraphNames.length).toBeGreaterThan(0);
    for (const subgraph of subgraphNames) {
      const { service } = componentObjects(objects, subgraph);
      const url = new URL(env[subgraphUrlVariable(subgraph)] ?? `http://${subgraphUrlVariable(subgraph)}.is.not.set`);
      expect(url.hostname, subgraph).toBe(service.metadata?.name);
      expect(Number(url.port), subgraph).toBe(service.spec?.ports?.[0]?.port);
      expect(url.pathname, subgraph).toBe('/graphql');
    }
  });

  it('grants the deployment service exactly the API calls its source makes, in its own namespace', () => {
    const { deployment, container } = componentObjects(objects, 'deployment');
    const account = deployment.spec?.template.spec?.serviceAccountName;
    expect(ofKind(objects, 'ServiceAccount').map((o) => o.metadata.name)).toEqual([account]);
    const bound = ofKind<V1RoleBinding>(objects, 'RoleBinding').filter((b) => b.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === account && s.namespace === namespace));
    const roles = bound.map((b) => {
      expect(b.roleRef.kind).toBe('Role');
      return ofKind<V1Role>(objects, 'Role').find((r) => r.metadata.name === b.roleRef.name);
    });
    const granted = new Set(
      roles.flatMap((r) => (r?.rules ?? []).flatMap((rule) => (rule.apiGroups ?? []).flatMap((g) => (rule.resources ?? []).flatMap((res) => rule.verbs.map((v) => `${g}/${res}: ${v}`))))),
    );
    const needed = requiredPermissions(join(repoRoot, 'apps/deployment/src'));
    expect(needed).toContain('coordination.k8s.io/leases: update');
    expect([...granted].sort()).toEqual([...needed].sort());
    // The Lease is elected in the pod's own namespace, where the Role lets it be written.
    expect(container.env?.find((e) => e.name === 'LEASE_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
  });

  it('has a Service for each of the five components and no other', () => {
    const names = ofKind<V1Service>(objects, 'Service').map((s) => s.metadata.name);
    expect(names.sort()).toEqual(components.map((c) => `flightdeck-${c.name}`).sort());
  });
});
