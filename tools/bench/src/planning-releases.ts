/**
 * `releases(first: 100)` of the planning service under autocannon load, straight to the planning
 * subgraph (baseline) and through the gateway, in the same run: the planning service on the embedded
 * MongoDB-wire server with seeded releases, the gateway composed from apps/planning/schema.graphql.
 */
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { DeterministicAdvisor } from '@flightdeck/ai';
import { createTokenVerifier, mintToken } from '@flightdeck/auth';
import { InProcessBus } from '@flightdeck/events';
import { composeSupergraph, createGatewayService } from '@flightdeck/gateway';
import { startMongoServer } from '@flightdeck/mongo-server';
import { connectMongo } from '@flightdeck/persistence';
import { createPlanningService, schemaPath } from '@flightdeck/planning';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { saturate, type LoadResult } from './load.js';

const secret = 'bench-secret-of-at-least-32-characters!';
export const RELEASES_QUERY =
  'query Releases { releases(first: 100) { totalCount edges { node { id product version type status targetDate owner } } } }';

export interface ReleasesBenchResult {
  releases: number;
  direct: LoadResult;
  gateway: LoadResult;
  /** Gateway throughput divided by direct throughput. */
  ratio: number;
}

function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.requests.average - b.requests.average)[Math.floor(runs.length / 2)]!;
}

export async function runPlanningReleasesBench(opts: {
  releases: number;
  durationSeconds: number;
  connections: number;
  rounds: number;
}): Promise<ReleasesBenchResult> {
  const logger = createLogger({ service: 'bench', level: 'silent' });
  const verifier = createTokenVerifier({ secret });
  const mongoServer = await startMongoServer({ port: 0 });
  const mongo = await connectMongo({ uri: `${mongoServer.uri}/planning-bench` });
  const bus = new InProcessBus();
  const planning = createPlanningService({
    mongo,
    bus,
    advisor: new DeterministicAdvisor('benchmark'),
    logger,
    metrics: createMetrics({ service: 'planning' }),
    verifier,
  });
  const { graphqlUrl: planningUrl } = await planning.listen(0);
  const composed = composeSupergraph([{ name: 'planning', schema: schemaPath(), url: planningUrl }], '/');
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  const gateway = createGatewayService({
    supergraphSdl: composed.supergraphSdl,
    verifier,
    logger,
    metrics: createMetrics({ service: 'gateway' }),
  });
  const { graphqlUrl } = await gateway.listen(0);
  try {
    const meta = { by: 'bench' };
    for (let i = 0; i < opts.releases; i++) {
      const { release } = await planning.planning.create(meta, {
        product: `service-${i % 10}`,
        version: `${Math.floor(i / 10) + 1}.0.0`,
        theme: `Release ${i}`,
        owner: 'bench',
        targetDate: new Date(Date.now() + (30 + i) * 86_400_000),
      });
      for (let f = 0; f < 5; f++) {
        await planning.planning.addFeature(meta, release.id, {
          title: `Feature ${f}`,
          priority: f === 0 ? 'MUST' : 'SHOULD',
          businessValue: 5,
          timeCriticality: 3,
          riskReduction: 2,
          effort: 3,
        });
      }
    }
    const token = await mintToken({ secret, subject: 'bench', roles: ['VIEWER'] });
    const load = (url: string) =>
      saturate({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: RELEASES_QUERY }),
        durationSeconds: opts.durationSeconds,
        connections: opts.connections,
        // Every answer holds every seeded release (up to the page of 100) and no error.
        verifyBody: (body: string) => {
          const r = JSON.parse(body) as {
            data?: { releases?: { totalCount: number; edges: unknown[] } };
            errors?: unknown;
          };
          return (
            !r.errors &&
            r.data?.releases?.totalCount === opts.releases &&
            r.data.releases.edges.length === Math.min(100, opts.releases)
          );
        },
      });
    await load(graphqlUrl); // warm-up: JIT, query plan cache, keep-alive connections
    const direct: LoadResult[] = [];
    const viaGateway: LoadResult[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      direct.push(await load(planningUrl));
      viaGateway.push(await load(graphqlUrl));
    }
    const [d, g] = [median(direct), median(viaGateway)];
    return { releases: opts.releases, direct: d, gateway: g, ratio: g.requests.average / d.requests.average };
  } finally {
    await gateway.close();
    await planning.stop();
    await bus.close();
    await mongo.close();
    await mongoServer.stop();
  }
}

function line(name: string, r: LoadResult): string {
  return `${name.padEnd(18)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   non-2xx ${r.non2xx}   errors ${r.errors}   wrong bodies ${r.mismatches}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const o = new Command('planning-releases')
    .description(
      'releases(first: 100) of the planning service under load, straight to the subgraph and through the gateway, in the same run (median of interleaved rounds).',
    )
    .option('--releases <n>', 'releases seeded (5 features each)', '150')
    .option('--duration <seconds>', 'seconds of load per measurement', '10')
    .option('--connections <n>', 'concurrent connections', '10')
    .option('--rounds <n>', 'interleaved rounds of both measurements', '3')
    .parse()
    .opts<{ releases: string; duration: string; connections: string; rounds: string }>();
  const r = await runPlanningReleasesBench({
    releases: Number(o.releases),
    durationSeconds: Number(o.duration),
    connections: Number(o.connections),
    rounds: Number(o.rounds),
  });
  console.log(`releases(first: 100) over ${r.releases} seeded releases`);
  console.log(line('subgraph (direct)', r.direct));
  console.log(line('through gateway', r.gateway));
  console.log(`gateway / direct throughput: ${r.ratio.toFixed(2)}`);
}
