/**
 * Gateway overhead: the same GraphQL query sent straight to a subgraph (baseline) and through the gateway, each
 * under the same load. The subgraph and the gateway (apps/gateway/src/main.ts, as production runs it) are processes
 * of their own; the load generators run beside them: autocannon (in this process) at saturation, vegeta (its own
 * process, open loop) at the fixed rate. Optionally a second gateway from another checkout
 * (e.g. main before a change) is measured in the same interleaved rounds.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { gql } from 'graphql-tag';
import { composeServices } from '@apollo/composition';
import { mintToken } from '@flightdeck/auth';
import { expectedBody, releasesQuery, releasesTypeDefs } from './gateway-overhead/releases-schema.js';
import { constantRate, saturate, type LoadResult } from './load.js';
import { processCpuSeconds } from './process-cpu.js';
import { freePort, startServiceProcess, type ServiceProcess } from '@flightdeck/testing';

/** A load run with the CPU time each server process spent on it, per answered request (milliseconds), by process name. */
export interface MeasuredRun extends LoadResult {
  cpuMsPerRequest: Record<string, number>;
}

const secret = 'bench-secret-of-at-least-32-characters!';
/** The V8 flags the service images run with (deploy/Dockerfile's NODE_OPTIONS). */
const IMAGE_NODE_ARGS = ['--max-semi-space-size=32'];
const isExpected = (body: string) => {
  try {
    return JSON.stringify(JSON.parse(body)) === expectedBody;
  } catch {
    return false;
  }
};

/** What was measured against: the subgraph itself, the gateway of this checkout, and the baseline checkout's gateway. */
export type Target = 'direct' | 'gateway' | 'baseline';

export interface TargetFigures {
  /** The median round at saturation (by requests/s) and at the fixed rate (by p99). */
  saturation: MeasuredRun;
  fixedRate: MeasuredRun;
  /** Through a gateway: its requests/s over the direct ones, and its p99 at the fixed rate minus the direct p99, round by round. */
  rounds: { throughputRatio: number; p99OverheadMs: number }[];
  throughputRatio: number;
  p99OverheadMs: number;
}

export interface GatewayBenchResult {
  targets: Partial<Record<Target, TargetFigures>> & { direct: TargetFigures; gateway: TargetFigures };
  rate: number;
  /** The 1-, 5- and 15-minute load averages when the run ended. */
  loadAverage: number[];
  /** Where the gateway's CPU profile was written, when `profileDir` was given. */
  profileDir?: string;
}

export interface GatewayBenchOptions {
  durationSeconds: number;
  connections: number;
  /** Requests per second of the fixed-rate runs (below saturation). */
  rate: number;
  rounds: number;
  /** Write a V8 CPU profile of the gateway process (node --cpu-prof) into this folder. */
  profileDir?: string;
  /** Log level of every server; default info (one access-log line per request, as in production). */
  logLevel?: string;
  /** Another checkout (with node_modules) whose gateway is measured too, in the same rounds. */
  baselineCheckout?: string;
}

