import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { Identity, TokenVerifier } from '@flightdeck/auth';
import { authenticate, bodyLimit, identityOf, sendGraphQLError } from '@flightdeck/subgraph';
import {
  createHttpServer,
  graphqlMetricsPlugin,
  markMount,
  requestContextOf,
  type ServiceMetrics,
} from '@flightdeck/telemetry';
import { ForwardingDataSource, type ForwardedHeaders } from './forwarding-data-source.js';
import { mountApiPointer, mountExplorer } from './explorer/serve.js';
import { costLimitPlugin, depthLimitRule, jsonDepthLimit } from './limits/index.js';
import { mutationsNeedIdentity } from './mutation-guard.js';
import { rateLimit, type RateLimitSettings } from './rate-limit.js';
import { supergraphSubgraphs } from './supergraph.js';

export interface GatewayLimits {
  /** Deepest accepted operation in nested fields; default 10. */
  maxDepth: number;
  /** Highest accepted operation cost (each selected field costs 1); default 1000. */
  maxCost: number;
  /** Largest accepted request body in bytes; default 1 MB. */
  maxBodyBytes: number;
}

export const defaultLimits: GatewayLimits = { maxDepth: 10, maxCost: 1000, maxBodyBytes: 1024 * 1024 };

export interface GatewayDeps {
  supergraphSdl: string;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: ServiceMetrics;
  limits?: Partial<GatewayLimits>;
  /** Browser origins allowed by CORS; empty allows none. */
  corsOrigins?: string[];
  /** Subgraph URLs replacing the composed ones, by subgraph name (from SUBGRAPH_<NAME>_URL). */
  subgraphUrls?: Record<string, string>;
  /** Answer introspection queries; default false. */
  introspection?: boolean;
  /** The folder of a built explorer page (see explorer/build.ts) to serve at GET /graphql for browsers, with / leading there. */
  explorerDir?: string;
  /** The built web console (apps/console/dist), served at /; absent: no console. */
  consoleDir?: string;
  /** Requests per window per identity (and per address without a token); absent: no limit (npm start). */
  rateLimit?: RateLimitSettings;
}

export interface GatewayContext {
  identity?: Identity;
  logger: Logger;
  requestId?: string;
  forwarded: ForwardedHeaders;
}

export interface GatewayService {
  /** The express app: /graphql, /healthz, /readyz, /metrics; mount more routes before `listen`. */
  app: Express;
  /** Loads the supergraph; `listen` calls it when it was not called before. */
  start(): Promise<void>;
  listen(port: number, host?: string): Promise<{ url: string; port: number; graphqlUrl: string }>;
  close(): Promise<void>;
}

