/**
 * Events benchmark: JetStream publish→durable-consume throughput through @flightdeck/events next
 * to raw @nats-io/jetstream doing the same work (same stream, same durable explicit-ack pull
 * consumer settings, same publish window, same JSON payload), and publish→handler latency at a
 * fixed rate for both. Starts its own nats-server on a free port with a temporary store.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { z } from 'zod';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { defineEvent, EVENTS_STREAM, EventCatalog, JetStreamBus, type CloudEvent } from '@flightdeck/events';
import { startNatsServer } from '@flightdeck/testing';

const sample = defineEvent({
  type: 'flightdeck.bench.sample.recorded',
  version: 1,
  schema: z.object({
    seq: z.number().int().nonnegative(),
    sentAt: z.number(),
    releaseId: z.string(),
    note: z.string(),
  }),
});
const catalog = new EventCatalog([sample]);
const RAW_SUBJECT = 'flightdeck.bench.raw.recorded';
const note = 'x'.repeat(160);
// The library buffers max(concurrency * 4, 64) events per consumer; the baseline uses the same.
const prefetchFor = (concurrency: number) => Math.min(Math.max(concurrency * 4, 64), 1000);

export interface EventsBenchOptions {
  events: number;
  rounds: number;
  rate: number;
  seconds: number;
  concurrency: number;
  window: number;
}

export interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** What one run's consumer handled: every one of `events` exactly once means received = distinct = events. */
export interface Handled {
  side: 'raw' | 'library';
  run: 'throughput' | 'latency';
  events: number;
  received: number;
  distinct: number;
}

export interface EventsBenchResult {
  serverVersion: string;
  payloadBytes: number;
  /** Every measured run, with what its consumer handled. */
  handled: Handled[];
  throughput: { raw: number[]; library: number[]; rawMedian: number; libraryMedian: number; ratio: number };
  latency: { rate: number; raw: Latency; library: Latency };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function summarize(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? NaN };
}

function makeEvent(seq: number): CloudEvent {
  return sample.create({
    source: '/flightdeck/bench',
    subject: `rel-${seq % 50}`,
    data: { seq, sentAt: performance.now(), releaseId: `rel-${seq % 50}`, note },
  });
}

/** Publishes `n` items keeping at most `window` publishes awaiting their ack. */
async function pipelined(n: number, window: number, send: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(window, n) }, async () => {
      while (next < n) await send(next++);
    }),
  );
}

/** Publishes at `rate` per second for `count` events, on schedule rather than as fast as possible. */
async function paced(count: number, rate: number, send: (i: number) => Promise<unknown>): Promise<void> {
  const start = performance.now();
  const inFlight: Promise<unknown>[] = [];
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    while (sent < due) inFlight.push(send(sent++));
    await sleep(1);
  }
  await Promise.all(inFlight);
}

/** Counts the events a consumer handled, by sequence number; done once each of the `n` was seen. */
function tracker(n: number) {
  let received = 0;
  const seqs = new Set<number>();
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    done,
    hit(seq: number) {
      received++;
      seqs.add(seq);
      if (seqs.size === n) resolve();
    },
    counts: () => ({ received, distinct: seqs.size }),
  };
}

type RunResult = { perSecond: number; latencies: number[]; received: number; distinct: number };

async function resetStream(jsm: JetStreamManager): Promise<void> {
  await jsm.streams.purge(EVENTS_STREAM);
  for await (const c of jsm.consumers.list(EVENTS_STREAM)) await jsm.consumers.delete(EVENTS_STREAM, c.name);
}

