import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type {} from '@flightdeck/testing/global-setup';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { databaseUri, startNatsServer, type NatsServerHandle } from '@flightdeck/testing';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { Registry } from 'prom-client';
import {
  InvalidEventError,
  JetStreamBus,
  OutboxRelay,
  outboxPush,
  registerOutboxMetrics,
  releaseCreated,
  type CloudEvent,
  type Subscription,
} from '../src/index.js';
import { publishMarker, sleep, storedCopies, waitFor } from './helpers.js';
import { releaseModel, type ReleaseModel } from './models.js';

let server: NatsServerHandle;
let nc: NatsConnection;
let jsm: JetStreamManager;
let mongo: MongoConnection;
let Releases: ReleaseModel;
let bus: JetStreamBus;
let received: CloudEvent[];
let sub: Subscription;
let n = 0;

const created = (releaseId: string) =>
  releaseCreated.create({
    source: '/flightdeck/planning',
    subject: releaseId,
    data: { releaseId, name: 'Spring', version: '2.0.0', releaseType: 'MAJOR' },
  });

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  jsm = await jetstreamManager(nc);
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'outbox') });
  Releases = releaseModel(mongo.connection);
});
afterAll(async () => {
  await mongo?.close();
  await nc?.close();
  await server?.stop();
});
beforeEach(async () => {
  bus = await JetStreamBus.connect({ servers: server.url });
  received = [];
  sub = await bus.subscribe({
    durable: `outbox-reader-${++n}`,
    filter: 'flightdeck.planning.>',
    handler: (e) => void received.push(e),
  });
});
afterEach(async () => {
  await sub.stop();
  await bus.close();
});

