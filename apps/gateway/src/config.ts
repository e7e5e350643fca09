import { z } from 'zod';
import {
  authEnv,
  envBoolean,
  envInt,
  envString,
  envUrl,
  envUrlList,
  httpEnv,
  loggingEnv,
  shutdownEnv,
} from '@flightdeck/config';
import { subgraphUrlVariable } from './subgraph-list.js';

export const gatewayEnvShape = {
  ...httpEnv,
  PORT: httpEnv.PORT.default(4000),
  ...loggingEnv,
  ...authEnv,
  ...shutdownEnv,
  SUPERGRAPH_PATH: envString(
    'Path of the supergraph SDL file; unset means apps/gateway/supergraph.graphql, written by `npm run compose`',
  ).optional(),
  GATEWAY_INTROSPECTION: envBoolean(
    'Answer schema introspection queries (keep off in production: clients use the committed supergraph)',
  ).default(false),
  GATEWAY_MAX_DEPTH: envInt('Deepest accepted operation, in nested fields ({ releases { id } } is 2)', {
    min: 1,
    max: 100,
  }).default(10),
  GATEWAY_MAX_COST: envInt('Highest accepted operation cost (every selected field costs 1)', {
    min: 1,
    max: 1_000_000,
  }).default(1000),
  GATEWAY_MAX_BODY_BYTES: envInt('Largest accepted request body in bytes; larger ones get HTTP 413', {
    min: 1024,
    max: 100 * 1024 * 1024,
  }).default(1024 * 1024),
  GATEWAY_RATE_LIMIT_REQUESTS: envInt(
    "Requests one identity (a token's subject) may make per window, from any address; over it: HTTP 429 with Retry-After; 0 turns the limit off",
    {
      min: 0,
      max: 10_000_000,
    },
  ).default(600),
  GATEWAY_RATE_LIMIT_ANONYMOUS_REQUESTS: envInt(
    'Requests per window from one network address without a token; 0 turns that limit off',
    { min: 0, max: 10_000_000 },
  ).default(120),
  GATEWAY_RATE_LIMIT_WINDOW_SECONDS: envInt('Length of the rate-limit window in seconds', {
    min: 1,
    max: 86_400,
  }).default(60),
  GATEWAY_CORS_ORIGINS: envUrlList(
    'Comma-separated browser origins allowed to call the gateway (CORS), e.g. https://console.example.com; unset allows none',
    ['http:', 'https:'],
  ).optional(),
};

/** The gateway's configuration schema, with one optional SUBGRAPH_<NAME>_URL override per subgraph of the supergraph. */
export function gatewayConfigSchema(subgraphNames: string[]) {
  const overrides: Record<string, z.ZodOptional<ReturnType<typeof envUrl>>> = {};
  for (const name of subgraphNames) {
    overrides[subgraphUrlVariable(name)] = envUrl(
      `URL of the ${name} subgraph's GraphQL endpoint, replacing the one composed into the supergraph`,
      ['http:', 'https:'],
    ).optional();
  }
  return z.object({ ...gatewayEnvShape, ...overrides });
}

/** The subgraph URL overrides present in a loaded configuration, by subgraph name. */
export function subgraphUrlOverrides(subgraphNames: string[], config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of subgraphNames) {
    const url = config[subgraphUrlVariable(name)];
    if (typeof url === 'string') out[name] = url;
  }
  return out;
}
