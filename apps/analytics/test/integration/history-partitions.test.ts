// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { CloudEvent } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { databaseUri } from '@flightdeck/testing';
import { factsOf } from '../../src/application/project-event.js';
import { AnalyticsQueries } from '../../src/application/queries.js';
import type { ProjectionStore } from '../../src/application/ports.js';
import { MemoryProjectionStore } from '../../src/adapters/memory/memory-projection-store.js';
import { MongoProjectionStore } from '../../src/adapters/mongo/mongo-projection-store.js';
import { projectionModels } from '../../src/adapters/mongo/projection-models.js';
import { doraMetrics, namespacePartition, releaseKpis, type Scope } from '../../src/domain/index.js';
import { historyOf, Story } from '../domain/history-builder.js';

const NOW = new Date('2026-03-31T00:00:00Z');
const WINDOW = { from: new Date('2026-03-01T00:00:00Z'), to: NOW };
const SCOPES: Scope[] = [{}, { product: 'shop' }, { product: 'search' }, { team: 'shop' }, { team: 'search' }];

/** Two products on their own workloads; `search` has a failed-in-place rollout fixed later and an incident found by workload. */
function month() {
  const shop = new Story()
    .release('s1', '2026-03-01T00:00:00Z')
    .feature('s1', 'f1', 'IN_PROGRESS', '2026-03-01T02:00:00Z')
    .rollout('s1', 'so1', '2026-03-02T10:00:00Z', { succeededAt: '2026-03-02T11:00:00Z' })
    .rollout('s1', 'so2', '2026-03-05T10:00:00Z', { rolledBackAt: '2026-03-05T10:30:00Z' });
  const search = new Story()
    .release('q1', '2026-03-03T00:00:00Z', { product: 'search' })
    .rollout(
      'q1',
      'qo1',
      '2026-03-04T10:00:00Z',
      { failedAt: '2026-03-04T10:20:00Z' },
      { namespace: 'search', deployment: 'indexer' },
    )
    .rollout(
      'q1',
      'qo2',
      '2026-03-04T12:00:00Z',
      { succeededAt: '2026-03-04T12:40:00Z' },
      { namespace: 'search', deployment: 'indexer' },
    )
    .incident('i1', '2026-03-04T15:00:00Z', {
      workload: 'search/indexer',
      resolvedAt: '2026-03-04T16:00:00Z',
      product: undefined,
    });
  return { shop: shop.events, search: search.events };
}

const apply = async (store: ProjectionStore, events: CloudEvent[]) => {
  for (const e of events) for (const u of factsOf(e)) await store.apply(u);
};

let mongo: MongoConnection;
beforeAll(async () => {
  mongo = await connectMongo({
    uri: databaseUri(inject('mongoUri'), `analytics-partitions-${randomUUID().slice(0, 8)}`),
    retries: 2,
  });
});
afterAll(async () => {
  await mongo?.close();
});

const stores: [string, () => Promise<ProjectionStore>][] = [
  ['in memory', async () => new MemoryProjectionStore()],
  [
    'in MongoDB',
    async () => {
      const models = projectionModels(mongo.connection);
      await Promise.all(Object.values(models).map((m) => m.deleteMany({})));
      await Promise.all(Object.values(models).map((m) => m.init()));
      return new MongoProjectionStore(models);
    },
  ],
];

