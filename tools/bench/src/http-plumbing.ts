/**
 * HTTP plumbing overhead: one small JSON route on a bare express 5 app (baseline) and on createHttpServer
 * (request/correlation ids, an access-log line per request, HTTP metrics), each under the same autocannon load.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import express from 'express';
import { pino } from 'pino';
import { createHttpServer, createLogger, createMetrics } from '@flightdeck/telemetry';
import { saturate, type LoadResult } from './load.js';

const release = { id: 'r1', version: '1.4.0', status: 'PLANNED' };
/** Both apps must answer every request with the release. */
const isExpected = (body: string) => JSON.stringify(JSON.parse(body)) === JSON.stringify(release);

export interface HttpPlumbingResult {
  bare: LoadResult;
  telemetry: LoadResult;
  /** Throughput with the telemetry plumbing divided by bare express throughput. */
  ratio: number;
}

export async function runHttpPlumbingBench(opts: {
  durationSeconds: number;
  connections: number;
}): Promise<HttpPlumbingResult> {
  const bareApp = express();
  bareApp.get('/releases/:id', (req, res) => void res.json({ ...release, id: req.params.id }));
  const bare = createServer(bareApp);
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/releases/r1`;

  // Access-log lines are really serialized and written, to /dev/null, as they would be to stdout.
  const logger = createLogger({
    service: 'bench',
    level: 'info',
    destination: pino.destination({ dest: '/dev/null', sync: true }),
  });
  const http = createHttpServer({
    service: 'bench',
    logger,
    metrics: createMetrics({ service: 'bench' }),
    readiness: [],
  });
  http.app.get('/releases/:id', (req, res) => void res.json({ ...release, id: req.params.id }));
  const telemetryUrl = `${(await http.listen(0)).url}/releases/r1`;

  const load = (url: string) =>
    saturate({ url, durationSeconds: opts.durationSeconds, connections: opts.connections, verifyBody: isExpected });
  try {
    await load(bareUrl); // warm-up: JIT and keep-alive connections
    await load(telemetryUrl);
    const bareResult = await load(bareUrl);
    const telemetryResult = await load(telemetryUrl);
    return {
      bare: bareResult,
      telemetry: telemetryResult,
      ratio: telemetryResult.requests.average / bareResult.requests.average,
    };
  } finally {
    await http.close();
    await new Promise((resolve) => bare.close(resolve));
  }
}

function line(name: string, r: LoadResult): string {
  return `${name.padEnd(22)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   non-2xx ${r.non2xx}   errors ${r.errors}   wrong bodies ${r.mismatches}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('http-plumbing')
    .description(
      'Throughput and latency of one JSON route on bare express and on createHttpServer (ids, access log, metrics), in the same run.',
    )
    .option('--duration <seconds>', 'seconds of load per measurement', '10')
    .option('--connections <n>', 'concurrent connections', '10')
    .parse();
  const o = program.opts<{ duration: string; connections: string }>();
  const result = await runHttpPlumbingBench({
    durationSeconds: Number(o.duration),
    connections: Number(o.connections),
  });
  console.log(line('bare express', result.bare));
  console.log(line('with telemetry', result.telemetry));
  console.log(`telemetry / bare throughput: ${result.ratio.toFixed(2)}`);
}
