/**
 * Analytics ingest: a year of a 200-service organisation as catalog events in a real JetStream stream,
 * read twice in the same run: by a raw ordered consumer that only counts messages (the baseline), and by
 * the analytics replay (decode, catalog validation, projection facts) into the in-memory projections.
 * Then the history partitions are built once (every product's history joined and indexed: what every new fact
 * cost before the partitions) and doraMetrics is asked for one product and for the whole organisation: p50 and p99
 * next to the full recomputation over the same history (the baseline, fewer repetitions), with a check that both
 * give the same answer. Last, live changes: a new production rollout at a time, the organisation's query while it
 * is not yet refreshed, the refresh that rebuilds only its product, and whether the next answer counts it.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Command, Option } from 'commander';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  encodeEvent,
  EVENTS_STREAM,
  EVENTS_SUBJECTS,
  featureStatusChanged,
  gateEvaluationCompleted,
  incidentOpened,
  incidentResolved,
  JetStreamBus,
  readinessAssessed,
  releaseCreatedV2,
  releaseScopeChanged,
  releaseStatusChangedV2,
  rolloutRolledBack,
  rolloutStarted,
  rolloutSucceeded,
  type CloudEvent,
} from '@flightdeck/events';
import {
  AnalyticsQueries,
  domain,
  MemoryProjectionStore,
  MongoProjectionStore,
  projectionModels,
  Projector,
  replayStream,
  type ProjectionStore,
} from '@flightdeck/analytics';
import { connectMongo } from '@flightdeck/persistence';
import { createLogger } from '@flightdeck/telemetry';
import { databaseUri, startMongo, startNatsServer } from '@flightdeck/testing';

export interface IngestBenchOptions {
  events: number;
  services: number;
  products: number;
  queries: number;
  /** New production rollouts applied one at a time after the bulk ingest. */
  changes: number;
  /** Where the projections live: in memory, or MongoDB (the embedded MongoDB-wire server, or MONGODB_URI). */
  store: 'memory' | 'mongo';
  /** Told as each phase of a long run begins. */
  onProgress?: (step: string) => void;
}

export interface IngestBenchResult {
  events: number;
  /** Events the raw consumer read and the projector handled: every published one, once each. */
  consumed: { raw: number; projected: number };
  publishPerSecond: number;
  rawConsumePerSecond: number;
  ingestPerSecond: number;
  /** ingest / raw. */
  ratio: number;
  entities: Record<string, number>;
  /** The first refresh: every partition loaded, joined and indexed (before partitions, every new fact cost this). */
  buildMs: number;
  /** p50/p99 of doraMetrics on the built partitions; fullRecompute: doraMetrics recomputed over the same history (baseline); identical: same answers. */
  query: { oneProduct: ScopeTimes; all: ScopeTimes };
  /** releaseKpis (combined per partition) and aiEffectiveness (over the merged history) for the whole organisation over the year: first, then p50 of 5. */
  organisationKpis: { firstMs: number; p50: number; aiP50: number };
  /** doraTrend over the year by week (53 points), p50/p99 of `queries` runs (at least 5). */
  weeklyTrend: { oneProduct: { p50: number; p99: number }; all: { p50: number; p99: number } };
  live: LiveTimes;
  heapMb: number;
}

export interface LiveTimes {
  changes: number;
  /** The organisation's doraMetrics right after a new fact, before the refresh (answered from the last one). */
  staleQuery: { p50: number; p99: number };
  /** The refresh after one new fact: partitions rebuilt (one product's) and how long it took. */
  refresh: { p50: number; p99: number; rebuiltPerRefresh: number };
  /** Every new rollout was counted by the organisation's answer after its refresh. */
  visible: boolean;
}

export interface ScopeTimes {
  p50: number;
  p99: number;
  fullRecompute: { p50: number; p99: number };
  identical: boolean;
}

