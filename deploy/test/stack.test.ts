// The whole stack from the images: the five service containers, nats-server and the MongoDB-wire server on one
// podman network of their own, reaching each other by name (nats, mongo, planning, ...) through podman's DNS, as
// pods reach Services. Only the published ports (127.0.0.1 on the host) are reached from this test.
// nats-server and the MongoDB-wire server run in containers of the images' base (hardened the same way): the
// first is this machine's nats-server binary mounted read-only, the second this workspace's tools/mongo-server
// run with tsx from the workspace mounted read-only. The deployment service gets no cluster here (the image test
// gives it one): it serves, and warns that it cannot take its Lease.
import { randomUUID } from 'node:crypto';
import { mintToken } from '@flightdeck/auth';
import { freePort, requireBinary } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './manifests.js';
import {
  exitWithin,
  hardened,
  httpOk,
  imageOf,
  podman,
  requireImages,
  services,
  startContainer,
  waitFor,
  type Container,
  type ServiceName,
} from './containers.js';

const secret = 'stack-test-secret-at-least-32-characters';
const ports: Record<ServiceName, number> = {
  gateway: 4000,
  planning: 4001,
  gates: 4002,
  deployment: 4003,
  analytics: 4004,
};
const subgraphs = services.filter((s) => s !== 'gateway');

interface Graphql<T> {
  data?: T;
  errors?: { message: string }[];
}