export function createGatewayService(deps: GatewayDeps): GatewayService {
  const { logger, metrics } = deps;
  const limits = { ...defaultLimits, ...deps.limits };
  const overrides = deps.subgraphUrls ?? {};
  const known = new Set(supergraphSubgraphs(deps.supergraphSdl).map((s) => s.name));
  for (const name of Object.keys(overrides)) {
    if (!known.has(name))
      logger.warn(
        { subgraph: name, known: [...known] },
        'URL override for a subgraph the supergraph does not contain; ignored',
      );
  }

  // The Apollo Gateway otherwise probes cloud metadata endpoints at start and sends usage data to Apollo hourly and
  // when it stops (a network call in the middle of a graceful shutdown); Flightdeck has its own /metrics.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const dataSources: ForwardingDataSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: deps.supergraphSdl,
    buildService: ({ name, url }) => {
      const source = new ForwardingDataSource({ url: overrides[name] ?? url, subgraphName: name, logger });
      dataSources.push(source);
      return source;
    },
    logger,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: deps.introspection ?? false,
    // Apollo's own guard against fragment explosions runs first; the limits below run once it passed.
    maxRecursiveSelections: true,
    validationRules: [depthLimitRule(limits.maxDepth)],
    plugins: [
      // Apollo's own landing page loads Sandbox from a CDN; the explorer (when given) is served from explorerDir instead.
      ApolloServerPluginLandingPageDisabled(),
      graphqlMetricsPlugin(metrics, logger) as ApolloServerPlugin<GatewayContext>,
      mutationsNeedIdentity<GatewayContext>(),
      costLimitPlugin<GatewayContext>(limits.maxCost),
    ],
    includeStacktraceInErrorResponses: false,
    // main.ts's graceful shutdown stops Apollo in its turn; Apollo's own handler would re-raise the signal mid-shutdown.
    stopOnTerminationSignals: false,
    formatError: (formatted) =>
      formatted.message.startsWith('GraphQL introspection is not allowed')
        ? {
            ...formatted,
            message:
              'Introspection is off on this gateway (GATEWAY_INTROSPECTION=true turns it on); the schema is the composed supergraph, apps/gateway/supergraph.graphql.',
          }
        : formatted,
    logger,
  });

  let graphql: RequestHandler | undefined;
  let starting: Promise<void> | undefined;
  const http = createHttpServer({
    service: 'gateway',
    logger,
    metrics,
    readiness: [{ name: 'supergraph', check: () => graphql !== undefined }],
  });
  // No ETag on answers: every GraphQL answer is a POST nobody revalidates, and hashing each one cost about 1% of the
  // gateway's CPU. Static files (console, explorer) keep theirs (express.static sets its own).
  http.app.set('etag', false);
  const origins = deps.corsOrigins ?? [];

  // The web console, when built, is what / shows: static files calling /graphql like any other client (its routes live
  // after '#', so no fallback is needed). The explorer stays at GET /graphql for browsers.
  if (deps.consoleDir) http.app.use(express.static(deps.consoleDir, { index: 'index.html' }));
  if (deps.explorerDir) mountExplorer(http.app, deps.explorerDir);
  else mountApiPointer(http.app);
  http.app.use(
    '/graphql',
    markMount('/graphql'),
    cors({ origin: origins.includes('*') ? true : origins.length ? origins : false, credentials: true }),
    bodyLimit(limits.maxBodyBytes),
    jsonDepthLimit(),
    authenticate(deps.verifier),
    ...(deps.rateLimit ? [rateLimit(deps.rateLimit, logger)] : []),
    (req, res, next) => {
      if (graphql) return graphql(req, res, next);
      sendGraphQLError(
        res,
        503,
        'The gateway is still loading its supergraph; retry in a moment.',
        'SERVICE_UNAVAILABLE',
      );
    },
  );

  async function start(): Promise<void> {
    starting ??= (async () => {
      await apollo.start();
      graphql = expressMiddleware(apollo, {
        context: async ({ req, res }) => {
          const identity = identityOf(res);
          const ids = requestContextOf(res);
          const requestId = ids?.requestId ?? req.header('x-request-id');
          const correlationId = ids?.correlationId ?? req.header('x-correlation-id');
          return {
            identity,
            logger,
            requestId,
            forwarded: { authorization: identity ? req.headers.authorization : undefined, requestId, correlationId },
          };
        },
      });
      logger.info(
        {
          subgraphs: [...known],
          limits,
          rateLimit: deps.rateLimit ?? 'off',
          introspection: deps.introspection ?? false,
          explorer: deps.explorerDir !== undefined,
        },
        'gateway loaded the supergraph',
      );
    })();
    return starting;
  }

  return {
    app: http.app,
    start,
    async listen(port, host = '127.0.0.1') {
      await start();
      const address = await http.listen(port, host);
      return { ...address, graphqlUrl: `${address.url.replace(/\/$/, '')}/graphql` };
    },
    async close() {
      graphql = undefined;
      await http.close();
      if (starting) await apollo.stop();
      await Promise.all(dataSources.map((source) => source.close()));
    },
  };
}
