import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from 'graphql-tag';
import { createTokenVerifier, mintToken } from '@flightdeck/auth';
import { createHttpServer, createLogger, createMetrics, type ServiceMetrics } from '@flightdeck/telemetry';
import { createSubgraph, type Subgraph, type SubgraphContext } from '../src/index.js';

const secret = 'subgraph-test-secret-at-least-32-characters';
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    me: Caller!
    broken: String
  }

  type Caller {
    anonymous: Boolean!
    subject: String
    roles: [String!]!
    requestId: String!
    greeting: String!
  }
`;

type Context = SubgraphContext & { greeting: string };

describe('createSubgraph', () => {
  let subgraph: Subgraph<{ greeting: string }>;
  let metrics: ServiceMetrics;
  let http: ReturnType<typeof createHttpServer>;
  let url: string;

  beforeAll(async () => {
    const logger = createLogger({ service: 'test-subgraph', level: 'silent' });
    metrics = createMetrics({ service: 'test-subgraph' });
    subgraph = createSubgraph({
      service: 'test-subgraph',
      typeDefs,
      resolvers: {
        Query: {
          me: (_: unknown, __: unknown, ctx: Context) => ({
            anonymous: ctx.identity === undefined,
            subject: ctx.identity?.subject ?? null,
            roles: ctx.identity?.roles ?? [],
            requestId: ctx.requestId,
            greeting: ctx.greeting,
          }),
          broken: () => {
            throw new Error('this field always fails');
          },
        },
      },
      logger,
      metrics,
      verifier: createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' }),
      context: (base) => ({ greeting: `hello ${base.identity?.subject ?? 'stranger'}` }),
      maxBodyBytes: 4096,
    });
    await subgraph.start();
    http = createHttpServer({ service: 'test-subgraph', logger, metrics, readiness: [] });
    http.app.use('/graphql', subgraph.middleware());
    url = `${(await http.listen(0)).url}/graphql`;
  });

  afterAll(async () => {
    await http?.close();
    await subgraph?.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('gives resolvers the identity of a verified forwarded token and the request id', async () => {
    const token = await mintToken({ secret, subject: 'alice', roles: ['RELEASE_MANAGER', 'SRE'] });
    const res = await post(
      { query: 'query Me { me { anonymous subject roles requestId greeting } }' },
      { authorization: `Bearer ${token}`, 'x-request-id': 'req-42' },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: {
        me: {
          anonymous: false,
          subject: 'alice',
          roles: ['RELEASE_MANAGER', 'SRE'],
          requestId: 'req-42',
          greeting: 'hello alice',
        },
      },
    });
  });

  it('treats a request without a token as anonymous', async () => {
    const res = await post({ query: '{ me { anonymous subject roles greeting } }' });
    expect(await res.json()).toEqual({
      data: { me: { anonymous: true, subject: null, roles: [], greeting: 'hello stranger' } },
    });
  });

  it('refuses a token signed with another key with 401 UNAUTHENTICATED', async () => {
    const forged = await mintToken({
      secret: 'another-secret-that-is-also-32-characters',
      subject: 'mallory',
      roles: ['RELEASE_MANAGER'],
    });
    const res = await post({ query: '{ me { subject } }' }, { authorization: `Bearer ${forged}` });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]?.message).toMatch(/bad signature/);
  });

  it('refuses an expired token saying when it expired', async () => {
    const expired = await mintToken({ secret, subject: 'alice', roles: ['VIEWER'], expiresIn: '-1m' });
    const res = await post({ query: '{ me { subject } }' }, { authorization: `Bearer ${expired}` });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]?.message).toMatch(/token expired at \d{4}-\d\d-\d\dT/);
  });

  it('refuses an oversized body with 413 saying the limit', async () => {
    const res = await post({ query: `{ me { subject } }`, variables: { padding: 'x'.repeat(10_000) } });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors[0]?.message).toMatch(/the limit is 4 KB/);
  });

  it('answers the federation _service query with its SDL', async () => {
    const res = await post({ query: '{ _service { sdl } }' });
    const body = (await res.json()) as { data: { _service: { sdl: string } } };
    expect(body.data._service.sdl).toContain('type Caller');
  });

  it('counts operations with graphqlMetricsPlugin, by name, type and outcome', async () => {
    const count = async (outcome: string) =>
      (await metrics.graphqlOperationsTotal.get()).values.find(
        (v) => v.labels.operation === 'Counted' && v.labels.outcome === outcome,
      )?.value ?? 0;
    const [successes, errors] = [await count('success'), await count('error')];
    await post({ query: 'query Counted { me { anonymous } }' });
    await post({ query: 'query Counted { me { anonymous } }' });
    await post({ query: 'query Counted { broken }' });
    expect((await count('success')) - successes).toBe(2);
    expect((await count('error')) - errors).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /graphql_operations_total\{operation="Counted",type="query",outcome="success",service="test-subgraph"\} \d+/,
    );
  });
});