/** Full recomputations per scope: each costs seconds for the whole organisation at a million events. */
const BASELINE_QUERIES = 5;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR_START = Date.UTC(2026, 0, 1);

/** Events of the organisation in time order: per product a release every two weeks, rollouts of its services every working hour or so, incidents now and then. */
export function* organisationEvents(opts: IngestBenchOptions): Generator<CloudEvent> {
  const servicesPerProduct = Math.max(1, Math.floor(opts.services / opts.products));
  const releaseEvents = 20; // created, scope, features, freeze, readiness, gate, released
  // rollout = 2 events; an incident per 50 rollouts = 2 events
  const rolloutsNeeded = Math.max(1, Math.floor((opts.events - opts.products * 26 * releaseEvents) / 2.04));
  const perServicePerDay = Math.max(1, Math.round(rolloutsNeeded / (opts.services * 365)));
  let emitted = 0;
  let n = 0;
  const id = () => `b${(n++).toString(36)}`;
  const iso = (t: number) => new Date(t).toISOString();
  for (let day = 0; day < 365 && emitted < opts.events; day++) {
    for (let p = 0; p < opts.products && emitted < opts.events; p++) {
      const product = `product-${p}`;
      const cycle = Math.floor(day / 14);
      const releaseId = `${product}-r${cycle}`;
      const t0 = YEAR_START + cycle * 14 * DAY;
      if (day % 14 === 0) {
        const planning = '/flightdeck/planning';
        const base = { releaseId, product, version: `1.${cycle}.0`, releaseType: 'MINOR' as const };
        const evs: CloudEvent[] = [
          releaseCreatedV2.create({
            id: id(),
            source: planning,
            time: iso(t0),
            data: { ...base, theme: 'bench', owner: 'o', targetDate: iso(t0 + 13 * DAY), createdBy: 'o' },
          }),
        ];
        for (let f = 0; f < 6; f++) {
          const featureId = `${releaseId}-f${f}`;
          evs.push(
            releaseScopeChanged.create({
              id: id(),
              source: planning,
              time: iso(t0 + HOUR),
              data: {
                releaseId,
                kind: 'ADDED',
                featureId,
                title: featureId,
                fields: [],
                by: 'po',
                at: iso(t0 + HOUR),
                featureCount: f + 1,
                totalPoints: 3 * (f + 1),
              },
            }),
          );
          evs.push(
            featureStatusChanged.create({
              id: id(),
              source: planning,
              time: iso(t0 + 2 * HOUR),
              data: {
                releaseId,
                featureId,
                title: featureId,
                from: 'TODO',
                to: 'IN_PROGRESS',
                effort: 3,
                by: 'd',
                at: iso(t0 + 2 * HOUR),
              },
            }),
          );
        }
        const freeze = t0 + 7 * DAY;
        evs.push(
          releaseStatusChangedV2.create({
            id: id(),
            source: planning,
            time: iso(freeze),
            data: { ...base, from: 'ALPHA', to: 'CODE_FREEZE', by: 'rm', at: iso(freeze), reason: 'plan' },
          }),
        );
        evs.push(
          readinessAssessed.create({
            id: id(),
            source: '/flightdeck/gates',
            time: iso(freeze + DAY),
            data: {
              releaseId,
              assessmentId: id(),
              score: 80,
              recommendation: cycle % 5 ? 'GO' : 'NO_GO',
              confidence: 0.7,
              blockingIssues: [],
              source: cycle % 2 ? 'ai' : 'deterministic',
              predictionId: id(),
              assessedAt: iso(freeze + DAY),
            },
          }),
        );
        evs.push(
          gateEvaluationCompleted.create({
            id: id(),
            source: '/flightdeck/gates',
            time: iso(freeze + 2 * DAY),
            data: {
              releaseId,
              evaluationId: id(),
              gate: 'PRODUCTION',
              outcome: cycle % 7 ? 'PASS' : 'FAIL',
              evaluatedAt: iso(freeze + 2 * DAY),
            },
          }),
        );
        evs.push(
          releaseStatusChangedV2.create({
            id: id(),
            source: planning,
            time: iso(freeze + 3 * DAY),
            data: {
              ...base,
              from: 'RELEASE_CANDIDATE',
              to: 'RELEASED',
              by: 'rm',
              at: iso(freeze + 3 * DAY),
              reason: 'plan',
            },
          }),
        );
        for (let f = 0; f < 3; f++) {
          const featureId = `${releaseId}-f${f}`;
          evs.push(
            featureStatusChanged.create({
              id: id(),
              source: planning,
              time: iso(freeze - DAY),
              data: {
                releaseId,
                featureId,
                title: featureId,
                from: 'IN_PROGRESS',
                to: 'DONE',
                effort: 3,
                by: 'd',
                at: iso(freeze - DAY),
              },
            }),
          );
        }
        for (const e of evs) if (emitted++ < opts.events) yield e;
      }
      for (let s = 0; s < servicesPerProduct && emitted < opts.events; s++) {
        const workload = { namespace: product, deployment: `svc-${s}` };
        for (let k = 0; k < perServicePerDay && emitted < opts.events; k++) {
          const start = YEAR_START + day * DAY + 8 * HOUR + ((s * 37 + k * 53) % 600) * 60_000;
          const rolloutId = `${product}-${s}-${day}-${k}`;
          const base = { releaseId, rolloutId, environment: 'production' };
          yield rolloutStarted.create({
            id: id(),
            source: '/flightdeck/deployment',
            time: iso(start),
            data: {
              ...base,
              strategy: 'CANARY',
              ...workload,
              image: 'i:2',
              previousImage: 'i:1',
              steps: 3,
              startedBy: 'ci',
              startedAt: iso(start),
            },
          });
          emitted++;
          const bad = (day + s + k) % 23 === 0;
          yield bad
            ? rolloutRolledBack.create({
                id: id(),
                source: '/flightdeck/deployment',
                time: iso(start + 20 * 60_000),
                data: { ...base, reason: 'errors', rolledBackAt: iso(start + 20 * 60_000) },
              })
            : rolloutSucceeded.create({
                id: id(),
                source: '/flightdeck/deployment',
                time: iso(start + 15 * 60_000),
                data: { ...base, completedAt: iso(start + 15 * 60_000) },
              });
          emitted++;
          if ((day * 7 + s * 3 + k) % 50 === 0 && emitted < opts.events - 1) {
            const incidentId = `inc-${rolloutId}`;
            const at = start + 2 * HOUR;
            yield incidentOpened.create({
              id: id(),
              source: '/flightdeck/analytics',
              time: iso(at),
              data: {
                incidentId,
                title: 'errors',
                severity: k % 2 ? 'warning' : 'critical',
                source: 'alertmanager',
                workload: `${product}/svc-${s}`,
                openedAt: iso(at),
                by: 'alertmanager',
              },
            });
            yield incidentResolved.create({
              id: id(),
              source: '/flightdeck/analytics',
              time: iso(at + HOUR),
              data: { incidentId, resolvedAt: iso(at + HOUR), by: 'alertmanager' },
            });
            emitted += 2;
          }
        }
      }
    }
  }
}