describe.each(stores)('history partitions over the projections %s', (_name, makeStore) => {
  it('rebuilds only the product a change belongs to, and answers as the whole history does', async () => {
    const store = await makeStore();
    const { shop, search } = month();
    await apply(store, [...shop, ...search]);
    const queries = new AnalyticsQueries({ store, clock: { now: () => NOW } });
    const first = await queries.partitions.refresh();
    // the products and the rest; the incident without a product is on a workload search deployed, so no namespace partition
    expect(first.rebuilt.sort()).toEqual(['', 'search', 'shop']);
    expect(await queries.products()).toEqual(['search', 'shop']);
    for (const scope of SCOPES)
      expect(await queries.dora(scope, WINDOW)).toEqual(doraMetrics(historyOf([...shop, ...search]), scope, WINDOW));

    const more = new Story().rollout('s1', 'so3', '2026-03-06T10:00:00Z', {
      succeededAt: '2026-03-06T10:30:00Z',
    }).events;
    await apply(store, more);
    // Until the next refresh the answers are those of the last one.
    expect((await queries.dora({ product: 'shop' }, WINDOW)).deploymentFrequency.deployments).toBe(1);
    const second = await queries.partitions.refresh();
    expect(second.rebuilt).toEqual(['shop']);
    expect(second.changes).toBeGreaterThanOrEqual(1);
    const all = [...shop, ...search, ...more];
    for (const scope of SCOPES)
      expect(await queries.dora(scope, WINDOW)).toEqual(doraMetrics(historyOf(all), scope, WINDOW));
    expect(await queries.kpis({}, WINDOW)).toEqual({ window: WINDOW, ...releaseKpis(historyOf(all), {}, WINDOW) });
    // the organisation's incidents, from every partition, each once and linked as in the whole history
    const byOpened = (a: { openedAt?: Date }, b: { openedAt?: Date }) =>
      (b.openedAt?.getTime() ?? 0) - (a.openedAt?.getTime() ?? 0);
    expect(await queries.incidents({})).toEqual([...historyOf(all).incidents].sort(byOpened));
    expect((await queries.incident('i1'))?.rolloutId).toBe('qo2');

    // Nothing new: nothing rebuilt.
    expect((await queries.partitions.refresh()).rebuilt).toEqual([]);
  });

  it('keeps rollouts of a release it has not heard of apart, and moves them to the product when the release arrives', async () => {
    const store = await makeStore();
    const { search } = month();
    const [created, ...rest] = search;
    await apply(store, rest);
    const queries = new AnalyticsQueries({ store, clock: { now: () => NOW } });
    await queries.partitions.refresh();
    expect(await queries.products()).toEqual([]);
    const unknown = await queries.dora({ team: 'search' }, WINDOW);
    // qo1 failed in place; the incident on search/indexer started while qo2 was live, within 48 h of it.
    expect(unknown.changeFailureRate).toMatchObject({ deployments: 2, failed: 2 });
    expect((await queries.dora({ product: 'search' }, WINDOW)).changeFailureRate.deployments).toBe(0);

    await apply(store, [created!]);
    const report = await queries.partitions.refresh();
    // out of the search namespace's partition (rollouts of a release that named no product) into the product's
    expect(report.rebuilt.sort()).toEqual([namespacePartition('search'), 'search']);
    expect(await queries.products()).toEqual(['search']);
    for (const scope of SCOPES)
      expect(await queries.dora(scope, WINDOW)).toEqual(doraMetrics(historyOf(search), scope, WINDOW));
    // qo1 failed at its start 10:00 and was restored by qo2 at 12:40 (160 min); the incident 15:00–16:00 (60 min).
    expect((await queries.dora({ product: 'search' }, WINDOW)).recoveryTime).toMatchObject({
      failures: 2,
      recovered: 2,
      medianMs: 110 * 60_000,
    });
  });

  it('finds the product of an incident without one through the workload it names', async () => {
    const store = await makeStore();
    const { shop, search } = month();
    await apply(store, [...shop, ...search]);
    const queries = new AnalyticsQueries({ store, clock: { now: () => NOW } });
    await queries.partitions.refresh();
    const incident = new Story().incident('i2', '2026-03-02T12:00:00Z', {
      workload: 'shop/shop-api',
      product: undefined,
    }).events;
    await apply(store, incident);
    expect((await queries.partitions.refresh()).rebuilt).toEqual(['shop']);
    expect(await queries.dora({ product: 'shop' }, WINDOW)).toEqual(
      doraMetrics(historyOf([...shop, ...search, ...incident]), { product: 'shop' }, WINDOW),
    );
    expect((await queries.dora({ product: 'shop' }, WINDOW)).changeFailureRate).toMatchObject({
      deployments: 2,
      failed: 2,
    });

    // An incident on a workload nobody deployed belongs to no product: to its namespace's partition.
    await apply(
      store,
      new Story().incident('i3', '2026-03-10T12:00:00Z', { workload: 'ops/unknown', product: undefined }).events,
    );
    expect((await queries.partitions.refresh()).rebuilt).toEqual([namespacePartition('ops')]);
    expect((await queries.incidents({})).map((i) => i.id)).toContain('i3');
  });

  it('keeps rollouts without planning apart per namespace: a change in one rebuilds only that one', async () => {
    const store = await makeStore();
    // Deployment used without planning: releases no planning event ever names, two teams' namespaces.
    const events = new Story()
      .rollout(
        'x1',
        'a1',
        '2026-03-02T10:00:00Z',
        { succeededAt: '2026-03-02T10:30:00Z' },
        { namespace: 'payments', deployment: 'api' },
      )
      .rollout(
        'x1',
        'a2',
        '2026-03-03T10:00:00Z',
        { failedAt: '2026-03-03T10:10:00Z' },
        { namespace: 'payments', deployment: 'api' },
      )
      .rollout(
        'x2',
        'b1',
        '2026-03-02T11:00:00Z',
        { succeededAt: '2026-03-02T11:30:00Z' },
        { namespace: 'search', deployment: 'indexer' },
      )
      .incident('i5', '2026-03-02T12:00:00Z', {
        workload: 'search/indexer',
        product: undefined,
        resolvedAt: '2026-03-02T12:30:00Z',
      }).events;
    await apply(store, events);
    const queries = new AnalyticsQueries({ store, clock: { now: () => NOW } });
    const first = await queries.partitions.refresh();
    expect(first.rebuilt.sort()).toEqual(['', namespacePartition('payments'), namespacePartition('search')]);
    expect(await queries.products()).toEqual([]);
    for (const scope of SCOPES)
      expect(await queries.dora(scope, WINDOW)).toEqual(doraMetrics(historyOf(events), scope, WINDOW));

    // the fix of a2 (failed in place) is the next success on payments/api: a join inside the namespace
    const fix = new Story().rollout(
      'x1',
      'a3',
      '2026-03-03T12:00:00Z',
      { succeededAt: '2026-03-03T12:10:00Z' },
      { namespace: 'payments', deployment: 'api' },
    ).events;
    await apply(store, fix);
    expect((await queries.partitions.refresh()).rebuilt).toEqual([namespacePartition('payments')]);
    const all = [...events, ...fix];
    for (const scope of SCOPES)
      expect(await queries.dora(scope, WINDOW)).toEqual(doraMetrics(historyOf(all), scope, WINDOW));
    expect((await queries.dora({ team: 'payments' }, WINDOW)).recoveryTime).toMatchObject({
      failures: 1,
      recovered: 1,
      medianMs: 130 * 60_000,
    });
  });

  it('makes the next read wait for a refresh after requireFresh (a write of its own)', async () => {
    const store = await makeStore();
    const queries = new AnalyticsQueries({ store, clock: { now: () => NOW } });
    expect(await queries.incidents({})).toEqual([]);
    await apply(store, new Story().incident('i4', '2026-03-10T12:00:00Z', { product: 'shop' }).events);
    expect(await queries.incidents({})).toEqual([]);
    queries.partitions.requireFresh();
    expect((await queries.incidents({})).map((i) => i.id)).toEqual(['i4']);
  });
});
