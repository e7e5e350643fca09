import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';

/** The part of the gateway's GraphQL context a subgraph request carries on. */
export interface ForwardedHeaders {
  authorization?: string;
  requestId?: string;
  correlationId?: string;
}

type Context = { forwarded?: ForwardedHeaders };
type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource<Context>['process']>>;

interface GraphQLErrorBody {
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/**
 * Sends the query planner's requests to one subgraph with the caller's Authorization header (each subgraph verifies
 * the token again) and the request/correlation ids, so one request can be followed through every log.
 *
 * It speaks HTTP through an undici connection pool kept alive per subgraph. Apollo's RemoteGraphQLDataSource
 * builds a node-fetch Request and Headers for every fetch and reads the answer through WHATWG streams; in
 * tools/bench/src/gateway-overhead.ts that cost more gateway CPU per request than verifying the token.
 */
export class ForwardingDataSource implements GraphQLDataSource<Context> {
  readonly subgraphName: string;
  readonly url: string;
  private readonly logger: Logger | undefined;
  private readonly pool: Pool;
  private readonly path: string;

  constructor(config: { subgraphName: string; url: string; logger?: Logger }) {
    this.subgraphName = config.subgraphName;
    this.url = config.url;
    this.logger = config.logger;
    const url = new URL(config.url);
    this.pool = new Pool(url.origin);
    this.path = `${url.pathname}${url.search}`;
  }

  async process({ request, context }: GraphQLDataSourceProcessOptions<Context>): Promise<GatewayGraphQLResponse> {
    const { http, ...operation } = request;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    // Headers the executor asks for (e.g. apollo-federation-include-trace), then the caller's.
    if (http?.headers) for (const [name, value] of http.headers) headers[name] = value;
    const forwarded = context?.forwarded;
    if (forwarded?.authorization) headers.authorization = forwarded.authorization;
    if (forwarded?.requestId) headers['x-request-id'] = forwarded.requestId;
    if (forwarded?.correlationId) headers['x-correlation-id'] = forwarded.correlationId;

    const send = async () => {
      const response = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers,
        body: JSON.stringify(operation),
      });
      return { status: response.statusCode, text: await response.body.text() };
    };
    let answer: { status: number; text: string };
    try {
      answer = await send();
    } catch (error) {
      // A kept-alive connection the subgraph closed while idle fails the request sent on it (the subgraph closes idle
      // connections after 5 s; the pool's own timer is 2 s shorter, but a stalled event loop can miss it). A query is
      // safe to send again on a new connection; a mutation is not: the subgraph may have run it.
      if (!isConnectionLost(error) || isMutation(request.query)) throw this.unreachable(error);
      this.logger?.warn(
        { subgraph: this.subgraphName, reason: reasonOf(error) },
        'subgraph connection lost; sending the query again on a new one',
      );
      try {
        answer = await send();
      } catch (again) {
        throw this.unreachable(again);
      }
    }
    const { status, text } = answer;
    const body = parseJson(text);
    if (status >= 200 && status < 300 && body !== null && typeof body === 'object' && !Array.isArray(body))
      return body as GatewayGraphQLResponse;
    throw this.refused(status, body, text);
  }

  /** Closes the pooled connections; in-flight requests finish first. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * A subgraph that refused the request (HTTP 4xx with GraphQL errors, e.g. a malformed DateTime literal it validates
   * and the gateway cannot) is answered with its own message and code; any other answer that is not GraphQL is named
   * with its status (the URL and the body stay in the log, not in the answer).
   */
  private refused(status: number, body: unknown, text: string): GraphQLError {
    const first = (body as GraphQLErrorBody | null)?.errors?.[0];
    if (status >= 400 && status < 500 && typeof first?.message === 'string') {
      const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'BAD_USER_INPUT';
      return new GraphQLError(first.message, {
        extensions: {
          code: code === 'GRAPHQL_VALIDATION_FAILED' ? 'BAD_USER_INPUT' : code,
          subgraph: this.subgraphName,
        },
      });
    }
    this.logger?.error(
      { subgraph: this.subgraphName, url: this.url, status, body: text.slice(0, 500) },
      'subgraph answered without a GraphQL result',
    );
    const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'INTERNAL_SERVER_ERROR';
    return new GraphQLError(`The ${this.subgraphName} subgraph answered HTTP ${status} without a GraphQL result.`, {
      extensions: { code, subgraph: this.subgraphName },
    });
  }

  /** A subgraph that cannot be reached gets an error naming it (the URL stays in the log, not in the answer). */
  private unreachable(error: unknown): GraphQLError {
    const reason = reasonOf(error);
    this.logger?.error({ subgraph: this.subgraphName, url: this.url, reason, err: error }, 'subgraph unreachable');
    return new GraphQLError(`The ${this.subgraphName} subgraph did not answer (${reason}); try again shortly.`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraphName },
    });
  }
}

/** The system error code (ECONNREFUSED, ECONNRESET) when there is one, else undici's message ("other side closed"). */
function reasonOf(error: unknown): string {
  const err = error as Error & { code?: string; cause?: { code?: string } };
  return err.code && !err.code.startsWith('UND_ERR_') ? err.code : (err.cause?.code ?? err.message ?? String(error));
}

/** The connection went away under the request (closed or reset by the other side), as opposed to refused or timed out. */
function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

function isMutation(query: string | undefined): boolean {
  return query !== undefined && /^\s*mutation\b/.test(query);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