/** Raw client: durable explicit-ack pull consumer, JSON parse and ack per message. */
async function rawRun(
  url: string,
  o: EventsBenchOptions,
  mode: { kind: 'throughput' } | { kind: 'latency'; count: number },
): Promise<RunResult> {
  const nc = await connect({ servers: url });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const durable = `raw-${Date.now()}`;
  const prefetch = prefetchFor(o.concurrency);
  await jsm.consumers.add(EVENTS_STREAM, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: RAW_SUBJECT,
    ack_wait: nanos(30_000),
    max_deliver: 6,
    max_ack_pending: prefetch * 2,
  });
  const n = mode.kind === 'throughput' ? o.events : mode.count;
  const latencies: number[] = [];
  const seen = tracker(n);
  const messages = await (await js.consumers.get(EVENTS_STREAM, durable)).consume({ max_messages: prefetch });
  void (async () => {
    for await (const m of messages) {
      const event = JSON.parse(new TextDecoder().decode(m.data)) as CloudEvent<{ sentAt: number; seq: number }>;
      latencies.push(performance.now() - event.data.sentAt);
      m.ack();
      seen.hit(event.data.seq);
    }
  })();
  const events = mode.kind === 'throughput' ? Array.from({ length: n }, (_, i) => makeEvent(i)) : [];
  const send = (i: number) => {
    const e = events[i] ?? makeEvent(i);
    return js.publish(RAW_SUBJECT, JSON.stringify(e), { msgID: e.id });
  };
  const start = performance.now();
  await (mode.kind === 'throughput' ? pipelined(n, o.window, send) : paced(n, o.rate, send));
  await seen.done;
  const elapsed = performance.now() - start;
  await messages.close();
  await nc.drain();
  return { perSecond: (n / elapsed) * 1000, latencies, ...seen.counts() };
}

/** The library: JetStreamBus.publish and subscribe (catalog validation on both sides, consumer runner). */
async function libraryRun(
  url: string,
  o: EventsBenchOptions,
  mode: { kind: 'throughput' } | { kind: 'latency'; count: number },
): Promise<RunResult> {
  const bus = await JetStreamBus.connect({ servers: url, catalog });
  const n = mode.kind === 'throughput' ? o.events : mode.count;
  const latencies: number[] = [];
  const seen = tracker(n);
  const sub = await bus.subscribe({
    durable: `lib-${Date.now()}`,
    filter: sample.type,
    concurrency: o.concurrency,
    handler: (e) => {
      const data = e.data as { sentAt: number; seq: number };
      latencies.push(performance.now() - data.sentAt);
      seen.hit(data.seq);
    },
  });
  const events = mode.kind === 'throughput' ? Array.from({ length: n }, (_, i) => makeEvent(i)) : [];
  const send = (i: number) => bus.publish(events[i] ?? makeEvent(i));
  const start = performance.now();
  await (mode.kind === 'throughput' ? pipelined(n, o.window, send) : paced(n, o.rate, send));
  await seen.done;
  const elapsed = performance.now() - start;
  await sub.stop();
  await bus.close();
  return { perSecond: (n / elapsed) * 1000, latencies, ...seen.counts() };
}

