import { Client, fetchExchange } from '@urql/core';

/** A GraphQL answer as the gateway sends it: data, or the service's errors. */
export type Answer = { data: Record<string, unknown> } | { errors: { message: string }[] };

export interface SentOperation {
  operationName: string;
  variables: Record<string, unknown>;
}

/**
 * A real urql client whose fetch is answered here, by operation name, instead of by the gateway: component tests see
 * exactly what the console sends (`sent`, in order) and render what the handler answers. An operation without a
 * handler fails the test with its name.
 */
export function fakeGateway(handlers: Record<string, (variables: Record<string, unknown>) => Answer>) {
  const sent: SentOperation[] = [];
  const fetch = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body)) as SentOperation;
    const variables = body.variables ?? {};
    sent.push({ operationName: body.operationName, variables });
    const handler = handlers[body.operationName];
    if (!handler) throw new Error(`fakeGateway: no answer for operation ${body.operationName}`);
    return new Response(JSON.stringify(handler(variables)), { headers: { 'content-type': 'application/json' } });
  };
  const client = new Client({
    url: '/graphql',
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetch,
  });
  return { client, sent };
}
