import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '@flightdeck/testing';
import { DEAD_LETTER_STREAM, EVENTS_STREAM, JetStreamBus, ensureStreams } from '../src/index.js';
import { busBehaviour } from './bus-behaviour.js';
import { eventMetricsBehaviour } from './event-metrics.js';
import { pino } from 'pino';
import { aRelease, isDependencyDown, publishMarker, storedCopies, waitFor } from './helpers.js';

// Its own server: the tests purge the streams between cases.
let server: NatsServerHandle;
let nc: NatsConnection;
let jsm: JetStreamManager;
let bus: JetStreamBus;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await server?.stop();
});
beforeEach(async () => {
  bus = await JetStreamBus.connect({ servers: server.url, name: 'events-test', isUnavailable: isDependencyDown });
  await jsm.streams.purge(EVENTS_STREAM);
  await jsm.streams.purge(DEAD_LETTER_STREAM);
});
afterEach(async () => {
  await bus.close();
});

busBehaviour('JetStreamBus', () => ({
  bus,
  injectRaw: async (subject, data) => {
    await nc.publish(subject, data);
    await nc.flush();
  },
}));

eventMetricsBehaviour('JetStreamBus', () => ({
  bus,
  injectRaw: async (subject, data) => {
    await nc.publish(subject, data);
    await nc.flush();
  },
}));

describe('JetStreamBus: provisioning and publishing', () => {
  it('provisions one file-backed FLIGHTDECK stream with a duplicate window, and a dead-letter stream outside its subjects, idempotently', async () => {
    await ensureStreams(jsm);
    await ensureStreams(jsm);
    const events = await jsm.streams.info(EVENTS_STREAM);
    expect(events.config).toMatchObject({
      subjects: ['flightdeck.>'],
      storage: 'file',
      duplicate_window: 600_000_000_000,
    });
    const dead = await jsm.streams.info(DEAD_LETTER_STREAM);
    expect(dead.config.subjects).toEqual(['flightdeck_deadletter.>']);
    expect(dead.config.storage).toBe('file');
    const names: string[] = [];
    for await (const s of jsm.streams.list()) names.push(s.config.name);
    expect(names.sort()).toEqual([EVENTS_STREAM, DEAD_LETTER_STREAM].sort());
  });

  it('creates an explicit-ack durable pull consumer with bounded deliveries', async () => {
    const sub = await bus.subscribe({
      durable: 'provisioned',
      filter: 'flightdeck.planning.>',
      handler: () => {},
      maxDeliver: 4,
      ackWaitMs: 15_000,
    });
    const info = await jsm.consumers.info(EVENTS_STREAM, 'provisioned');
    expect(info.config).toMatchObject({
      durable_name: 'provisioned',
      ack_policy: 'explicit',
      ack_wait: 15_000_000_000,
      max_deliver: 5,
      filter_subject: 'flightdeck.planning.>',
    });
    await sub.stop();
    const again = await bus.subscribe({
      durable: 'provisioned',
      filter: 'flightdeck.planning.>',
      handler: () => {},
      maxDeliver: 6,
      ackWaitMs: 15_000,
    });
    expect((await jsm.consumers.info(EVENTS_STREAM, 'provisioned')).config.max_deliver).toBe(7);
    await again.stop();
  });

  it('sets Nats-Msg-Id to the event id and retries a publish while the server is down, storing the event once', async () => {
    const event = aRelease();
    const logged: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) });
    const quick = await JetStreamBus.connect({
      servers: server.url,
      logger,
      publishRetry: { attempts: 10, timeoutMs: 300, baseDelayMs: 50, maxDelayMs: 300 },
    });
    await server.stop({ keepStore: true });
    const publishing = quick.publish(event);
    await waitFor(
      'a publish retried while the server is down',
      () => logged.some((l) => l.includes('publish failed; retrying')),
      10_000,
    );
    await server.restart();
    const res = await publishing;
    await quick.close();
    expect(logged.some((l) => l.includes('publish failed; retrying'))).toBe(true);
    // Attempts that timed out may still have reached the stream: the id makes the later ones duplicates.
    await waitFor(
      'the stored event',
      async () => (await jsm.streams.info(EVENTS_STREAM).catch(() => null))?.state.messages === 1,
    );
    expect(await storedCopies(jsm, event.id)).toBe(1);
    const stored = await jsm.streams.getMessage(EVENTS_STREAM, { seq: res.seq });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored?.json()).toEqual(event);
  });
});

