/**
 * Soak: the whole stack as processes (soak/stack.ts) under mixed GraphQL traffic through the gateway
 * (soak/operations.ts, soak/traffic.ts) and a steady load of events on NATS JetStream (soak/event-load.ts), for
 * minutes. Reports every error, the heap after GC of each service over time against a bound, and latencies.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { mintToken } from '@flightdeck/auth';
import { runEventLoad, type EventLoadReport } from './soak/event-load.js';
import { graphqlClient } from './soak/graphql-client.js';
import { heapFigures, readHeapSamples, type HeapFigures } from './soak/heap.js';
import { SERVICES, startSoakStack, type ServiceName } from './soak/stack.js';
import { prepareSoak, runTraffic, type TrafficReport } from './soak/traffic.js';

export interface SoakOptions {
  seconds: number;
  /** GraphQL requests per second through the gateway (besides the rollout loop). */
  rate: number;
  eventsPerSecond: number;
  /** Seconds of traffic before heap and latency figures count (caches, JIT and pools fill up first). */
  warmupSeconds: number;
  heapSampleSeconds: number;
  /** The most a service's heap after GC may grow from the end of the warm-up to the end, in MB. */
  heapGrowthBoundMb: number;
  logLevel?: string;
  /** Keep the folder with every process's log and heap samples (printed), instead of removing it. */
  keep?: boolean;
}

