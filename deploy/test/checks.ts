import type { V1Container, V1Deployment, V1Service } from '@kubernetes/client-node';
import type { z } from 'zod';
import { describeEnv, loadConfig } from '@flightdeck/config';
import { subgraphUrlVariable } from '@flightdeck/gateway';
import { expect } from 'vitest';
import { componentObjects, portNumber, type Manifest } from './objects.js';

// What every install of Flightdeck must get right for each service, whatever rendered it: the kustomize base
// (deploy/test) and the Helm chart (helm/test) run the same checks.

type Component = { deployment: V1Deployment; service: V1Service; container: V1Container };

/** The service's default PORT, from its config schema. */
export function defaultPort(schema: z.ZodObject): number {
  return Number(describeEnv(schema).find((r) => r.variable === 'PORT')?.default);
}

/** Every variable is one the schema has, every required one is set, and the service's own loader accepts them all. */
export function expectConfigLoads(schema: z.ZodObject, env: Record<string, string>): void {
  const known = new Set(Object.keys(schema.shape));
  expect(
    Object.keys(env).filter((v) => !known.has(v)),
    'variables the config schema does not have',
  ).toEqual([]);
  const missing = describeEnv(schema)
    .filter((r) => r.required && !env[r.variable]?.trim())
    .map((r) => r.variable);
  expect(missing, 'required by the schema (no default), not set by the Deployment').toEqual([]);
  // Every value parsed as the service's main parses it, cross-variable rules included (AUTH_JWT_SECRET or AUTH_JWKS_URL).
  expect(() => loadConfig(schema, env)).not.toThrow();
  expect(env.HOST, 'the default 127.0.0.1 is unreachable from the kubelet and other pods').toBe('0.0.0.0');
}

/** Listens on its default PORT, is probed there (/readyz, /healthz) and its Service sends there. */
export function expectServedOnDefaultPort(
  schema: z.ZodObject,
  { deployment, service, container }: Component,
  env: Record<string, string>,
  opts: { scrapeAnnotations: boolean },
): void {
  const port = defaultPort(schema);
  expect(port).toBeGreaterThan(0);
  expect(env.PORT).toBe(String(port));
  expect(portNumber(container, 'http')).toBe(port);
  expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz' });
  expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz' });
  expect(portNumber(container, container.readinessProbe?.httpGet?.port)).toBe(port);
  expect(portNumber(container, container.livenessProbe?.httpGet?.port)).toBe(port);
  if (container.startupProbe) expect(portNumber(container, container.startupProbe.httpGet?.port)).toBe(port);
  const annotations = deployment.spec?.template.metadata?.annotations ?? {};
  if (opts.scrapeAnnotations)
    expect(annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port),
      'prometheus.io/path': '/metrics',
    });
  else expect(Object.keys(annotations).filter((a) => a.startsWith('prometheus.io/'))).toEqual([]);
  const [servicePort, ...more] = service.spec?.ports ?? [];
  expect(more).toEqual([]);
  expect(portNumber(container, servicePort?.targetPort)).toBe(port);
  expect(deployment.spec?.template.metadata?.labels).toMatchObject(
    service.spec?.selector ?? { 'a selector': 'missing' },
  );
  expect(deployment.spec?.selector.matchLabels).toEqual(service.spec?.selector);
}

/** Non-root with a numeric user, read-only root file system, no capabilities, the runtime's seccomp profile, resources; an API token only for the deployment service. */
export function expectHardened(name: string, { deployment, container }: Component, image: string): void {
  const pod = deployment.spec?.template.spec;
  expect(container.image).toBe(image);
  expect(pod?.securityContext?.runAsNonRoot).toBe(true);
  expect(pod?.securityContext?.runAsUser, 'a numeric user, so the kubelet can verify it is not root').toBeGreaterThan(
    0,
  );
  expect(pod?.securityContext?.seccompProfile?.type ?? container.securityContext?.seccompProfile?.type).toBe(
    'RuntimeDefault',
  );
  expect(container.securityContext).toMatchObject({
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
  expect(container.resources?.limits).toMatchObject({ memory: expect.any(String) });
  if (name !== 'deployment')
    expect(pod?.automountServiceAccountToken, 'only the deployment service calls the Kubernetes API').toBe(false);
}

/** The gateway's SUBGRAPH_<NAME>_URL of each subgraph is the /graphql of that subgraph's rendered Service. */
export function expectGatewayReachesSubgraphs(
  objects: Manifest[],
  gatewayEnv: Record<string, string>,
  subgraphs: string[],
): void {
  expect(subgraphs.length).toBeGreaterThan(0);
  for (const subgraph of subgraphs) {
    const { service } = componentObjects(objects, subgraph);
    const url = new URL(
      gatewayEnv[subgraphUrlVariable(subgraph)] ?? `http://${subgraphUrlVariable(subgraph)}.is.not.set`,
    );
    expect(url.hostname, subgraph).toBe(service.metadata?.name);
    expect(Number(url.port), subgraph).toBe(service.spec?.ports?.[0]?.port);
    expect(url.pathname, subgraph).toBe('/graphql');
  }
}
