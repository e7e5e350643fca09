import { subgraphUrlVariable } from '@flightdeck/gateway';
import { describe, expect, it } from 'vitest';
import {
  expectConfigLoads,
  expectGatewayReachesSubgraphs,
  expectHardened,
  expectServedOnDefaultPort,
} from '@flightdeck/deploy/test/checks';
import { components, subgraphNames } from '@flightdeck/deploy/test/components';
import { componentObjects, containerEnv, type EnvSources } from '@flightdeck/deploy/test/objects';
import { cases, namespace, release } from './cases.js';
import { template } from './helm.js';

// Each service of each values file, checked as deploy/test checks the kustomize base: its environment against its
// config schema, its port and probes, its hardening, and the gateway's way to every subgraph.

describe.each(cases)('$file', (c) => {
  const { objects } = template({ release, namespace, valuesFiles: [c.file] });
  const sources = (pod: string): EnvSources => ({
    secrets: c.operatorSecrets,
    // The Flightdeck Secret, yours or the chart's, has one key per variable, as deploy/README.md's flightdeck-secrets.
    keyIsVariable: ['flightdeck-secrets', `${release}-secrets`],
    pod: { name: `${pod}-7d4b9c-q2w3e`, namespace },
  });

  describe.each(components.filter((s) => c.enabled.includes(s.name)))('$name', ({ name, schema }) => {
    const component = componentObjects(objects, name);
    const env = containerEnv(objects, component.container, sources(component.deployment.metadata!.name!));

    it('sets only variables its config schema has, every required one, and its config loads', () => {
      expectConfigLoads(schema, env);
    });

    it('listens, is started, probed and served on its default PORT', () => {
      expectServedOnDefaultPort(schema, component, env, { scrapeAnnotations: c.scrapeAnnotations });
      expect(component.container.startupProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    });

    it(`runs ${c.image(name)} as non-root on a read-only root file system, with resources`, () => {
      expectHardened(name, component, c.image(name));
    });
  });

  it('points the gateway at every subgraph: its Service here, or the URL of one run elsewhere', () => {
    const { container } = componentObjects(objects, 'gateway');
    const env = containerEnv(objects, container, sources(`${release}-gateway`));
    expectGatewayReachesSubgraphs(
      objects,
      env,
      subgraphNames.filter((s) => c.enabled.includes(s)),
    );
    for (const subgraph of subgraphNames.filter((s) => !c.enabled.includes(s)))
      expect(env[subgraphUrlVariable(subgraph)], subgraph).toBe(c.external[subgraph]);
  });
});
