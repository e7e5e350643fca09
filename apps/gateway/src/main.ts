import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { createTokenVerifier } from '@flightdeck/auth';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import { createLogger, createMetrics, createShutdown } from '@flightdeck/telemetry';
import { gatewayConfigSchema, subgraphUrlOverrides } from './config.js';
import { defaultConsoleDir, defaultSupergraphPath } from './paths.js';
import { createGatewayService } from './service.js';
import { supergraphSubgraphs } from './supergraph.js';

const supergraphPath = resolve(process.env.SUPERGRAPH_PATH?.trim() || defaultSupergraphPath);
const supergraphSdl = existsSync(supergraphPath) ? readFileSync(supergraphPath, 'utf8') : undefined;
const subgraphNames = supergraphSdl ? supergraphSubgraphs(supergraphSdl).map((s) => s.name) : [];
const schema = gatewayConfigSchema(subgraphNames);

new Command('gateway')
  .description(
    'Flightdeck GraphQL gateway: serves the supergraph composed by `npm run compose` at /graphql, plus /healthz, /readyz and /metrics.',
  )
  .addHelpText(
    'after',
    `\n${formatEnvHelp(schema)}\n\nEach subgraph's URL can be replaced with SUBGRAPH_<NAME>_URL (name upper-cased, dashes as underscores), e.g. SUBGRAPH_PLANNING_URL.`,
  )
  .parse();

if (!supergraphSdl) {
  process.stderr.write(
    `gateway: no supergraph at ${supergraphPath}. List the subgraphs in apps/gateway/subgraphs.json and run \`npm run compose\` (or point SUPERGRAPH_PATH at a supergraph file).\n`,
  );
  process.exit(1);
}

const config = loadConfigOrExit(schema, { service: 'gateway' });
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
const metrics = createMetrics({ service: 'gateway' });
const verifier = createTokenVerifier({
  secret: config.AUTH_JWT_SECRET,
  jwksUrl: config.AUTH_JWKS_URL,
  issuer: config.AUTH_ISSUER,
  audience: config.AUTH_AUDIENCE,
});

const consoleDir = defaultConsoleDir();
const gateway = createGatewayService({
  supergraphSdl,
  verifier,
  logger,
  metrics,
  limits: {
    maxDepth: config.GATEWAY_MAX_DEPTH,
    maxCost: config.GATEWAY_MAX_COST,
    maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
  },
  corsOrigins:
    config.GATEWAY_CORS_ORIGINS?.split(',')
      .map((o) => o.trim())
      .filter(Boolean) ?? [],
  subgraphUrls: subgraphUrlOverrides(subgraphNames, config),
  introspection: config.GATEWAY_INTROSPECTION,
  consoleDir,
  rateLimit: {
    requests: config.GATEWAY_RATE_LIMIT_REQUESTS,
    anonymousRequests: config.GATEWAY_RATE_LIMIT_ANONYMOUS_REQUESTS,
    windowSeconds: config.GATEWAY_RATE_LIMIT_WINDOW_SECONDS,
  },
});

createShutdown({
  logger,
  deadlineMs: config.SHUTDOWN_DEADLINE_MS,
  steps: [{ name: 'stop intake and finish in-flight requests', run: () => gateway.close() }],
}).install();

const { graphqlUrl } = await gateway.listen(config.PORT, config.HOST);
logger.info({ graphqlUrl }, `gateway serving GraphQL at ${graphqlUrl}`);
if (consoleDir) logger.info({ consoleDir }, `web console at ${graphqlUrl.replace(/graphql$/, '')}`);
else logger.info('no built console (npx nx run @flightdeck/console:build builds apps/console/dist): / serves nothing');
