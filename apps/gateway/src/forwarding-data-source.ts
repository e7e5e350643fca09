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

  /**
   * A subgraph that refused the request (HTTP 4xx with GraphQL errors, e.g. a malformed DateTime literal it
   * validates and the gateway cannot) is answered with its own message and code, not "400: Bad Request".
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const fallback = () => super.errorFromResponse(response);
    if (response.status < 400 || response.status >= 500) return fallback();
    let body: unknown;
    try {
      body = await response.clone().json();
    } catch {
      return fallback();
    }
    const first = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null)?.errors?.[0];
    if (typeof first?.message !== 'string') return fallback();
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'BAD_USER_INPUT';
    return new GraphQLError(first.message, { extensions: { code: code === 'GRAPHQL_VALIDATION_FAILED' ? 'BAD_USER_INPUT' : code, subgraph: this.subgraphName } });
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
