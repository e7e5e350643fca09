import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';

/** The part of the gateway's GraphQL context a subgraph request carries on. */
export interface ForwardedHeaders {
  authorization?: string;
  requestId?: string;
  correlationId?: string;
}

/**
 * Sends subgraph requests with the caller's Authorization header (each subgraph verifies the
 * token again) and the request/correlation ids, so one request can be followed through every log.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<{ forwarded?: ForwardedHeaders }> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<{ forwarded?: ForwardedHeaders }>): void {
    const forwarded = context?.forwarded;
    if (!forwarded || !request.http) return;
    if (forwarded.authorization) request.http.headers.set('authorization', forwarded.authorization);
    if (forwarded.requestId) request.http.headers.set('x-request-id', forwarded.requestId);
    if (forwarded.correlationId) request.http.headers.set('x-correlation-id', forwarded.correlationId);
  }
}
