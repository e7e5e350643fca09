/**
 * The benchmarks' load generators. At saturation, autocannon: a closed loop, each connection sending its next request
 * when the last was answered. At a fixed rate, open loop: vegeta (built from tools/bench/vegeta/go.mod by .ci/build-vegeta.sh) sends one
 * request every 1/rate seconds whether or not earlier ones were answered, so the latencies are those of a service
 * at that rate. autocannon's rate limit instead lets each connection send its share back to back at the start of
 * every second: a burst at saturation, whose latencies are queueing, not the service's.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const vegetaPath = resolve(dirname(fileURLToPath(import.meta.url)), '../vegeta/bin/vegeta');

export interface LoadRequest {
  url: string;
  /** Default GET without a body. */
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Every answer's body is checked; those it refuses are counted as mismatches. */
  verifyBody: (body: string) => boolean;
}

export interface LoadResult {
  requests: { average: number; total: number };
  /** Milliseconds. */
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  /** Requests that got no HTTP answer (refused, reset, timed out). */
  errors: number;
  mismatches: number;
}

const autocannon = createRequire(import.meta.url)('autocannon') as (
  opts: LoadRequest & { duration: number; connections: number },
) => Promise<LoadResult>;

/** As many requests as `connections` connections get answered in `durationSeconds`. */
export function saturate(opts: LoadRequest & { durationSeconds: number; connections: number }): Promise<LoadResult> {
  const { durationSeconds, ...rest } = opts;
  return autocannon({ ...rest, duration: durationSeconds });
}

/** vegeta's JSON report (latencies in nanoseconds). */
interface VegetaReport {
  latencies: { '50th': number; '99th': number; max: number };
  requests: number;
  throughput: number;
}

/** One line of `vegeta encode --to json`. */
interface VegetaResult {
  code: number;
  error: string;
  body: string;
}

/** `rate` requests per second, evenly spaced, for `durationSeconds`. */
export async function constantRate(opts: LoadRequest & { rate: number; durationSeconds: number }): Promise<LoadResult> {
  if (!existsSync(vegetaPath))
    throw new Error(
      `${vegetaPath} is missing: build it with \`bash .ci/build-vegeta.sh\` (Go, from tools/bench/vegeta/go.mod)`,
    );
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-constant-rate-'));
  try {
    const bodyFile = join(dir, 'body.json');
    const resultsFile = join(dir, 'results.bin');
    await writeFile(bodyFile, opts.body ?? '');
    await writeFile(join(dir, 'target'), `${opts.method ?? 'GET'} ${opts.url}\n`);
    const headers = Object.entries(opts.headers ?? {}).flatMap(([name, value]) => ['-header', `${name}: ${value}`]);
    await run(vegetaPath, [
      'attack',
      `-targets=${join(dir, 'target')}`,
      `-body=${bodyFile}`,
      ...headers,
      `-rate=${opts.rate}/s`,
      `-duration=${opts.durationSeconds}s`,
      `-output=${resultsFile}`,
    ]);
    const report = JSON.parse((await run(vegetaPath, ['report', '-type=json', resultsFile])).stdout) as VegetaReport;
    const results = (await run(vegetaPath, ['encode', '-to=json', resultsFile], { maxBuffer: 1 << 30 })).stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as VegetaResult);
    const answered = results.filter((r) => r.code !== 0);
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    return {
      requests: { average: report.throughput, total: report.requests },
      latency: { p50: ms(report.latencies['50th']), p99: ms(report.latencies['99th']), max: ms(report.latencies.max) },
      non2xx: answered.filter((r) => r.code < 200 || r.code >= 300).length,
      errors: results.length - answered.length,
      mismatches: answered.filter((r) => !opts.verifyBody(Buffer.from(r.body, 'base64').toString('utf8'))).length,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