async function publishAll(nc: NatsConnection, events: Iterable<CloudEvent>, window = 512): Promise<number> {
  const js = jetstream(nc);
  let pending: Promise<unknown>[] = [];
  let count = 0;
  for (const e of events) {
    pending.push(js.publish(e.type, encodeEvent(e), { msgID: e.id }));
    count++;
    if (pending.length >= window) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  return count;
}

async function rawConsume(nc: NatsConnection, last: number): Promise<number> {
  const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, { filter_subjects: EVENTS_SUBJECTS });
  const messages = await consumer.consume({ max_messages: 1000 });
  let read = 0;
  for await (const m of messages) {
    read++;
    if (m.seq >= last) break;
  }
  messages.stop();
  return read;
}

/** A production rollout of product-(i mod products) that succeeded in the last hours of the year. */
function liveRollout(i: number, products: number, end: number): CloudEvent[] {
  const product = `product-${i % products}`;
  const releaseId = `${product}-r${Math.floor(364 / 14)}`;
  const base = { releaseId, rolloutId: `live-${i}`, environment: 'production' };
  const start = end - 2 * HOUR + i * 1000;
  const iso = (t: number) => new Date(t).toISOString();
  return [
    rolloutStarted.create({
      source: '/flightdeck/deployment',
      time: iso(start),
      data: {
        ...base,
        strategy: 'CANARY',
        namespace: product,
        deployment: 'svc-0',
        image: 'i:3',
        previousImage: 'i:2',
        steps: 3,
        startedBy: 'ci',
        startedAt: iso(start),
      },
    }),
    rolloutSucceeded.create({
      source: '/flightdeck/deployment',
      time: iso(start + 60_000),
      data: { ...base, completedAt: iso(start + 60_000) },
    }),
  ];
}

