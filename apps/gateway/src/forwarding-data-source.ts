import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';

/** The part of the gateway's GraphQL context a subgraph request carries on. */
export interface ForwardedHeaders {
  authorization?: string;
  requestId?: string;
  correlationId?: string;
}

type Context = { forwarded?: ForwardedHeaders };

/**
 * Sends subgraph requests with the caller's Authorization header (each subgraph verifies the
 * token again) and the request/correlation ids, so one request can be followed through every log.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<Context> {
  readonly subgraphName: string;
  readonly logger: Logger | undefined;

  constructor(config: { subgraphName: string; url: string; fetcher?: RemoteGraphQLDataSource['fetcher']; logger?: Logger }) {
    super({ url: config.url, ...(config.fetcher ? { fetcher: config.fetcher } : {}) });
    this.subgraphName = config.subgraphName;
    this.logger = config.logger;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): void {
    const forwarded = context?.forwarded;
    if (!forwarded || !request.http) return;
    if (forwarded.authorization) request.http.headers.set('authorization', forwarded.authorization);
    if (forwarded.requestId) request.http.headers.set('x-request-id', forwarded.requestId);
    if (forwarded.correlationId) request.http.headers.set('x-correlation-id', forwarded.correlationId);
  }

  /** A subgraph that cannot be reached gets an error naming it (the URL stays in the log, not in the answer). */
  override didEncounterError(error: Error, _request: unknown, response?: unknown): void {
    if (response || error instanceof GraphQLError) throw error;
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? error.message;
    this.logger?.error({ subgraph: this.subgraphName, url: this.url, reason }, 'subgraph unreachable');
    throw new GraphQLError(`The ${this.subgraphName} subgraph did not answer (${reason}); try again shortly.`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraphName },
    });
  }
}
