import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { DocumentNode, GraphQLFieldResolver, GraphQLScalarType } from 'graphql';
import type { Logger } from 'pino';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Identity, TokenVerifier } from '@flightdeck/auth';
import { currentContext, graphqlMetricsPlugin, requestContextOf, type ServiceMetrics } from '@flightdeck/telemetry';
import { authenticate, identityOf } from './authenticate.js';
import { bodyLimit } from './body-limit.js';
import { mapped } from './domain-errors.js';

/** Resolvers as buildSubgraphSchema takes them (entities add `__resolveReference`), typed with our context. */
export interface SubgraphResolvers<TContext = SubgraphContext> {
  [typeName: string]:
    | {
        /* The parent value differs per type and is the resolver's own business, as in graphql-js. */
        /* eslint-disable @typescript-eslint/no-explicit-any */
        [fieldName: string]:
          GraphQLFieldResolver<any, TContext> | { requires?: string; resolve?: GraphQLFieldResolver<any, TContext> };
        /* eslint-enable @typescript-eslint/no-explicit-any */
      }
    | GraphQLScalarType
    | { [enumValue: string]: string | number };
}

// Apollo types resolvers with an `unknown` context; ours are typed with the context createSubgraph builds.
type ApolloResolvers = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']
>;

/** The GraphQL context every resolver of every subgraph receives. */
export interface SubgraphContext {
  /** Who called, from the forwarded token verified again here; undefined for an anonymous caller. */
  identity?: Identity;
  logger: Logger;
  requestId: string;
}

export interface SubgraphOptions<TExtra extends object = object> {
  service: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers<SubgraphContext & TExtra>;
  logger: Logger;
  metrics: ServiceMetrics;
  verifier: TokenVerifier;
  /** Adds service-specific values (use cases, loaders) to the base context. */
  context?(base: SubgraphContext): TExtra | Promise<TExtra>;
  /** Largest accepted request body, in bytes; default 1 MB. */
  maxBodyBytes?: number;
  /** Schema introspection (the gateway never needs it: the supergraph is composed at build time); default off. */
  introspection?: boolean;
  plugins?: ApolloServerPlugin<SubgraphContext & TExtra>[];
}

export interface Subgraph<TExtra extends object = object> {
  apollo: ApolloServer<SubgraphContext & TExtra>;
  /** The express handler to mount at /graphql; call after `start()`. */
  middleware(): RequestHandler;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every resolver function wrapped so that the domain errors it throws reach the client with their GraphQL code
 * (domain-errors.ts): resolvers never map errors themselves. Scalars and enum values are left as they are.
 */
function withDomainErrors<T extends SubgraphResolvers<never>>(resolvers: T): T {
  const out: Record<string, unknown> = {};
  for (const [typeName, fields] of Object.entries(resolvers)) {
    // Scalars are class instances (GraphQLScalarType, maybe from another copy of graphql): only plain maps hold resolvers.
    const proto = Object.getPrototypeOf(fields) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      out[typeName] = fields;
      continue;
    }
    out[typeName] = Object.fromEntries(
      Object.entries(fields).map(([field, r]) => {
        if (typeof r === 'function') return [field, mapped(r as (...args: unknown[]) => unknown)];
        if (r && typeof r === 'object' && typeof r.resolve === 'function')
          return [field, { ...r, resolve: mapped(r.resolve as (...args: unknown[]) => unknown) }];
        return [field, r];
      }),
    );
  }
  return out as T;
}

export function createSubgraph<TExtra extends object = object>(options: SubgraphOptions<TExtra>): Subgraph<TExtra> {
  const { logger, metrics, verifier } = options;
  const resolvers = withDomainErrors(options.resolvers as SubgraphResolvers<never>);
  const schema = buildSubgraphSchema({
    typeDefs: options.typeDefs,
    resolvers: resolvers as unknown as ApolloResolvers,
  });
  const apollo = new ApolloServer<SubgraphContext & TExtra>({
    schema,
    introspection: options.introspection ?? false,
    plugins: [
      graphqlMetricsPlugin(metrics, logger) as ApolloServerPlugin<SubgraphContext & TExtra>,
      ...(options.plugins ?? []),
    ],
    logger,
    // Stack traces belong in the log; a client (and through the gateway, anyone) only needs the message and code.
    includeStacktraceInErrorResponses: false,
    // The service's own graceful shutdown (libs/telemetry createShutdown) stops Apollo in its turn; Apollo's
    // built-in handler would stop it first and re-raise the signal, killing the process mid-shutdown.
    stopOnTerminationSignals: false,
  });
  let started = false;

  return {
    apollo,
    middleware() {
      if (!started) throw new Error(`subgraph ${options.service}: call start() before middleware()`);
      const router = express.Router();
      router.use(bodyLimit(options.maxBodyBytes ?? 1024 * 1024));
      router.use(authenticate(verifier));
      router.use(
        expressMiddleware(apollo, {
          context: async ({ req, res }) => {
            const base: SubgraphContext = {
              identity: identityOf(res),
              logger,
              requestId:
                requestContextOf(res)?.requestId ??
                currentContext()?.requestId ??
                req.header('x-request-id') ??
                randomUUID(),
            };
            const extra = options.context ? await options.context(base) : ({} as TExtra);
            return { ...base, ...extra };
          },
        }),
      );
      return router;
    },
    async start() {
      await apollo.start();
      started = true;
    },
    async stop() {
      if (!started) return;
      started = false;
      await apollo.stop();
    },
  };
}
