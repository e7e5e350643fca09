import { join } from 'node:path';
import type { V1Service } from '@kubernetes/client-node';
import { loadConfig } from '@flightdeck/config';
import { describe, expect, it } from 'vitest';
import { requiredPermissions } from './api-calls.js';
import {
  defaultPort,
  expectConfigLoads,
  expectGatewayReachesSubgraphs,
  expectHardened,
  expectServedOnDefaultPort,
} from './checks.js';
import { components, subgraphNames } from './components.js';
import {
  componentObjects,
  containerEnv,
  grantedPermissions,
  ofKind,
  render,
  repoRoot,
  type EnvSources,
} from './manifests.js';

// What the README's `kubectl create secret generic flightdeck-secrets` creates: random secrets, no AI key, no SMTP.
const operatorSecret = {
  AUTH_JWT_SECRET: 'f'.repeat(64),
  ALERTMANAGER_WEBHOOK_TOKEN: 'a'.repeat(64),
  GITHUB_WEBHOOK_SECRET: 'b'.repeat(64),
  GITLAB_WEBHOOK_TOKEN: 'c'.repeat(64),
  AI_API_KEY: '',
  NOTIFY_SMTP_URL: '',
};

const renders = [
  { dir: 'deploy/manifests', namespace: 'flightdeck', image: (c: string) => `ghcr.io/flightdeck/${c}:0.1.0` },
  {
    dir: 'deploy/examples/overlay',
    namespace: 'release-tools',
    image: (c: string) => `registry.example.com/flightdeck/${c}:0.1.1`,
  },
];

describe.each(renders)('kubectl kustomize $dir', ({ dir, namespace, image }) => {
  const { objects } = render(dir);
  const sources = (pod: string): EnvSources => ({
    secrets: { 'flightdeck-secrets': operatorSecret },
    keyIsVariable: ['flightdeck-secrets'],
    pod: { name: `${pod}-5d9c7b-x2x7q`, namespace },
  });

  it(`puts every object in namespace ${namespace}, labelled part-of flightdeck`, () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(namespace);
      expect(o.metadata.labels?.['app.kubernetes.io/part-of'], `${o.kind}/${o.metadata.name}`).toBe('flightdeck');
    }
    expect(objects.map((o) => o.kind)).not.toContain('Secret');
  });

  describe.each(components)('$name', ({ name, schema }) => {
    const component = componentObjects(objects, name);
    const env = containerEnv(objects, component.container, sources(component.deployment.metadata!.name!));

    it('sets only variables its config schema has, every required one, and its config loads', () => {
      expectConfigLoads(schema, env);
    });

    it(`listens, is probed and is served on its default PORT (${defaultPort(schema)})`, () => {
      expectServedOnDefaultPort(schema, component, env, { scrapeAnnotations: true });
      expect(component.service.spec?.ports?.[0]?.port).toBe(defaultPort(schema));
    });

    it(`runs ${image(name)} as non-root on a read-only root file system, with resources`, () => {
      expectHardened(name, component, image(name));
    });
  });

  it('gives planning its notification settings: the SMTP URL from flightdeck-secrets, the rest from the ConfigMap', () => {
    const { deployment, container } = componentObjects(objects, 'planning');
    const notify = (container.env ?? []).filter((e) => e.name.startsWith('NOTIFY_'));
    expect(notify.map((e) => e.name).sort()).toEqual([
      'NOTIFY_EMAIL_FROM',
      'NOTIFY_LINK_BASE_URL',
      'NOTIFY_MAX_ATTEMPTS',
      'NOTIFY_RETRY_BASE_MS',
      'NOTIFY_SMTP_URL',
      'NOTIFY_TIMEOUT_MS',
    ]);
    for (const e of notify)
      if (e.name === 'NOTIFY_SMTP_URL') expect(e.valueFrom?.secretKeyRef?.name).toBe('flightdeck-secrets');
      else expect(e.valueFrom?.configMapKeyRef?.name, e.name).toMatch(/^flightdeck-config/);
    // E-mail set up as deploy/README.md says: the URL in the Secret, the From address (and the rest) in the ConfigMap.
    const smtp = 'smtp://flightdeck:mail-password@smtp.example.com:587';
    const configured = objects.map((o) =>
      o.kind === 'ConfigMap'
        ? {
            ...o,
            data: {
              ...(o as { data?: Record<string, string> }).data,
              NOTIFY_EMAIL_FROM: 'Flightdeck <flightdeck@example.com>',
              NOTIFY_LINK_BASE_URL: 'https://flightdeck.example.com',
              NOTIFY_MAX_ATTEMPTS: '4',
            },
          }
        : o,
    );
    const env = containerEnv(configured, container, {
      ...sources(deployment.metadata!.name!),
      secrets: { 'flightdeck-secrets': { ...operatorSecret, NOTIFY_SMTP_URL: smtp } },
    });
    expect(loadConfig(components.find((c) => c.name === 'planning')!.schema, env)).toMatchObject({
      NOTIFY_SMTP_URL: smtp,
      NOTIFY_EMAIL_FROM: 'Flightdeck <flightdeck@example.com>',
      NOTIFY_LINK_BASE_URL: 'https://flightdeck.example.com',
      NOTIFY_MAX_ATTEMPTS: 4,
      NOTIFY_TIMEOUT_MS: 10_000,
      NOTIFY_RETRY_BASE_MS: 30_000,
    });
  });

  it('starts planning from a flightdeck-secrets made before NOTIFY_SMTP_URL existed, with e-mail off', () => {
    const { deployment, container } = componentObjects(objects, 'planning');
    const { NOTIFY_SMTP_URL: _added, ...before } = operatorSecret;
    const env = containerEnv(objects, container, {
      ...sources(deployment.metadata!.name!),
      secrets: { 'flightdeck-secrets': before },
    });
    expect(env).not.toHaveProperty('NOTIFY_SMTP_URL');
    const config = loadConfig(components.find((c) => c.name === 'planning')!.schema, env) as Record<string, unknown>;
    expect(config.NOTIFY_SMTP_URL).toBeUndefined();
  });

  it('points the gateway at the Service of every subgraph in its supergraph', () => {
    const { container } = componentObjects(objects, 'gateway');
    expectGatewayReachesSubgraphs(
      objects,
      containerEnv(objects, container, sources('flightdeck-gateway')),
      subgraphNames,
    );
  });

  it('grants the deployment service exactly the API calls its source makes, in its own namespace', () => {
    const { deployment, container } = componentObjects(objects, 'deployment');
    const account = deployment.spec?.template.spec?.serviceAccountName;
    expect(ofKind(objects, 'ServiceAccount').map((o) => o.metadata.name)).toEqual([account]);
    const granted = grantedPermissions(objects, { name: account!, namespace }, namespace);
    const needed = requiredPermissions(join(repoRoot, 'apps/deployment/src'));
    expect(needed).toContain('coordination.k8s.io/leases: update');
    expect([...granted].sort()).toEqual([...needed].sort());
    // The Lease is elected in the pod's own namespace, where the Role lets it be written.
    expect(container.env?.find((e) => e.name === 'LEASE_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe(
      'metadata.namespace',
    );
  });

  it('has a Service for each of the five components and no other', () => {
    const names = ofKind<V1Service>(objects, 'Service').map((s) => s.metadata.name);
    expect(names.sort()).toEqual(components.map((c) => `flightdeck-${c.name}`).sort());
  });
});
