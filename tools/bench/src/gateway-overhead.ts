/**
 * Gateway overhead: the same GraphQL query sent straight to a subgraph (baseline) and through the gateway
 * (edge auth, depth and cost validation, query planning, forwarding), each under the same autocannon load.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { gql } from 'graphql-tag';
import { composeServices } from '@apollo/composition';
import { createTokenVerifier, mintToken } from '@flightdeck/auth';
import { createGatewayService } from '@flightdeck/gateway';
import { createSubgraph } from '@flightdeck/subgraph';
import { createHttpServer, createLogger, createMetrics } from '@flightdeck/telemetry';

interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  /** Answers whose body was not the expected one (autocannon's verifyBody). */
  mismatches: number;
}
type Autocannon = (opts: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  duration: number;
  connections: number;
  verifyBody: (body: string) => boolean;
}) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Release @key(fields: "id") {
    id: ID!
    version: String!
  }
  type Query {
    releases: [Release!]!
  }
`;
const releases = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, version: `1.${i}.0` }));
const secret = 'bench-secret-of-at-least-32-characters!';
/** Both sides must answer every request with all the releases, no errors. */
const expectedBody = JSON.stringify({ data: { releases } });
const isExpected = (body: string) => JSON.stringify(JSON.parse(body)) === expectedBody;

export interface GatewayBenchResult {
  direct: LoadResult;
  gateway: LoadResult;
  /** Gateway throughput divided by direct throughput. */
  ratio: number;
}

/** The run with the median throughput: one noisy run on a shared machine does not decide the figure. */
function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.requests.average - b.requests.average)[Math.floor(runs.length / 2)]!;
}

export async function runGatewayBench(opts: { durationSeconds: number; connections: number; rounds?: number }): Promise<GatewayBenchResult> {
  const logger = createLogger({ service: 'bench', level: 'silent' });
  const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });
  const subgraph = createSubgraph({
    service: 'releases',
    typeDefs,
    resolvers: { Query: { releases: () => releases } },
    logger,
    metrics: createMetrics({ service: 'releases' }),
    verifier,
  });
  await subgraph.start();
  const subgraphHttp = createHttpServer({ service: 'releases', logger, metrics: createMetrics({ service: 'releases' }), readiness: [] });
  subgraphHttp.app.use('/graphql', subgraph.middleware());
  const subgraphUrl = `${(await subgraphHttp.listen(0)).url}/graphql`;

  const composed = composeServices([{ name: 'releases', typeDefs, url: subgraphUrl }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const gateway = createGatewayService({ supergraphSdl: composed.supergraphSdl, verifier, logger, metrics: createMetrics({ service: 'gateway' }) });
  const { graphqlUrl } = await gateway.listen(0);

  const token = await mintToken({ secret, subject: 'bench', roles: ['VIEWER'] });
  const load = (url: string) =>
    autocannon({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query Releases { releases { id version } }' }),
      duration: opts.durationSeconds,
      connections: opts.connections,
      verifyBody: isExpected,
    });
  try {
    await load(graphqlUrl); // warm-up: JIT, query plan cache, keep-alive connections
    // Interleaved rounds, so a burst of load from elsewhere on the machine hits both sides alike.
    const direct: LoadResult[] = [];
    const viaGateway: LoadResult[] = [];
    for (let round = 0; round < (opts.rounds ?? 3); round++) {
      direct.push(await load(subgraphUrl));
      viaGateway.push(await load(graphqlUrl));
    }
    const [d, g] = [median(direct), median(viaGateway)];
    return { direct: d, gateway: g, ratio: g.requests.average / d.requests.average };
  } finally {
    await gateway.close();
    await subgraphHttp.close();
    await subgraph.stop();
  }
}

function line(name: string, r: LoadResult): string {
  return `${name.padEnd(18)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   non-2xx ${r.non2xx}   errors ${r.errors}   wrong bodies ${r.mismatches}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('gateway-overhead')
    .description('Throughput and latency of one query straight to a subgraph and through the gateway, in the same run (median of interleaved rounds).')
    .option('--duration <seconds>', 'seconds of load per measurement', '10')
    .option('--connections <n>', 'concurrent connections', '10')
    .option('--rounds <n>', 'interleaved rounds of both measurements; the median round of each is shown', '3')
    .parse();
  const o = program.opts<{ duration: string; connections: string; rounds: string }>();
  const result = await runGatewayBench({ durationSeconds: Number(o.duration), connections: Number(o.connections), rounds: Number(o.rounds) });
  console.log(line('subgraph (direct)', result.direct));
  console.log(line('through gateway', result.gateway));
  console.log(`gateway / direct throughput: ${result.ratio.toFixed(2)}`);
}
