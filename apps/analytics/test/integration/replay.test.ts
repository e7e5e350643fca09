import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createLogger } from '@flightdeck/telemetry';
import { databaseUri, eventually, type NatsServerHandle, startNatsServer } from '@flightdeck/testing';
import { MongoProjectionStore, projectionModels, rebuildProjections, replayStream } from '../../src/index.js';
import { Projector } from '../../src/application/projector.js';
import { Retrospectives } from '../../src/application/retrospectives.js';
import { MongoRetrospectiveStore, retrospectiveModel } from '../../src/adapters/mongo/mongo-retrospective-store.js';
import { iso, Story } from '../domain/history-builder.js';
import { startStack, type Stack } from './stack.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const HOUR = 3_600_000;
const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z') };

/** Half a year of three products: releases with scope, freezes, rollouts (some rolled back), incidents, hotfixes. */
function organisation(): Story {
  const s = new Story();
  const products = ['shop', 'search', 'payments'];
  for (let i = 0; i < 18; i++) {
    const product = products[i % 3]!;
    const id = `${product}-${i}`;
    const start = Date.UTC(2026, 0, 5) + i * 7 * 24 * HOUR;
    s.release(id, iso(start), { product, version: `1.${i}.0`, target: iso(start + 20 * 24 * HOUR) });
    s.scope(id, `${id}-a`, 'ADDED', iso(start + HOUR)).scope(id, `${id}-b`, 'ADDED', iso(start + HOUR));
    s.feature(id, `${id}-a`, 'IN_PROGRESS', iso(start + 2 * HOUR)).feature(
      id,
      `${id}-a`,
      'DONE',
      iso(start + 5 * 24 * HOUR),
    );
    s.status(id, 'CODE_FREEZE', iso(start + 10 * 24 * HOUR), { product });
    const deploy = start + (14 + (i % 9)) * 24 * HOUR;
    if (i % 4 === 0)
      s.rollout(
        id,
        `${id}-ro0`,
        iso(deploy - 2 * HOUR),
        { rolledBackAt: iso(deploy - HOUR) },
        { namespace: product, deployment: `${product}-api` },
      );
    s.rollout(
      id,
      `${id}-ro1`,
      iso(deploy),
      { succeededAt: iso(deploy + HOUR) },
      { namespace: product, deployment: `${product}-api` },
    );
    s.status(id, 'RELEASED', iso(deploy + HOUR), { product });
    if (i % 5 === 0)
      s.incident(`inc-${i}`, iso(deploy + 6 * HOUR), {
        workload: `${product}/${product}-api`,
        resolvedAt: iso(deploy + 8 * HOUR),
      });
  }
  s.release('hf', iso(Date.UTC(2026, 2, 3)), {
    product: 'shop',
    version: '1.6.1-hotfix.1',
    type: 'HOTFIX',
    baseVersion: '1.6.0',
  }).status('hf', 'RELEASED', iso(Date.UTC(2026, 2, 3, 6)), { type: 'HOTFIX' });
  return s;
}

let nats: NatsServerHandle;
let stack: Stack;
const opened: MongoConnection[] = [];
const logger = createLogger({ service: 'analytics-replay-test', level: 'silent' });

async function storeOn(database: string) {
  const mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), database), retries: 2 });
  opened.push(mongo);
  const store = new MongoProjectionStore(projectionModels(mongo.connection));
  const retrospectives = new Retrospectives({
    store: new MongoRetrospectiveStore(retrospectiveModel(mongo.connection)),
    projections: store,
    clock: { now: () => new Date() },
    newId: () => crypto.randomUUID(),
  });
  return { store, projector: new Projector({ store, retrospectives, logger }), retrospectives };
}

const database = `analytics-replay-live-${Date.now()}`;
const events = organisation().events;