export interface LatencyFigures {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

export interface SoakResult {
  graphql: {
    operations: Record<string, LatencyFigures>;
    all: LatencyFigures;
    errors: number;
    errorSamples: string[];
    dropped: number;
    rolloutsPromoted: number;
  };
  events: EventLoadReport;
  heap: Record<ServiceName, HeapFigures | undefined>;
  /** Services whose heap after GC grew more than the bound (or that gave too few samples to tell). */
  heapOverBound: string[];
  loadAverage: { before: number[]; after: number[] };
  dir?: string;
}

const secret = 'soak-secret-of-at-least-32-characters-long';

function latencyFigures(latencies: number[], errors: number): LatencyFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { count: sorted.length, errors, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

function summarize(traffic: TrafficReport): SoakResult['graphql'] {
  const operations: Record<string, LatencyFigures> = {};
  const all: number[] = [];
  let errors = 0;
  for (const [name, r] of Object.entries(traffic.operations)) {
    operations[name] = latencyFigures(r.latencies, r.errors);
    all.push(...r.latencies);
    errors += r.errors;
  }
  return {
    operations,
    all: latencyFigures(all, errors),
    errors,
    errorSamples: traffic.errorSamples,
    dropped: traffic.dropped,
    rolloutsPromoted: traffic.rolloutsPromoted,
  };
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const before = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-soak-'));
  const stack = await startSoakStack({
    dir,
    secret,
    heapSampleMs: opts.heapSampleSeconds * 1000,
    logLevel: opts.logLevel ?? 'info',
  });
  let traffic: TrafficReport;
  let events: EventLoadReport;
  let warmEnd: number;
  try {
    const token = await mintToken({
      secret,
      subject: 'soak',
      roles: ['RELEASE_MANAGER', 'SRE', 'QA_LEAD', 'TECHNICAL_LEAD', 'PRODUCT_OWNER'],
    });
    const client = graphqlClient(stack.gatewayUrl, token);
    const state = await prepareSoak(client);
    warmEnd = Date.now() + opts.warmupSeconds * 1000;
    [traffic, events] = await Promise.all([
      runTraffic({
        client,
        state,
        rate: opts.rate,
        seconds: opts.seconds,
        measureFrom: performance.now() + opts.warmupSeconds * 1000,
      }),
      runEventLoad({ natsUrl: stack.natsUrl, rate: opts.eventsPerSecond, seconds: opts.seconds }),
    ]);
  } finally {
    await stack.stop();
  }
  const heap = {} as SoakResult['heap'];
  for (const name of [...SERVICES, 'gateway'] as ServiceName[])
    heap[name] = heapFigures(await readHeapSamples(stack.heapFiles[name]), warmEnd);
  const heapOverBound = Object.entries(heap)
    .filter(([, f]) => !f || f.growthMb > opts.heapGrowthBoundMb)
    .map(([name]) => name);
  if (!opts.keep) await rm(dir, { recursive: true, force: true });
  return {
    graphql: summarize(traffic),
    events,
    heap,
    heapOverBound,
    loadAverage: { before, after: loadavg() },
    ...(opts.keep ? { dir } : {}),
  };
}

function printReport(r: SoakResult, o: SoakOptions): void {
  const f = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(1));
  console.log(
    `load average before ${r.loadAverage.before.map((x) => x.toFixed(2)).join(' ')}, after ${r.loadAverage.after.map((x) => x.toFixed(2)).join(' ')}`,
  );
  console.log(
    `GraphQL through the gateway: ${r.graphql.all.count} answers measured after the warm-up, ${r.graphql.errors} errors, ${r.graphql.dropped} not sent (backlog), ${r.graphql.rolloutsPromoted} rollouts promoted`,
  );
  console.log(
    `  ${'operation'.padEnd(30)} ${'count'.padStart(6)} ${'errors'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
  );
  for (const [name, l] of [...Object.entries(r.graphql.operations).sort(), ['all', r.graphql.all] as const]) {
    console.log(
      `  ${name.padEnd(30)} ${String(l.count).padStart(6)} ${String(l.errors).padStart(6)} ${f(l.p50).padStart(8)} ${f(l.p99).padStart(8)} ${f(l.max).padStart(8)}`,
    );
  }
  for (const e of r.graphql.errorSamples) console.log(`  error: ${e}`);
  console.log(
    `events: ${r.events.published} published (${r.events.achievedRate.toFixed(0)}/s of ${o.eventsPerSecond}/s asked), ${r.events.errors} publish errors`,
  );
  for (const [service, lag] of Object.entries(r.events.lag))
    console.log(`  ${service.padEnd(10)} consumer behind by at most ${lag.max} events, ${lag.last} at the end`);
  for (const e of r.events.errorSamples) console.log(`  error: ${e}`);
  console.log(
    `heap after GC (sampled every ${o.heapSampleSeconds} s; from the end of the ${o.warmupSeconds} s warm-up; bound +${o.heapGrowthBoundMb} MB)`,
  );
  for (const [name, h] of Object.entries(r.heap)) {
    if (!h) {
      console.log(`  ${name.padEnd(10)} too few samples`);
      continue;
    }
    console.log(
      `  ${name.padEnd(10)} ${f(h.startMb)} → ${f(h.endMb)} MB (${h.growthMb >= 0 ? '+' : ''}${f(h.growthMb)}, max ${f(h.maxMb)}, slope ${h.slopeMbPerMinute.toFixed(2)} MB/min, ${h.samples} samples), RSS ${f(h.rssEndMb)} MB`,
    );
  }
  console.log(
    r.heapOverBound.length
      ? `OVER THE HEAP BOUND: ${r.heapOverBound.join(', ')}`
      : 'every service within the heap bound',
  );
  if (r.dir) console.log(`logs and heap samples kept in ${r.dir}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('soak')
    .description(
      'Every service as its own process under mixed GraphQL traffic through the gateway and a steady event load on JetStream: errors, heap after GC, latencies.',
    )
    .option('--minutes <n>', 'length of the run', '10')
    .option('--rate <n>', 'GraphQL requests per second through the gateway (besides one rollout after another)', '40')
    .option('--events <n>', 'events per second published on the bus', '1000')
    .option('--warmup <seconds>', 'traffic before heap and latency figures count', '60')
    .option('--heap-sample <seconds>', 'how often each service samples its heap after a full GC', '30')
    .option('--heap-bound <MB>', 'the most a service heap after GC may grow after the warm-up', '32')
    .option('--log-level <level>', 'log level of the services (logs go to files in a temporary folder)', 'info')
    .option('--keep', 'keep the folder with the logs and heap samples')
    .parse();
  const o = program.opts<{
    minutes: string;
    rate: string;
    events: string;
    warmup: string;
    heapSample: string;
    heapBound: string;
    logLevel: string;
    keep?: boolean;
  }>();
  const options: SoakOptions = {
    seconds: Number(o.minutes) * 60,
    rate: Number(o.rate),
    eventsPerSecond: Number(o.events),
    warmupSeconds: Number(o.warmup),
    heapSampleSeconds: Number(o.heapSample),
    heapGrowthBoundMb: Number(o.heapBound),
    logLevel: o.logLevel,
    keep: o.keep === true,
  };
  const result = await runSoak(options);
  printReport(result, options);
  process.exitCode = result.graphql.errors || result.events.errors || result.heapOverBound.length ? 1 : 0;
}
