/**
 * The gateway-overhead benchmark's subgraph as its own process: `@flightdeck/subgraph`'s service plumbing (token
 * verification, access log, metrics, Apollo subgraph server) answering `releases` from memory.
 * Environment: PORT, AUTH_JWT_SECRET, LOG_LEVEL (default info). Prints nothing but its logs; ready at /readyz.
 */
import { gql } from 'graphql-tag';
import { createTokenVerifier } from '@flightdeck/auth';
import { createSubgraphService } from '@flightdeck/subgraph';
import { createLogger, createMetrics, createShutdown } from '@flightdeck/telemetry';
import { releases, releasesTypeDefs } from './releases-schema.js';

const secret = process.env.AUTH_JWT_SECRET;
if (!secret)
  throw new Error('releases-subgraph: AUTH_JWT_SECRET is required (the secret the benchmark signs its token with)');
const logger = createLogger({ service: 'releases', level: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'info' });
const service = createSubgraphService({
  service: 'releases',
  typeDefs: gql(releasesTypeDefs),
  resolvers: { Query: { releases: () => releases } },
  logger,
  metrics: createMetrics({ service: 'releases' }),
  verifier: createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' }),
  readiness: (graphql) => [graphql],
});
createShutdown({
  logger,
  deadlineMs: 5_000,
  steps: [{ name: 'stop the subgraph', run: () => service.stop() }],
}).install();
await service.listen(Number(process.env.PORT ?? 0));