describe('JetStreamBus: a consumer that died on its last attempt', () => {
  it('dead-letters the redelivery beyond maxDeliver without running the handler again', async () => {
    const { jetstream } = await import('@nats-io/jetstream');
    const handler = { calls: 0 };
    const options = {
      durable: 'crashy',
      filter: 'flightdeck.planning.>',
      maxDeliver: 1,
      ackWaitMs: 1_000,
      handlerTimeoutMs: 500,
      handler: () => void handler.calls++,
    };
    await (await bus.subscribe(options)).stop();
    const event = aRelease();
    await bus.publish(event);
    // A process takes the event and dies before acking it: the server redelivers after the ack wait.
    const taken = await (await jetstream(nc).consumers.get(EVENTS_STREAM, 'crashy')).next({ expires: 2_000 });
    expect(taken?.info.deliveryCount).toBe(1);
    const sub = await bus.subscribe(options);
    await waitFor('the dead letter', async () => (await bus.deadLetters({ consumer: 'crashy' })).length === 1, 5_000);
    const [letter] = await bus.deadLetters({ consumer: 'crashy' });
    expect(letter).toMatchObject({ reason: 'max_deliveries', deliveryCount: 2, event: { id: event.id } });
    expect(handler.calls).toBe(0);
    await sub.stop();
  });
});

describe('JetStreamBus: replaying dead letters', () => {
  it("sends a consumer's dead letter back to it alone once the cause is fixed, and removes it", async () => {
    let broken = true;
    const fixedSeen: string[] = [];
    const othersSeen: string[] = [];
    const fixed = await bus.subscribe({
      durable: 'replay-fixed',
      filter: 'flightdeck.planning.>',
      maxDeliver: 2,
      retryDelayMs: 10,
      handler: (e) => {
        if (broken) throw new Error('a bug in the handler');
        fixedSeen.push(e.id);
      },
    });
    const other = await bus.subscribe({
      durable: 'replay-other',
      filter: 'flightdeck.planning.>',
      handler: (e) => void othersSeen.push(e.id),
    });
    const event = aRelease();
    await bus.publish(event);
    await waitFor('the dead letter', async () => (await bus.deadLetters({ consumer: 'replay-fixed' })).length === 1);

    broken = false;
    expect(await bus.replayDeadLetters('replay-fixed')).toEqual([
      { consumer: 'replay-fixed', subject: event.type, eventId: event.id, reason: 'failed' },
    ]);
    await waitFor('the replayed event handled', () => fixedSeen.includes(event.id));
    const marker = await publishMarker(bus);
    await waitFor('a marker published after it, seen by both', () =>
      [fixedSeen, othersSeen].every((seen) => seen.includes(marker.id)),
    );
    expect(othersSeen.filter((id) => id === event.id)).toHaveLength(1);
    expect(fixedSeen.filter((id) => id === event.id)).toHaveLength(1);
    expect(await bus.deadLetters({ consumer: 'replay-fixed' })).toEqual([]);
    await fixed.stop();
    await other.stop();
  });

  it('replays only the events asked for, and refuses an invalid letter, keeping it', async () => {
    const sub = await bus.subscribe({
      durable: 'replay-picky',
      filter: 'flightdeck.planning.>',
      maxDeliver: 1,
      handler: () => {
        throw new Error('always fails');
      },
    });
    const [first, second] = [aRelease(), aRelease()];
    await bus.publish(first);
    await bus.publish(second);
    await nc.publish('flightdeck.planning.release.created', new TextEncoder().encode('{not json'));
    await waitFor('three dead letters', async () => (await bus.deadLetters({ consumer: 'replay-picky' })).length === 3);
    await sub.stop();

    expect(await bus.replayDeadLetters('replay-picky', { eventIds: [second.id] })).toEqual([
      { consumer: 'replay-picky', subject: second.type, eventId: second.id, reason: 'failed' },
    ]);
    const all = await bus.replayDeadLetters('replay-picky');
    expect(all.map((r) => [r.eventId, r.reason, r.refused ?? 'replayed'])).toEqual([
      [first.id, 'failed', 'replayed'],
      [undefined, 'invalid', expect.stringMatching(/^not a valid event .*fix its producer/)],
    ]);
    expect((await bus.deadLetters({ consumer: 'replay-picky' })).map((l) => l.reason)).toEqual(['invalid']);
    await expect(bus.replayDeadLetters('no such.consumer')).rejects.toThrow(/durable consumer name "no such.consumer"/);
  });
});
