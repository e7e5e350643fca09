import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gql } from 'graphql-tag';
import { createTokenVerifier } from '@flightdeck/auth';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { createSubgraphService, type SubgraphService, type SubgraphServiceOptions } from '../src/index.js';

const typeDefs = gql`
  type Query {
    hello: String!
  }
`;

type Extra = { greeting: string };

function options(overrides: Partial<SubgraphServiceOptions<Extra>> = {}): SubgraphServiceOptions<Extra> {
  return {
    service: 'shell-test',
    typeDefs,
    resolvers: { Query: { hello: (_p: unknown, _a: unknown, ctx: Extra) => ctx.greeting } },
    context: () => ({ greeting: 'hello from the shell' }),
    logger: createLogger({ service: 'shell-test', level: 'silent' }),
    metrics: createMetrics({ service: 'shell-test' }),
    verifier: createTokenVerifier({
      secret: 'shell-test-secret-at-least-32-characters',
      issuer: 'flightdeck',
      audience: 'flightdeck',
    }),
    readiness: (graphql) => [graphql],
    ...overrides,
  };
}

const hello = (graphqlUrl: string) =>
  fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ hello }' }),
  });

/** The service's app on a plain node http server of the test's own, so it answers before the service starts. */
async function serveApp(service: SubgraphService): Promise<{ base: string; server: Server }> {
  const server = createServer(service.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('createSubgraphService', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('answers /graphql with 503 SERVICE_UNAVAILABLE naming the service until it has started, then serves the subgraph', async () => {
    const service = createSubgraphService(options());
    const { base, server } = await serveApp(service);
    cleanups.push(
      () => new Promise((resolve) => server.close(resolve)),
      () => service.stop(),
    );

    const early = await hello(`${base}/graphql`);
    expect(early.status).toBe(503);
    expect(await early.json()).toEqual({
      errors: [{ message: 'shell-test is starting; retry in a moment', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });

    await service.start();
    const later = await hello(`${base}/graphql`);
    expect(later.status).toBe(200);
    expect(await later.json()).toEqual({ data: { hello: 'hello from the shell' } });
  });

  it('lists the readiness checks in the order the service gives them, graphql passing once started', async () => {
    let eventsReady = false;
    const service = createSubgraphService(
      options({
        readiness: (graphql) => [
          { name: 'mongodb', check: () => true },
          graphql,
          { name: 'events', check: () => eventsReady },
        ],
        onStart: async () => {
          eventsReady = true;
        },
      }),
    );
    const { base, server } = await serveApp(service);
    cleanups.push(
      () => new Promise((resolve) => server.close(resolve)),
      () => service.stop(),
    );

    const before = await fetch(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(((await before.json()) as { checks: unknown }).checks).toEqual([
      { name: 'mongodb', ok: true },
      { name: 'graphql', ok: false, error: 'check reported not ready' },
      { name: 'events', ok: false, error: 'check reported not ready' },
    ]);

    await service.start();
    const after = await fetch(`${base}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'mongodb', ok: true },
        { name: 'graphql', ok: true },
        { name: 'events', ok: true },
      ],
    });
  });

  it('leaves the graphql check out when the service does not list it', async () => {
    const service = createSubgraphService(
      options({ readiness: () => [{ name: 'planning-events', check: () => true }] }),
    );
    const { url } = await service.listen(0);
    cleanups.push(() => service.stop());
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: [{ name: 'planning-events', ok: true }],
    });
  });

  it('starts once, running onStart after /graphql answers, and listen() gives the url, the port and the GraphQL url', async () => {
    let starts = 0;
    let graphqlStatusDuringOnStart: number | undefined;
    let base = '';
    const service = createSubgraphService(
      options({
        onStart: async () => {
          starts++;
          graphqlStatusDuringOnStart = (await hello(`${base}/graphql`)).status;
        },
      }),
    );
    const served = await serveApp(service);
    base = served.base;
    cleanups.push(() => new Promise((resolve) => served.server.close(resolve)));

    const address = await service.listen(0);
    cleanups.push(() => service.stop());
    await service.start();
    expect(starts).toBe(1);
    expect(graphqlStatusDuringOnStart).toBe(200);
    expect(address).toEqual({
      url: `http://127.0.0.1:${address.port}`,
      port: expect.any(Number),
      graphqlUrl: `http://127.0.0.1:${address.port}/graphql`,
    });
    expect(address.port).toBeGreaterThan(0);
    expect(await (await hello(address.graphqlUrl)).json()).toEqual({ data: { hello: 'hello from the shell' } });
  });

  it('serves the routes that mount adds', async () => {
    const service = createSubgraphService(
      options({ mount: (app) => app.get('/webhooks/ping', (_req, res) => void res.json({ pong: true })) }),
    );
    const { url } = await service.listen(0);
    cleanups.push(() => service.stop());
    expect(await (await fetch(`${url}/webhooks/ping`)).json()).toEqual({ pong: true });
  });

  it('stops intake first, then runs onStop, then stops the subgraph', async () => {
    const steps: string[] = [];
    let url = '';
    const service = createSubgraphService(
      options({
        plugins: [
          { serverWillStart: async () => ({ serverWillStop: async () => void steps.push('subgraph stopped') }) },
        ],
        onStop: async () => {
          const intake = await fetch(`${url}/healthz`).then(
            () => 'intake still open',
            () => 'intake closed',
          );
          steps.push(intake, 'onStop');
        },
      }),
    );
    ({ url } = await service.listen(0));
    await service.stop();
    expect(steps).toEqual(['intake closed', 'onStop', 'subgraph stopped']);
  });
});
