import { connect, type NatsConnection } from '@nats-io/transport-node';
import type {} from '@flightdeck/testing/global-setup';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintToken } from '@flightdeck/auth';
import { databaseUri, gql } from '@flightdeck/testing';
import { startServiceProcess, type ServiceProcess } from '../src/processes.js';

const secret = 'e2e-secret-that-is-at-least-32-characters-long';

describe('planning as its own process, through the gateway, on real NATS JetStream', () => {
  let planning: ServiceProcess;
  let gateway: ServiceProcess;
  let nc: NatsConnection;
  let token: string;
  const env = () => ({ NATS_URL: inject('natsUrl'), AUTH_JWT_SECRET: secret });
  const planningEnv = { MONGODB_URI: '' };

  beforeAll(async () => {
    planningEnv.MONGODB_URI = databaseUri(inject('mongoUri'), 'e2e_planning');
    planning = await startServiceProcess('planning', { ...env(), ...planningEnv });
    gateway = await startServiceProcess('gateway', { ...env(), SUBGRAPH_PLANNING_URL: planning.url });
    token = await mintToken({ secret, subject: 'rita', name: 'Rita Release-Manager', roles: ['RELEASE_MANAGER'] });
    nc = await connect({ servers: inject('natsUrl') });
  });

  afterAll(async () => {
    await nc?.close();
    await gateway?.process.stop();
    await planning?.process.stop();
  });

  it('creates a release, publishes release.created to JetStream, and keeps it across a restart of the service', async () => {
    const anonymous = await gql(
      gateway.url,
      'mutation { createRelease(input: { product: "shop", version: "1.0.0", theme: "t", owner: "o", targetDate: "2027-03-01T00:00:00Z" }) { id } }',
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const created = await gql<{ createRelease: { id: string; type: string; status: string } }>(
      gateway.url,
      'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id type status } }',
      {
        input: {
          product: 'checkout',
          version: '2.0.0',
          theme: 'New payment flow',
          owner: 'rita',
          targetDate: '2027-04-01T00:00:00Z',
        },
      },
      token,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createRelease).toMatchObject({ type: 'MAJOR', status: 'PLANNING' });
    const id = created.data!.createRelease.id;

    // The event reaches the shared stream through the outbox relay.
    const jsm = await jetstreamManager(nc);
    const deadline = Date.now() + 15_000;
    let event: { type: string; data: unknown } | undefined;
    while (!event && Date.now() < deadline) {
      const stored = await jsm.streams
        .getMessage('FLIGHTDECK', { last_by_subj: 'flightdeck.planning.release.created' })
        .catch(() => null);
      if (stored) event = stored.json();
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(event?.type).toBe('flightdeck.planning.release.created');
    expect(JSON.stringify(event?.data)).toContain(id);

    await planning.process.stop();
    planning = await startServiceProcess('planning', { ...env(), ...planningEnv }, Number(new URL(planning.url).port));
    const again = await gql<{ release: { id: string; version: string } }>(
      gateway.url,
      'query($id: ID!) { release(id: $id) { id version } }',
      { id },
      token,
    );
    expect(again.errors).toBeUndefined();
    expect(again.data?.release).toEqual({ id, version: '2.0.0' });
  });
});