export async function runEventsBench(o: EventsBenchOptions): Promise<EventsBenchResult> {
  const server = await startNatsServer();
  const admin = await connect({ servers: server.url });
  try {
    // Provisions the FLIGHTDECK stream both sides publish into.
    await (await JetStreamBus.connect({ connection: admin, catalog })).close();
    const jsm = await jetstreamManager(admin);
    const warm = { ...o, events: Math.min(o.events, 2_000) };
    await rawRun(server.url, warm, { kind: 'throughput' });
    await libraryRun(server.url, warm, { kind: 'throughput' });

    const raw: number[] = [];
    const library: number[] = [];
    const handled: Handled[] = [];
    const record = (side: Handled['side'], run: Handled['run'], events: number, r: RunResult) =>
      handled.push({ side, run, events, received: r.received, distinct: r.distinct });
    for (let round = 0; round < o.rounds; round++) {
      // Alternate which goes first so neither always gets the warmer machine.
      const order = round % 2 === 0 ? (['raw', 'library'] as const) : (['library', 'raw'] as const);
      for (const side of order) {
        await resetStream(jsm);
        const r =
          side === 'raw'
            ? await rawRun(server.url, o, { kind: 'throughput' })
            : await libraryRun(server.url, o, { kind: 'throughput' });
        (side === 'raw' ? raw : library).push(r.perSecond);
        record(side, 'throughput', o.events, r);
      }
    }

    const count = Math.max(1, Math.round(o.rate * o.seconds));
    await resetStream(jsm);
    const rawLatency = await rawRun(server.url, o, { kind: 'latency', count });
    await resetStream(jsm);
    const libLatency = await libraryRun(server.url, o, { kind: 'latency', count });
    record('raw', 'latency', count, rawLatency);
    record('library', 'latency', count, libLatency);

    return {
      serverVersion: admin.info?.version ?? 'unknown',
      payloadBytes: JSON.stringify(makeEvent(0)).length,
      handled,
      throughput: {
        raw,
        library,
        rawMedian: median(raw),
        libraryMedian: median(library),
        ratio: median(library) / median(raw),
      },
      latency: { rate: o.rate, raw: summarize(rawLatency.latencies), library: summarize(libLatency.latencies) },
    };
  } finally {
    await admin.close();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('events')
    .description(
      'JetStream publish→durable-consume throughput and publish→handler latency: @flightdeck/events next to raw @nats-io/jetstream, in the same run.',
    )
    .option('--events <n>', 'events per throughput run', '20000')
    .option('--rounds <n>', 'throughput runs per side (the median is reported)', '3')
    .option('--rate <n>', 'events per second in the latency run', '1000')
    .option('--seconds <n>', 'length of the latency run', '10')
    .option('--concurrency <n>', 'handlers at once in the library consumer', '1')
    .option('--window <n>', 'publishes awaiting their ack at once in the throughput runs', '256')
    .parse();
  const a = program.opts<Record<'events' | 'rounds' | 'rate' | 'seconds' | 'concurrency' | 'window', string>>();
  const opts: EventsBenchOptions = {
    events: Number(a.events),
    rounds: Number(a.rounds),
    rate: Number(a.rate),
    seconds: Number(a.seconds),
    concurrency: Number(a.concurrency),
    window: Number(a.window),
  };
  for (const [k, v] of Object.entries(opts)) {
    if (!Number.isFinite(v) || v <= 0) program.error(`--${k} must be a positive number, got ${a[k as keyof typeof a]}`);
  }
  const r = await runEventsBench(opts);
  const f = (x: number) => x.toFixed(0).padStart(7);
  const ms = (l: Latency) =>
    `p50 ${l.p50.toFixed(2)} ms  p99 ${l.p99.toFixed(2)} ms  max ${l.max.toFixed(2)} ms  (${l.count} events)`;
  console.log(
    `nats-server ${r.serverVersion}, events of ${r.payloadBytes} bytes, ${opts.events} per run, ${opts.rounds} rounds, publish window ${opts.window}, consumer concurrency ${opts.concurrency}`,
  );
  console.log('publish→durable consume throughput (median of rounds)');
  console.log(
    `  raw @nats-io/jetstream  ${f(r.throughput.rawMedian)} events/s   rounds: ${r.throughput.raw.map((x) => x.toFixed(0)).join(', ')}`,
  );
  console.log(
    `  @flightdeck/events      ${f(r.throughput.libraryMedian)} events/s   rounds: ${r.throughput.library.map((x) => x.toFixed(0)).join(', ')}`,
  );
  console.log(`  library / raw           ${r.throughput.ratio.toFixed(2)}   (target ≥ 0.70)`);
  console.log(`publish→handler latency at ${r.latency.rate} events/s`);
  console.log(`  raw @nats-io/jetstream  ${ms(r.latency.raw)}`);
  console.log(`  @flightdeck/events      ${ms(r.latency.library)}   (target p99 < 20 ms)`);
  console.log(`  library / raw p99       ${(r.latency.library.p99 / r.latency.raw.p99).toFixed(2)}`);
}
