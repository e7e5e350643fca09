import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '@flightdeck/testing/global-setup';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Model } from 'mongoose';
import {
  databaseUri,
  startNatsServer,
  startProcess,
  type NatsServerHandle,
  type RunningProcess,
} from '@flightdeck/testing';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { jetstreamManager } from '@nats-io/jetstream';
import { JetStreamBus, OutboxRelay, type CloudEvent } from '../src/index.js';
import { aRelease, publishMarker, storedCopies, waitFor } from './helpers.js';
import { projectionModel, releaseModel, type ProjectionDoc, type ReleaseModel } from './models.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));

let nats: NatsServerHandle;
let mongoUri: string;
let mongo: MongoConnection;
let Projections: Model<ProjectionDoc>;
let Releases: ReleaseModel;

beforeAll(async () => {
  nats = await startNatsServer();
  mongoUri = databaseUri(inject('mongoUri'), 'across_processes');
  mongo = await connectMongo({ uri: mongoUri });
  Projections = projectionModel(mongo.connection);
  Releases = releaseModel(mongo.connection);
});
afterAll(async () => {
  await mongo?.close();
  await nats?.stop();
});

const env = (extra: Record<string, string>) => ({ ...process.env, NATS_URL: nats.url, MONGO_URI: mongoUri, ...extra });

function startProjector(extra: Record<string, string> = {}): Promise<RunningProcess> {
  return startProcess(process.execPath, ['--import', 'tsx', fixture('projector')], {
    name: 'projector',
    env: env(extra),
    isReady: (out) => out.includes('ready'),
    timeoutMs: 20_000,
  });
}

/** Runs a fixture to its end and returns its output; fails with the output when it exits non-zero. */
function run(name: string, extra: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture(name)], {
      env: env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${name} exited with ${code}:\n${out}`)),
    );
  });
}

const outcomes = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { outcome: string; id: string; delivery: number });

describe('events across processes', () => {
  it('an event published in one process is consumed exactly once in effect by a durable consumer in another, across a crash and restart', async () => {
    const events: CloudEvent[] = Array.from({ length: 5 }, (_, i) => aRelease({ releaseId: `xp-${i}` }));
    const crashOn = events[2]!;
    const first = await startProjector({ DURABLE: 'xp-projector', CRASH_ON: crashOn.id });
    const firstExit = new Promise<NodeJS.Signals | null>((r) => first.child.once('exit', (_code, signal) => r(signal)));
    const published = JSON.parse(
      (await run('publisher', { MODE: 'publish', EVENTS: JSON.stringify(events) })).trim().split('\n').at(-1)!,
    );
    expect(published.map((p: { duplicate: boolean }) => p.duplicate)).toEqual([false, false, false, false, false]);

    // The consumer applied the third event, then died before acking it.
    expect(await firstExit).toBe('SIGKILL');
    expect(outcomes(first.output()).find((o) => o.id === crashOn.id)).toMatchObject({
      outcome: 'applied',
      delivery: 1,
    });

    const second = await startProjector({ DURABLE: 'xp-projector' });
    try {
      const ids = events.map((_, i) => `xp-${i}`);
      await waitFor(
        'every release projected',
        async () => (await Projections.find({ _id: { $in: ids } })).length === 5,
        15_000,
      );
      await waitFor(
        'the redelivery of the crashed event',
        () => outcomes(second.output()).some((o) => o.id === crashOn.id),
        15_000,
      );
      // Every later delivery of it (more than one if a slow start made a delivery time out) is a duplicate.
      const redeliveries = outcomes(second.output()).filter((o) => o.id === crashOn.id);
      expect(redeliveries.map((o) => o.outcome)).toEqual(redeliveries.map(() => 'duplicate'));
      expect(redeliveries[0]!.delivery).toBeGreaterThanOrEqual(2);

      // A producer re-publishing the same events (say after its own crash) changes nothing either.
      const republisher = await JetStreamBus.connect({ servers: nats.url });
      const again = await Promise.all(events.map((e) => republisher.publish(e)));
      expect(again.map((p) => p.duplicate)).toEqual([true, true, true, true, true]);
      const marker = await publishMarker(republisher);
      await republisher.close();
      await waitFor(
        'the projector handling a marker published after them',
        () => outcomes(second.output()).some((o) => o.id === marker.id),
        15_000,
      );
      const docs = await Projections.find({ _id: { $in: ids } }).lean();
      expect(docs.map((d) => [d._id, d.applied]).sort()).toEqual(ids.map((id) => [id, 1]));
      const applied = [...outcomes(first.output()), ...outcomes(second.output())]
        .filter((o) => o.outcome === 'applied' && o.id !== marker.id)
        .map((o) => o.id);
      expect(applied.sort()).toEqual(events.map((e) => e.id).sort());
    } finally {
      await second.stop();
    }
  });

  it('killing the publisher (SIGKILL) between the state write and the publish loses no event: the relay sends it later', async () => {
    const bus = await JetStreamBus.connect({ servers: nats.url });
    const jsm = await jetstreamManager(bus.connection);
    const seen: CloudEvent[] = [];
    const sub = await bus.subscribe({
      durable: 'kill-watcher',
      filter: 'flightdeck.planning.release.created',
      handler: (e) => void seen.push(e),
    });
    try {
      const writer = await startProcess(process.execPath, ['--import', 'tsx', fixture('publisher')], {
        name: 'publisher',
        env: env({ MODE: 'write', RELEASE_ID: 'rel-killed' }),
        isReady: (out) => /written \S+/.test(out),
        timeoutMs: 20_000,
      });
      const eventId = /written (\S+)/.exec(writer.output())![1]!;
      await writer.stop('SIGKILL');
      expect(writer.child.signalCode).toBe('SIGKILL');

      const pending = await Releases.findById('rel-killed').lean();
      expect(pending?.status).toBe('PLANNING');
      expect(pending?.outbox.map((e) => e.id)).toEqual([eventId]);
      const before = await publishMarker(bus);
      await waitFor('a marker published after the kill', () => seen.some((e) => e.id === before.id));
      expect(seen.some((e) => e.id === eventId)).toBe(false);

      // The service comes back (here: in this process) and its relay finds the pending event.
      expect(await new OutboxRelay({ bus, models: [Releases] }).runOnce()).toBe(1);
      await waitFor('the relayed event', () => seen.some((e) => e.id === eventId), 10_000);
      expect((await Releases.findById('rel-killed').lean())?.outbox).toEqual([]);
      const after = await publishMarker(bus);
      await waitFor('a marker published after the relay', () => seen.some((e) => e.id === after.id));
      expect(seen.filter((e) => e.id === eventId)).toHaveLength(1);
      expect(await storedCopies(jsm, eventId)).toBe(1);
    } finally {
      await sub.stop();
      await bus.close();
    }
  });
});
