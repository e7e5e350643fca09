import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries.js';
import { freePort } from './free-port.js';
import { startProcess } from './process.js';

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusHandle {
  url: string;
  /** Runs an instant PromQL query through the HTTP API and returns the result vector (or scalar as one sample). */
  query(promql: string): Promise<PromSample[]>;
  stop(): Promise<void>;
}

async function waitForTargetsUp(
  url: string,
  count: number,
  stop: () => Promise<void>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const body = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as {
        data?: { activeTargets?: { health: string; scrapeUrl: string; lastError: string }[] };
      };
      const targets = body.data?.activeTargets ?? [];
      if (targets.length >= count && targets.every((t) => t.health === 'up')) return;
      last = targets.length
        ? targets.map((t) => `${t.scrapeUrl}: ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join(', ')
        : 'no active targets yet';
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`prometheus at ${url} did not scrape every target within ${timeoutMs / 1000} s: ${last}`);
}

function duration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/**
 * Starts a real `prometheus` on a free port with a temporary storage directory, scraping each target URL
 * (e.g. `http://127.0.0.1:4000/metrics`) every `scrapeIntervalSeconds`, on `port` (a free one when not given). Resolves once every target has been
 * scraped, unless `waitForFirstScrape` is false. `ruleFiles` (absolute paths) are loaded and evaluated at the scrape interval.
 */
export async function startPrometheus(opts: {
  scrapeTargets: string[];
  scrapeIntervalSeconds?: number;
  waitForFirstScrape?: boolean;
  ruleFiles?: string[];
  port?: number;
}): Promise<PrometheusHandle> {
  const binary = requireBinary('prometheus');
  const interval = duration(opts.scrapeIntervalSeconds ?? 1);
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-prometheus-'));
  const scrapeConfigs = opts.scrapeTargets.map((target, i) => {
    const u = new URL(target);
    return {
      job_name: `target-${i}`,
      scrape_interval: interval,
      scrape_timeout: interval,
      metrics_path: u.pathname || '/metrics',
      scheme: u.protocol.replace(':', ''),
      static_configs: [{ targets: [u.host] }],
    };
  });
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    JSON.stringify({
      global: { scrape_interval: interval, evaluation_interval: interval },
      scrape_configs: scrapeConfigs,
      ...(opts.ruleFiles ? { rule_files: opts.ruleFiles } : {}),
    }),
  );
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    {
      name: 'prometheus',
      timeoutMs: 30_000,
      isReady: async () => {
        try {
          return (await fetch(`${url}/-/ready`)).ok;
        } catch {
          return false;
        }
      },
    },
  ).catch(async (e: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
  // Prometheus hands static targets to its scrapers only on its discovery tick (every 5 s): until then every
  // query is empty, which a test that starts analysing right away would read as "no traffic".
  if (opts.waitForFirstScrape ?? true) await waitForTargetsUp(url, opts.scrapeTargets.length, proc.stop);
  return {
    url,
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data?: { resultType: string; result: unknown };
      };
      if (body.status !== 'success')
        throw new Error(`prometheus rejected the query ${promql}: ${body.error ?? res.statusText}`);
      const { resultType, result } = body.data!;
      if (resultType === 'vector') return result as PromSample[];
      if (resultType === 'scalar') return [{ metric: {}, value: result as [number, string] }];
      throw new Error(
        `the query ${promql} returned a ${resultType}; query() takes instant vector or scalar expressions`,
      );
    },
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
