import type { Express, RequestHandler } from 'express';
import { createHttpServer, markMount, type ReadinessCheck } from '@flightdeck/telemetry';
import { createSubgraph, type SubgraphOptions } from './create-subgraph.js';
import { sendGraphQLError } from './graphql-error-response.js';

export interface SubgraphServiceOptions<TExtra extends object = object> extends SubgraphOptions<TExtra> {
  /** What /readyz checks, in its order; `graphql` passes once the subgraph has started and /graphql answers. */
  readiness(graphql: ReadinessCheck): ReadinessCheck[];
  /** Mounts the service's other routes (webhooks) on the app, before /graphql. */
  mount?(app: Express): void;
  /** The service's own start (indexes, relays, consumers), once /graphql answers. */
  onStart?(): Promise<void>;
  /** The service's own stop, after intake has stopped and before the subgraph stops. */
  onStop?(): Promise<void>;
}

export interface SubgraphService {
  /** The express app: /graphql, /healthz, /readyz, /metrics and what `mount` added. */
  app: Express;
  /** Starts the subgraph, then `onStart`; every later call waits for that same start. */
  start(): Promise<void>;
  listen(port: number, host?: string): Promise<{ url: string; port: number; graphqlUrl: string }>;
  /** Stops intake (/readyz and /graphql answer 503), then `onStop`, then the subgraph. */
  stop(): Promise<void>;
}

/** The HTTP side every subgraph service shares: /graphql (503 until started), /healthz, /readyz, /metrics. */
export function createSubgraphService<TExtra extends object = object>(
  options: SubgraphServiceOptions<TExtra>,
): SubgraphService {
  const { service } = options;
  const subgraph = createSubgraph(options);
  let graphql: RequestHandler | undefined;
  let starting: Promise<void> | undefined;
  const http = createHttpServer({
    service,
    logger: options.logger,
    metrics: options.metrics,
    readiness: options.readiness({ name: 'graphql', check: () => graphql !== undefined }),
  });
  options.mount?.(http.app);
  http.app.use('/graphql', markMount('/graphql'), (req, res, next) => {
    if (graphql) return graphql(req, res, next);
    sendGraphQLError(res, 503, `${service} is starting; retry in a moment`, 'SERVICE_UNAVAILABLE');
  });

  function start(): Promise<void> {
    starting ??= (async () => {
      await subgraph.start();
      graphql = subgraph.middleware();
      await options.onStart?.();
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
    async stop() {
      graphql = undefined;
      await http.close();
      await options.onStop?.();
      await subgraph.stop();
    },
  };
}