/** The run with the median of `key`: one noisy run on a shared machine does not decide the figure. */
function medianBy(runs: MeasuredRun[], key: (r: MeasuredRun) => number): MeasuredRun {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)]!;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runGatewayBench(opts: GatewayBenchOptions): Promise<GatewayBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-gateway-bench-'));
  const started: ServiceProcess[] = [];
  try {
    const env = { AUTH_JWT_SECRET: secret, LOG_LEVEL: opts.logLevel ?? 'info' };
    const subgraphPort = await freePort();
    const subgraphUrl = `http://127.0.0.1:${subgraphPort}/graphql`;
    const composed = composeServices([{ name: 'releases', typeDefs: gql(releasesTypeDefs), url: subgraphUrl }]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    const supergraphPath = join(dir, 'supergraph.graphql');
    await writeFile(supergraphPath, composed.supergraphSdl);

    const subgraph = await startServiceProcess({
      name: 'subgraph',
      entry: 'tools/bench/src/gateway-overhead/releases-subgraph.ts',
      port: subgraphPort,
      env,
      logDir: dir,
      nodeArgs: IMAGE_NODE_ARGS,
    });
    started.push(subgraph);
    if (opts.profileDir) await mkdir(opts.profileDir, { recursive: true });
    // One token sends all the load: the per-identity rate limit stays on (its cost is measured) but at its ceiling.
    const gatewayEnv = { ...env, SUPERGRAPH_PATH: supergraphPath, GATEWAY_RATE_LIMIT_REQUESTS: '10000000' };
    const gateway = await startServiceProcess({
      name: 'gateway',
      entry: 'apps/gateway/src/main.ts',
      port: await freePort(),
      env: gatewayEnv,
      logDir: dir,
      nodeArgs: [
        ...IMAGE_NODE_ARGS,
        ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.profileDir)}`] : []),
      ],
    });
    started.push(gateway);
    const urls: Partial<Record<Target, string>> = { direct: subgraphUrl, gateway: `${gateway.baseUrl}/graphql` };
    if (opts.baselineCheckout) {
      const baseline = await startServiceProcess({
        name: 'baseline',
        entry: 'apps/gateway/src/main.ts',
        cwd: resolve(opts.baselineCheckout),
        port: await freePort(),
        env: gatewayEnv,
        logDir: dir,
        nodeArgs: IMAGE_NODE_ARGS,
      });
      started.push(baseline);
      urls.baseline = `${baseline.baseUrl}/graphql`;
    }
    const targets = Object.keys(urls) as Target[];

    const token = await mintToken({ secret, subject: 'bench', roles: ['VIEWER'] });
    const load = async (url: string, rate?: number): Promise<MeasuredRun> => {
      const before = started.map((p) => processCpuSeconds(p.child.pid!));
      const request = {
        url,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: releasesQuery }),
        verifyBody: isExpected,
      };
      // Saturation: autocannon's closed loop (every connection sends its next request on each answer). A fixed rate:
      // vegeta's open loop, evenly spaced (see load.ts).
      const result = rate
        ? await constantRate({ ...request, rate, durationSeconds: opts.durationSeconds })
        : await saturate({ ...request, durationSeconds: opts.durationSeconds, connections: opts.connections });
      const cpuMsPerRequest = Object.fromEntries(
        started.map((p, i) => [
          p.name,
          ((processCpuSeconds(p.child.pid!) - before[i]!) * 1000) / Math.max(1, result.requests.total),
        ]),
      );
      return { ...result, cpuMsPerRequest };
    };

    // Warm-up: JIT, query plan and document caches, keep-alive connections.
    for (const target of targets) await load(urls[target]!);
    // Interleaved rounds, so a burst of load from elsewhere on the machine hits every side alike.
    const runs = Object.fromEntries(
      targets.map((t) => [t, { saturation: [] as MeasuredRun[], fixedRate: [] as MeasuredRun[] }]),
    ) as Record<Target, { saturation: MeasuredRun[]; fixedRate: MeasuredRun[] }>;
    for (let round = 0; round < opts.rounds; round++) {
      for (const target of targets) runs[target].saturation.push(await load(urls[target]!));
      for (const target of targets) runs[target].fixedRate.push(await load(urls[target]!, opts.rate));
    }
    const figures = {} as GatewayBenchResult['targets'];
    for (const target of targets) {
      const mine = runs[target];
      const rounds = mine.saturation.map((run, i) => ({
        throughputRatio: run.requests.average / runs.direct.saturation[i]!.requests.average,
        p99OverheadMs: mine.fixedRate[i]!.latency.p99 - runs.direct.fixedRate[i]!.latency.p99,
      }));
      figures[target] = {
        saturation: medianBy(mine.saturation, (r) => r.requests.average),
        fixedRate: medianBy(mine.fixedRate, (r) => r.latency.p99),
        rounds,
        throughputRatio: median(rounds.map((r) => r.throughputRatio)),
        p99OverheadMs: median(rounds.map((r) => r.p99OverheadMs)),
      };
    }
    return {
      targets: figures,
      rate: opts.rate,
      loadAverage: loadavg(),
      ...(opts.profileDir ? { profileDir: opts.profileDir } : {}),
    };
  } finally {
    for (const p of started.reverse()) await p.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const LABELS: Record<Target, string> = {
  direct: 'subgraph (direct)',
  gateway: 'through gateway',
  baseline: 'through baseline',
};

function line(target: Target, r: MeasuredRun): string {
  const cpu = Object.entries(r.cpuMsPerRequest)
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
    .join(', ');
  return `  ${LABELS[target].padEnd(18)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   max ${r.latency.max} ms   CPU ms/request: ${cpu}   non-2xx ${r.non2xx}   errors ${r.errors}   wrong bodies ${r.mismatches}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('gateway-overhead')
    .description(
      'One query straight to a subgraph and through the gateway (each its own process; load from this one), in the same run: throughput at saturation and p99 at a fixed rate, median of interleaved rounds.',
    )
    .option('--duration <seconds>', 'seconds of load per measurement', '10')
    .option('--connections <n>', 'concurrent connections', '10')
    .option('--rate <n>', 'requests per second of the fixed-rate measurements', '200')
    .option('--rounds <n>', 'interleaved rounds of every measurement; the median round of each is shown', '3')
    .option(
      '--baseline <checkout>',
      'also measure the gateway of another checkout with its node_modules (e.g. `git archive main | tar -x -C /tmp/base && npm ci` there)',
    )
    .option(
      '--profile <dir>',
      'write a CPU profile of the gateway process (node --cpu-prof) into this folder; read it with cpuprofile-summary.ts',
    )
    .option('--log-level <level>', 'log level of the servers (their logs go to a temporary file)', 'info')
    .parse();
  const o = program.opts<{
    duration: string;
    connections: string;
    rate: string;
    rounds: string;
    baseline?: string;
    profile?: string;
    logLevel: string;
  }>();
  const before = loadavg();
  const result = await runGatewayBench({
    durationSeconds: Number(o.duration),
    connections: Number(o.connections),
    rate: Number(o.rate),
    rounds: Number(o.rounds),
    logLevel: o.logLevel,
    ...(o.baseline ? { baselineCheckout: o.baseline } : {}),
    ...(o.profile ? { profileDir: o.profile } : {}),
  });
  const fmt = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const targets = Object.keys(result.targets) as Target[];
  console.log(
    `load average before ${fmt(before)}, after ${fmt(result.loadAverage)}${o.baseline ? `; baseline: ${resolve(o.baseline)}` : ''}`,
  );
  console.log(`saturation (${o.connections} connections, ${o.duration} s, median round of ${o.rounds})`);
  for (const t of targets) console.log(line(t, result.targets[t]!.saturation));
  console.log(`fixed rate ${o.rate} req/s (${o.duration} s, median round of ${o.rounds} by p99)`);
  for (const t of targets) console.log(line(t, result.targets[t]!.fixedRate));
  for (const t of targets.filter((t) => t !== 'direct')) {
    const f = result.targets[t]!;
    console.log(
      `${LABELS[t]}: throughput / direct ${f.throughputRatio.toFixed(2)} (rounds ${f.rounds.map((r) => r.throughputRatio.toFixed(2)).join(', ')}); p99 overhead at ${o.rate} req/s ${f.p99OverheadMs.toFixed(1)} ms (rounds ${f.rounds.map((r) => r.p99OverheadMs.toFixed(1)).join(', ')})`,
    );
  }
  if (result.profileDir) console.log(`gateway CPU profile in ${result.profileDir}`);
  const wrong = targets.filter((t) =>
    [result.targets[t]!.saturation, result.targets[t]!.fixedRate].some(
      (r) => r.non2xx > 0 || r.errors > 0 || r.mismatches > 0,
    ),
  );
  if (wrong.length > 0) {
    console.error(
      `not a measurement: ${wrong.map((t) => LABELS[t]).join(', ')} answered with errors or wrong bodies (see the servers' logs)`,
    );
    process.exitCode = 1;
  }
}