describe('transactional outbox', () => {
  it('stores the state change and its event in one save; the relay publishes the event and clears the outbox', async () => {
    const release = new Releases({ _id: 'rel-outbox-1', name: 'Spring', status: 'PLANNING' });
    const event = created('rel-outbox-1');
    release.recordEvent(event);
    await release.save();
    const stored = await Releases.findById('rel-outbox-1').lean();
    expect(stored?.status).toBe('PLANNING');
    expect(stored?.outbox.map((e) => e.id)).toEqual([event.id]);

    const relay = new OutboxRelay({ bus, models: [Releases] });
    expect(await relay.runOnce()).toBe(1);
    await waitFor('the relayed event', () => received.some((e) => e.id === event.id));
    expect(received.find((e) => e.id === event.id)).toEqual(event);
    expect((await Releases.findById('rel-outbox-1').lean())?.outbox).toEqual([]);
    expect(await relay.runOnce()).toBe(0);
  });

  it('refuses to record an event the catalog rejects, so the bad write fails in its own request', async () => {
    const release = new Releases({ _id: 'rel-outbox-bad', name: 'x', status: 'PLANNING' });
    expect(() => release.recordEvent({ ...created('rel-outbox-bad'), data: { releaseId: 'rel-outbox-bad' } })).toThrow(
      InvalidEventError,
    );
  });

  it('after a relay crash between publish and clear, publishing again stores no second copy', async () => {
    const event = created('rel-outbox-2');
    const release = new Releases({ _id: 'rel-outbox-2', name: 'Spring', status: 'PLANNING' });
    release.recordEvent(event);
    await release.save();
    // What a relay that died right after its publish left behind: the event in the stream and still in the outbox.
    await bus.publish(event);
    expect((await Releases.findById('rel-outbox-2').lean())?.outbox).toHaveLength(1);
    const relay = new OutboxRelay({ bus, models: [Releases] });
    expect(await relay.runOnce()).toBe(1);
    expect((await Releases.findById('rel-outbox-2').lean())?.outbox).toEqual([]);
    expect(await storedCopies(jsm, event.id)).toBe(1);
    await waitFor('the event', () => received.some((e) => e.id === event.id));
    const marker = await publishMarker(bus);
    await waitFor('a marker published after it', () => received.some((e) => e.id === marker.id));
    expect(received.filter((e) => e.id === event.id)).toHaveLength(1);
  });

  it('keeps events while NATS is down and sends them, in order, once it is back', async () => {
    const flaky = await JetStreamBus.connect({
      servers: server.url,
      publishRetry: { attempts: 2, baseDelayMs: 20, timeoutMs: 300 },
    });
    const relay = new OutboxRelay({ bus: flaky, models: [Releases] });
    await server.stop({ keepStore: true });
    const release = new Releases({ _id: 'rel-outbox-3', name: 'Autumn', status: 'PLANNING' });
    const first = created('rel-outbox-3');
    release.recordEvent(first);
    await release.save();
    // A later change adds its event with an atomic update instead of a save.
    const second = created('rel-outbox-3');
    await Releases.updateOne({ _id: 'rel-outbox-3' }, { $set: { status: 'IN_DEVELOPMENT' }, ...outboxPush([second]) });
    expect(await relay.runOnce()).toBe(0);
    expect((await Releases.findById('rel-outbox-3').lean())?.outbox.map((e) => e.id)).toEqual([first.id, second.id]);
    await server.restart();
    await waitFor(
      'the relay to get through',
      async () => (await relay.runOnce()) > 0 || (await Releases.findById('rel-outbox-3').lean())?.outbox.length === 0,
      15_000,
    );
    await waitFor('both events', () => received.filter((e) => e.subject === 'rel-outbox-3').length === 2, 15_000);
    expect(received.filter((e) => e.subject === 'rel-outbox-3').map((e) => e.id)).toEqual([first.id, second.id]);
    await flaky.close();
  });

  it('runs on its own once started, and kick() sends a new event without waiting for the next scan', async () => {
    const relay = new OutboxRelay({ bus, models: [Releases], intervalMs: 60_000 });
    relay.start();
    await sleep(100);
    const release = new Releases({ _id: 'rel-outbox-4', name: 'Winter', status: 'PLANNING' });
    const event = created('rel-outbox-4');
    release.recordEvent(event);
    await release.save();
    relay.kick();
    await waitFor('the kicked event', () => received.some((e) => e.id === event.id), 5_000);
    await relay.stop();
  });

  it('exports how many events wait in the outboxes and how old the oldest is, until the relay sends them', async () => {
    const relay = new OutboxRelay({ bus, models: [Releases] });
    await relay.runOnce(); // whatever earlier cases left behind
    const registry = new Registry();
    const recordedAt = new Date();
    registerOutboxMetrics(registry, relay, () => recordedAt.getTime() + 90_000);
    const read = async () => {
      const text = await registry.metrics();
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      return {
        events: value('flightdeck_events_outbox_pending_events'),
        age: value('flightdeck_events_outbox_oldest_pending_age_seconds'),
      };
    };
    expect(await read()).toEqual({ events: 0, age: 0 });

    const release = new Releases({ _id: 'rel-outbox-backlog', name: 'Autumn', status: 'PLANNING' });
    release.recordEvent(created('rel-outbox-backlog'));
    release.recordEvent(created('rel-outbox-backlog'));
    await release.save();
    await sleep(1100); // past the one-second reuse of a reading
    const waiting = await read();
    expect(waiting.events).toBe(2);
    // Recorded at or just after `recordedAt`, read 90 s later by the injected clock.
    expect(waiting.age).toBeGreaterThan(85);
    expect(waiting.age).toBeLessThanOrEqual(90);

    expect(await relay.runOnce()).toBe(2);
    await sleep(1100);
    expect(await read()).toEqual({ events: 0, age: 0 });
  });

  it('rejects a model without the outbox plugin', () => {
    const Plain = mongo.connection.model('Plain', new mongo.connection.base.Schema({ name: String }));
    expect(() => new OutboxRelay({ bus, models: [Plain] })).toThrow(/model Plain has no outbox; add outboxPlugin/);
  });
});