beforeAll(async () => {
  // A stream of its own: the replay reads all of it, so no other test file's events may be in it.
  nats = await startNatsServer();
  stack = await startStack('replay', { natsUrl: nats.url, database });
  // Shuffled (a fixed permutation) and partly duplicated, as a live consumer may see them.
  const order = events
    .map((e, i) => ({ e, k: (i * 7919) % events.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.e);
  for (const e of order) await stack.bus.publish(e);
  await stack.analytics.incidents.open(
    { by: 'sam' },
    {
      title: 'search latency',
      severity: 'critical',
      workload: 'search/search-api',
      openedAt: new Date('2026-03-20T10:00:00Z'),
    },
  );
  const expected = new Set(events.map((e) => e.id)).size + 1;
  await eventually(
    `${expected} facts in the live projections`,
    async () => {
      const d = await stack.analytics.store.dump();
      const facts = [...d.releases, ...d.rollouts, ...d.incidents].reduce((n, r) => n + Object.keys(r.facts).length, 0);
      return facts === expected ? true : undefined;
    },
    30_000,
  );
  // the incident's own event has left the outbox
  await eventually('outbox drained', async () =>
    (await stack.mongo.connection.collection('incidents').countDocuments({ 'outbox.0': { $exists: true } })) === 0
      ? true
      : undefined,
  );
});

afterAll(async () => {
  await stack?.stop();
  for (const m of opened) await m.close();
  await nats?.stop();
});

describe('rebuilding the projections from the stream', () => {
  it('replays every event into empty projections with identical records and metrics', async () => {
    const live = await stack.analytics.store.dump();
    expect(live.releases).toHaveLength(19);
    const fresh = await storeOn(`analytics-replay-fresh-${Date.now()}`);
    const result = await rebuildProjections(fresh.store, fresh.projector, (handle) =>
      replayStream(stack.bus.connection, handle, { parallel: 8 }),
    );
    expect(result.invalid).toBe(0);
    expect(result.handled).toBe(result.read);
    expect(await fresh.store.dump()).toEqual(live);
    expect(await fresh.retrospectives.find('hf')).toMatchObject({
      retrospective: { automatic: true, dueAt: new Date('2026-03-05T06:00:00Z') },
    });

    const { AnalyticsQueries } = await import('../../src/index.js');
    const metrics = (store: MongoProjectionStore) => new AnalyticsQueries({ store, clock: { now: () => window.to } });
    for (const product of [undefined, 'shop', 'search']) {
      const scope = product ? { product } : {};
      expect(await metrics(fresh.store).dora(scope, window)).toEqual(
        await metrics(stack.analytics.store).dora(scope, window),
      );
      expect(await metrics(fresh.store).kpis(scope, window)).toEqual(
        await metrics(stack.analytics.store).kpis(scope, window),
      );
    }
    const shop = await metrics(fresh.store).dora({ product: 'shop' }, window);
    expect(shop.changeFailureRate.failed).toBeGreaterThan(0);
  });

  it('the replay command empties the service’s projections and rebuilds them identically', async () => {
    const before = await stack.analytics.store.dump();
    const env = {
      ...process.env,
      MONGODB_URI: databaseUri(inject('mongoUri'), database),
      NATS_URL: nats.url,
      LOG_LEVEL: 'silent',
    };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/replay-main.ts', '--parallel', '4'], {
      cwd: root,
      env,
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { handled: number; read: number; invalid: number };
    expect(result).toMatchObject({ invalid: 0, handled: result.read });
    expect(result.read).toBeGreaterThanOrEqual(events.length);
    expect(await stack.analytics.store.dump()).toEqual(before);

    const help = await run(process.execPath, ['--import', 'tsx', 'src/replay-main.ts', '--help'], {
      cwd: root,
      timeout: 30_000,
    });
    expect(help.stdout).toContain('Rebuild the analytics projections');
    expect(help.stdout).toContain('MONGODB_URI');
    const bad = await run(process.execPath, ['--import', 'tsx', 'src/replay-main.ts', '--parallel', 'lots'], {
      cwd: root,
      env,
      timeout: 30_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain('--parallel must be a whole number from 1 to 256');
  });
});