async function openStore(
  kind: IngestBenchOptions['store'],
): Promise<{ store: ProjectionStore; entities(): Promise<Record<string, number>>; close(): Promise<void> }> {
  if (kind === 'memory') {
    const store = new MemoryProjectionStore();
    return { store, entities: async () => store.size(), close: async () => {} };
  }
  const mongo = await startMongo();
  const connection = await connectMongo({ uri: databaseUri(mongo.uri, 'analytics-ingest-bench') });
  const models = projectionModels(connection.connection);
  await Promise.all(Object.values(models).map((m) => m.init()));
  return {
    store: new MongoProjectionStore(models),
    entities: async () => ({
      release: await models.release.estimatedDocumentCount(),
      rollout: await models.rollout.estimatedDocumentCount(),
      incident: await models.incident.estimatedDocumentCount(),
    }),
    close: async () => {
      await connection.close();
      await mongo.stop();
    },
  };
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function runIngestBench(opts: IngestBenchOptions): Promise<IngestBenchResult> {
  const progress = (step: string) => opts.onProgress?.(step);
  const nats = await startNatsServer();
  const logger = createLogger({ service: 'bench', level: 'silent' });
  try {
    // JetStreamBus.connect provisions the stream exactly as the services do.
    const bus = await JetStreamBus.connect({ servers: nats.url, name: 'bench' });
    const nc = await connect({ servers: nats.url });
    try {
      let t = performance.now();
      progress(`publishing ${opts.events} events`);
      const published = await publishAll(nc, organisationEvents(opts));
      const publishPerSecond = published / ((performance.now() - t) / 1000);
      const last = (await (await jetstreamManager(nc)).streams.info(EVENTS_STREAM)).state.last_seq;

      t = performance.now();
      progress('raw consume');
      const raw = await rawConsume(nc, last);
      const rawConsumePerSecond = raw / ((performance.now() - t) / 1000);

      const { store, entities, close } = await openStore(opts.store);
      try {
        const projector = new Projector({
          store,
          retrospectives: { openForHotfix: async () => undefined } as never,
          logger,
        });
        t = performance.now();
        progress(`ingest into the ${opts.store} projections`);
        const replay = await replayStream(bus.connection, (e) => projector.handle(e), { parallel: 64 });
        const ingestPerSecond = replay.handled / ((performance.now() - t) / 1000);

        const end = YEAR_START + 365 * DAY;
        const queries = new AnalyticsQueries({ store, clock: { now: () => new Date(end) } });
        const window = { from: new Date(YEAR_START), to: new Date(end) };
        t = performance.now();
        progress('first refresh: every partition');
        await queries.partitions.refresh();
        const buildMs = performance.now() - t;

        const time = async (product?: string): Promise<ScopeTimes> => {
          const scope = product ? { product } : {};
          const xs: number[] = [];
          for (let i = 0; i < opts.queries; i++) {
            const s = performance.now();
            await queries.dora(scope, window);
            xs.push(performance.now() - s);
          }
          const history = await queries.history(product);
          const fast = await queries.dora(scope, window);
          const full: number[] = [];
          let identical = true;
          for (let i = 0; i < Math.min(opts.queries, BASELINE_QUERIES); i++) {
            const s = performance.now();
            const m = domain.doraMetrics(history, scope, queries.window(window));
            full.push(performance.now() - s);
            identical &&= isDeepStrictEqual(m, fast);
          }
          return {
            p50: percentile(xs, 50),
            p99: percentile(xs, 99),
            fullRecompute: { p50: percentile(full, 50), p99: percentile(full, 99) },
            identical,
          };
        };
        progress('doraMetrics, trend and KPI queries');
        const oneProduct = await time('product-0');
        const all = await time();
        const trend = async (product?: string) => {
          const xs: number[] = [];
          for (let i = 0; i < Math.max(5, opts.queries); i++) {
            const s = performance.now();
            await queries.doraTrend(product ? { product } : {}, window, 'WEEK');
            xs.push(performance.now() - s);
          }
          return { p50: percentile(xs, 50), p99: percentile(xs, 99) };
        };
        const weeklyTrend = { oneProduct: await trend('product-0'), all: await trend() };
        let s0 = performance.now();
        await queries.kpis({}, window);
        const firstMs = performance.now() - s0;
        const kpiTimes: number[] = [];
        const aiTimes: number[] = [];
        for (let i = 0; i < 5; i++) {
          s0 = performance.now();
          await queries.kpis({}, window);
          kpiTimes.push(performance.now() - s0);
          s0 = performance.now();
          await queries.aiEffectiveness({}, window);
          aiTimes.push(performance.now() - s0);
        }
        const organisationKpis = { firstMs, p50: percentile(kpiTimes, 50), aiP50: percentile(aiTimes, 50) };

        const stale: number[] = [];
        const refreshes: number[] = [];
        let rebuilt = 0;
        let visible = true;
        progress(`${opts.changes} live changes`);
        for (let i = 0; i < opts.changes; i++) {
          const before = (await queries.dora({}, window)).deploymentFrequency.deployments;
          for (const e of liveRollout(i, opts.products, end)) await projector.handle(e);
          let s = performance.now();
          await queries.dora({}, window);
          stale.push(performance.now() - s);
          s = performance.now();
          const report = await queries.partitions.refresh();
          refreshes.push(performance.now() - s);
          rebuilt += report.rebuilt.length;
          visible &&= (await queries.dora({}, window)).deploymentFrequency.deployments === before + 1;
        }
        return {
          events: published,
          consumed: { raw, projected: replay.handled },
          publishPerSecond,
          rawConsumePerSecond,
          ingestPerSecond,
          ratio: ingestPerSecond / rawConsumePerSecond,
          entities: await entities(),
          buildMs,
          query: { oneProduct, all },
          weeklyTrend,
          organisationKpis,
          live: {
            changes: opts.changes,
            staleQuery: { p50: percentile(stale, 50), p99: percentile(stale, 99) },
            refresh: {
              p50: percentile(refreshes, 50),
              p99: percentile(refreshes, 99),
              rebuiltPerRefresh: rebuilt / Math.max(1, opts.changes),
            },
            visible,
          },
          heapMb: process.memoryUsage().heapUsed / 2 ** 20,
        };
      } finally {
        await close();
      }
    } finally {
      await nc.close();
      await bus.close();
    }
  } finally {
    await nats.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('analytics-ingest')
    .description(
      'Ingest a year of a 200-service organisation from JetStream into the analytics projections (next to a raw JetStream consume in the same run), then doraMetrics p50/p99 for one product and for all.',
    )
    .option('--events <n>', 'events in the stream', '1000000')
    .option('--services <n>', 'services (workloads) in the organisation', '200')
    .option('--products <n>', 'products the services belong to', '40')
    .option('--queries <n>', 'doraMetrics queries per scope', '50')
    .option(
      '--changes <n>',
      'new production rollouts applied one at a time after the ingest, each followed by a refresh',
      '20',
    )
    .addOption(
      new Option('--store <kind>', 'where the projections live').choices(['memory', 'mongo']).default('memory'),
    )
    .parse();
  const a = program.opts<Record<keyof IngestBenchOptions, string>>();
  const counts = {
    events: Number(a.events),
    services: Number(a.services),
    products: Number(a.products),
    queries: Number(a.queries),
    changes: Number(a.changes),
  };
  for (const [k, v] of Object.entries(counts))
    if (!Number.isInteger(v) || v <= 0)
      program.error(`--${k} must be a positive whole number, got ${a[k as keyof typeof a]}`);
  const started = performance.now();
  const opts: IngestBenchOptions = {
    ...counts,
    store: a.store as IngestBenchOptions['store'],
    onProgress: (step) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${step}\n`),
  };
  const r = await runIngestBench(opts);
  const f = (x: number) => x.toFixed(0).padStart(8);
  console.log(
    `${r.events} events (${opts.services} services, ${opts.products} products, one year); projections: ${JSON.stringify(r.entities)}; heap ${r.heapMb.toFixed(0)} MB`,
  );
  console.log(`  publish (baseline for the stream)     ${f(r.publishPerSecond)} events/s`);
  console.log(`  raw JetStream consume (count only)    ${f(r.rawConsumePerSecond)} events/s`);
  console.log(`  analytics ingest (validate + project) ${f(r.ingestPerSecond)} events/s`);
  console.log(`  ingest / raw                          ${r.ratio.toFixed(2)}`);
  console.log(`  build every partition (first refresh)  ${r.buildMs.toFixed(0)} ms  (${opts.store} store)`);
  const q = (x: ScopeTimes) =>
    `p50 ${x.p50.toFixed(1)} ms  p99 ${x.p99.toFixed(1)} ms; full recomputation (baseline) p50 ${x.fullRecompute.p50.toFixed(1)} ms  p99 ${x.fullRecompute.p99.toFixed(1)} ms; baseline / query p50 ${(x.fullRecompute.p50 / x.p50).toFixed(0)}; same answer: ${x.identical}`;
  console.log(`  doraMetrics one product  ${q(r.query.oneProduct)}  (target p99 < 100 ms)`);
  console.log(`  doraMetrics all products ${q(r.query.all)}  (target p99 < 100 ms)`);
  console.log(
    `  doraTrend by week, one product p50 ${r.weeklyTrend.oneProduct.p50.toFixed(1)} ms p99 ${r.weeklyTrend.oneProduct.p99.toFixed(1)} ms; all products p50 ${r.weeklyTrend.all.p50.toFixed(1)} ms p99 ${r.weeklyTrend.all.p99.toFixed(1)} ms`,
  );
  console.log(
    `  releaseKpis whole organisation first ${r.organisationKpis.firstMs.toFixed(0)} ms, then p50 ${r.organisationKpis.p50.toFixed(0)} ms; aiEffectiveness p50 ${r.organisationKpis.aiP50.toFixed(0)} ms`,
  );
  const l = r.live;
  console.log(
    `  ${l.changes} live rollouts: organisation query before the refresh p50 ${l.staleQuery.p50.toFixed(1)} ms p99 ${l.staleQuery.p99.toFixed(1)} ms; refresh p50 ${l.refresh.p50.toFixed(0)} ms p99 ${l.refresh.p99.toFixed(0)} ms (${l.refresh.rebuiltPerRefresh.toFixed(1)} partition(s) each; full build / refresh p50 ${(r.buildMs / l.refresh.p50).toFixed(0)}); every one counted after its refresh: ${l.visible}`,
  );
}