describe('the five images, nats-server and the MongoDB-wire server on one podman network', () => {
  const id = randomUUID().slice(0, 8);
  const network = `flightdeck-stack-${id}`;
  const containers: Container[] = [];
  const published = {} as Record<ServiceName, string>;
  let networkCreated = false;
  let token: string;

  const env = (vars: Record<string, string>) => Object.entries(vars).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const start = (alias: string, args: string[]): Container => {
    const container = startContainer(`flightdeck-stack-${id}-${alias}`, [
      '--network',
      network,
      '--network-alias',
      alias,
      ...hardened,
      ...args,
    ]);
    containers.push(container);
    return container;
  };
  const printed = (container: Container, text: string) => async () =>
    container.output().includes(text) ? true : undefined;

  const graphql = async <T>(query: string, variables?: Record<string, unknown>): Promise<Graphql<T>> => {
    const res = await fetch(`${published.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Graphql<T>;
  };

  beforeAll(async () => {
    await requireImages();
    const base = (
      await podman([
        'image',
        'inspect',
        '--format',
        '{{ index .Labels "org.flightdeck.base-image" }}',
        imageOf('gateway'),
      ])
    ).trim();
    if (!base || base === '<no value>')
      throw new Error(
        `${imageOf('gateway')} has no org.flightdeck.base-image label: rebuild the images with \`npx nx run @flightdeck/deploy:images\``,
      );
    await podman(['network', 'create', network]);
    networkCreated = true;

    const nats = start('nats', [
      '--tmpfs',
      '/data',
      '--volume',
      `${requireBinary('nats-server')}:/usr/local/bin/nats-server:ro`,
      base,
      'nats-server',
      '-js',
      '-sd',
      '/data',
      '-p',
      '4222',
    ]);
    const mongo = start('mongo', [
      '--tmpfs',
      '/tmp',
      '--volume',
      `${repoRoot}:/workspace:ro`,
      '--workdir',
      '/workspace',
      base,
      'node',
      '--import',
      'tsx',
      'tools/mongo-server/src/main.ts',
      '--host',
      '0.0.0.0',
      '--port',
      '27017',
    ]);
    await Promise.all([
      waitFor('nats-server ready', printed(nats, 'Server is ready'), nats),
      waitFor('the MongoDB-wire server ready', printed(mongo, 'ready mongodb://'), mongo),
    ]);

    const started = await Promise.all(
      services.map(async (service) => {
        const hostPort = await freePort();
        published[service] = `http://127.0.0.1:${hostPort}`;
        const vars: Record<string, string> = { PORT: String(ports[service]), AUTH_JWT_SECRET: secret };
        if (service === 'gateway')
          for (const s of subgraphs) vars[`SUBGRAPH_${s.toUpperCase()}_URL`] = `http://${s}:${ports[s]}/graphql`;
        else
          Object.assign(vars, {
            NATS_URL: 'nats://nats:4222',
            MONGODB_URI: `mongodb://mongo:27017/flightdeck-${service}`,
          });
        if (service === 'deployment') vars.PROMETHEUS_URL = 'http://prometheus:9090';
        return {
          service,
          container: start(service, [
            '--publish',
            `127.0.0.1:${hostPort}:${ports[service]}`,
            ...env(vars),
            imageOf(service),
          ]),
        };
      }),
    );
    await Promise.all(
      started.map(({ service, container }) =>
        waitFor(`${service} answering /readyz with 200`, httpOk(`${published[service]}/readyz`), container, 120_000),
      ),
    );
    token = await mintToken({ secret, subject: 'rita', name: 'Rita Release-Manager', roles: ['RELEASE_MANAGER'] });
  }, 240_000);

  afterAll(async () => {
    await Promise.all(containers.map((c) => c.remove()));
    if (networkCreated) await podman(['network', 'rm', '--force', network]).catch(() => undefined);
  }, 60_000);

  it('creates a release through the gateway container and reads it back from every subgraph; analytics has it from events and rebuilds it by replay', async () => {
    const created = await graphql<{ createRelease: { id: string; type: string; status: string } }>(
      'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id type status } }',
      {
        input: {
          product: 'checkout',
          version: '3.0.0',
          theme: 'Containers',
          owner: 'rita',
          targetDate: '2027-06-01T00:00:00Z',
        },
      },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createRelease).toMatchObject({ type: 'MAJOR', status: 'PLANNING' });
    const releaseId = created.data!.createRelease.id;

    // version and status from planning, rollouts from deployment; the gates (which the gates service opens) and
    // the metrics (from analytics' projection) appear once each has consumed release.created from JetStream.
    type ReadBack = {
      release: {
        id: string;
        version: string;
        status: string;
        gates: { name: string }[];
        rollouts: unknown[];
        metrics: { plannedFeatures: number } | null;
      };
    };
    const gateway = containers.find((c) => c.name.endsWith('-gateway'))!;
    const readBack = await waitFor(
      'the release read back with its gates and analytics metrics',
      async () => {
        const res = await graphql<ReadBack>(
          'query($id: ID!) { release(id: $id) { id version status gates { name } rollouts { id } metrics { plannedFeatures } } }',
          { id: releaseId },
        );
        if (res.errors) throw new Error(res.errors.map((e) => e.message).join('; '));
        const release = res.data?.release;
        return release?.metrics && release.gates.length > 0 ? release : undefined;
      },
      gateway,
    );
    expect(readBack).toMatchObject({
      id: releaseId,
      version: '3.0.0',
      status: 'PLANNING',
      rollouts: [],
      metrics: { plannedFeatures: 0 },
    });
    expect(readBack.gates.map((g) => g.name)).toContain('PRODUCTION');

    // The projection rebuild, run from the analytics image on the same network, replays that event again.
    const replay = start(`replay-${randomUUID().slice(0, 4)}`, [
      ...env({ NATS_URL: 'nats://nats:4222', MONGODB_URI: 'mongodb://mongo:27017/flightdeck-analytics' }),
      imageOf('analytics'),
      'node',
      'dist/replay-main.js',
    ]);
    expect(await exitWithin(replay, 90_000), replay.output()).toBe(0);
    const result = replay
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{"read"'))
      .map((line) => JSON.parse(line) as { read: number; handled: number; invalid: number })[0];
    expect(result, replay.output()).toBeDefined();
    expect(result!.handled).toBeGreaterThanOrEqual(1);
    expect(result!.invalid).toBe(0);
  }, 240_000);
});
