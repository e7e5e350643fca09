import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForwardingDataSource } from '../src/forwarding-data-source.js';

/** What a subgraph (or a proxy in front of one) answers: the test picks by the query text. */
type Answer = { status: number; body: string; contentType?: string } | 'hang-up';

describe('ForwardingDataSource against an HTTP server answering like a subgraph, or not', () => {
  let server: Server;
  let url: string;
  let connections = 0;
  const seen: { headers: IncomingMessage['headers']; body: unknown }[] = [];
  const answers: Record<string, Answer> = {
    '{ ok }': { status: 200, body: JSON.stringify({ data: { ok: true } }) },
    '{ refused }': {
      status: 400,
      body: JSON.stringify({
        errors: [{ message: 'Expected a DateTime', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      }),
    },
    '{ broken }': { status: 502, body: '<html>Bad Gateway at 10.0.0.7</html>', contentType: 'text/html' },
    '{ garbled }': { status: 200, body: 'not json' },
    '{ hangUp }': 'hang-up',
    'query Flaky { flaky }': { status: 200, body: JSON.stringify({ data: { flaky: true } }) },
    'mutation Flaky { flaky }': { status: 200, body: JSON.stringify({ data: { flaky: true } }) },
  };
  const attempts: Record<string, number> = {};

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { query: string };
        seen.push({ headers: req.headers, body });
        // The flaky ones drop the connection the first time they are asked, as a subgraph closing an idle connection does.
        if (body.query.includes('flaky') && (attempts[body.query] = (attempts[body.query] ?? 0) + 1) === 1)
          return req.socket.destroy();
        const answer = answers[body.query];
        if (!answer || answer === 'hang-up') return req.socket.destroy();
        res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
        res.end(answer.body);
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const ask = (source: ForwardingDataSource, query: string, forwarded = {}) =>
    source.process({
      request: { query, variables: { a: 1 }, operationName: 'Op' },
      context: { forwarded },
    } as unknown as GraphQLDataSourceProcessOptions<object>);

  it('posts the operation with the caller’s token and ids, and returns the subgraph’s result', async () => {
    const source = new ForwardingDataSource({ subgraphName: 'releases', url });
    try {
      const result = await ask(source, '{ ok }', {
        authorization: 'Bearer t0k3n',
        requestId: 'req-1',
        correlationId: 'corr-1',
      });
      expect(result).toEqual({ data: { ok: true } });
      const last = seen.at(-1)!;
      expect(last.body).toEqual({ query: '{ ok }', variables: { a: 1 }, operationName: 'Op' });
      expect(last.headers).toMatchObject({
        authorization: 'Bearer t0k3n',
        'x-request-id': 'req-1',
        'x-correlation-id': 'corr-1',
        'content-type': 'application/json',
      });
    } finally {
      await source.close();
    }
  });

  it('keeps its connections alive: forty requests in a row reuse them', async () => {
    const source = new ForwardingDataSource({ subgraphName: 'releases', url });
    try {
      const before = connections;
      for (let i = 0; i < 40; i++) expect(await ask(source, '{ ok }')).toEqual({ data: { ok: true } });
      // undici may open a second connection when the next request comes before the first is handed back to the pool.
      expect(connections - before).toBeLessThanOrEqual(2);
    } finally {
      await source.close();
    }
  });

  it('passes on the message and code of a subgraph that refused the operation with GraphQL errors', async () => {
    const source = new ForwardingDataSource({ subgraphName: 'releases', url });
    try {
      const error = await ask(source, '{ refused }').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).message).toBe('Expected a DateTime');
      expect((error as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', subgraph: 'releases' });
    } finally {
      await source.close();
    }
  });

  it('names the subgraph and the status of an answer that is not GraphQL, without its body or address', async () => {
    const source = new ForwardingDataSource({ subgraphName: 'releases', url });
    try {
      for (const [query, status] of [
        ['{ broken }', 502],
        ['{ garbled }', 200],
      ] as const) {
        const error = (await ask(source, query).catch((e: unknown) => e)) as GraphQLError;
        expect(error.message).toBe(`The releases subgraph answered HTTP ${status} without a GraphQL result.`);
        expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', subgraph: 'releases' });
        expect(JSON.stringify(error)).not.toMatch(/127\.0\.0\.1|10\.0\.0\.7|html/);
      }
    } finally {
      await source.close();
    }
  });

  it('sends a query again on a new connection when its connection was lost, but never a mutation (the subgraph may have run it)', async () => {
    const source = new ForwardingDataSource({ subgraphName: 'releases', url });
    try {
      expect(await ask(source, 'query Flaky { flaky }')).toEqual({ data: { flaky: true } });
      expect(attempts['query Flaky { flaky }']).toBe(2);
      const error = (await ask(source, 'mutation Flaky { flaky }').catch((e: unknown) => e)) as GraphQLError;
      expect(error.message).toMatch(/^The releases subgraph did not answer \(.+\); try again shortly\.$/);
      expect(attempts['mutation Flaky { flaky }']).toBe(1);
    } finally {
      await source.close();
    }
  });

  it('names a subgraph that hung up or cannot be reached', async () => {
    const source = new ForwardingDataSource({ subgraphName: 'releases', url });
    const closedPort = new ForwardingDataSource({ subgraphName: 'gates', url: 'http://127.0.0.1:9/graphql' });
    try {
      const hungUp = (await ask(source, '{ hangUp }').catch((e: unknown) => e)) as GraphQLError;
      expect(hungUp.message).toMatch(/^The releases subgraph did not answer \(.+\); try again shortly\.$/);
      expect(hungUp.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'releases' });
      const refused = (await ask(closedPort, '{ ok }').catch((e: unknown) => e)) as GraphQLError;
      expect(refused.message).toBe('The gates subgraph did not answer (ECONNREFUSED); try again shortly.');
    } finally {
      await source.close();
      await closedPort.close();
    }
  });
});
