import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, mintToken } from '@flightdeck/auth';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { freePort } from '@flightdeck/testing';
import { composeSupergraph, createGatewayService, type GatewayService } from '../src/index.js';
import { repoRoot } from '../src/paths.js';
import { createTestData, fixtureSchemas, startTestSubgraph, type TestData } from './fixtures/test-subgraphs.js';

const secret = 'gateway-test-secret-at-least-32-characters';
const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('gateway over two test subgraphs', () => {
  let data: TestData;
  let subgraphs: { stop(): Promise<void> }[] = [];
  let gateway: GatewayService;
  let base: string;
  let graphqlUrl: string;
  let aliceToken: string;

  beforeAll(async () => {
    data = createTestData();
    const releases = await startTestSubgraph('releases', { repoRoot, verifier, data });
    const checks = await startTestSubgraph('checks', { repoRoot, verifier, data });
    subgraphs = [releases, checks];
    // The composed URLs point nowhere: the gateway must use the overrides (as SUBGRAPH_<NAME>_URL does).
    const composed = composeSupergraph(
      [
        { name: 'releases', schema: fixtureSchemas.releases, url: 'http://127.0.0.1:9/graphql' },
        { name: 'checks', schema: fixtureSchemas.checks, url: 'http://127.0.0.1:9/graphql' },
      ],
      repoRoot,
    );
    if (!composed.ok) throw new Error(`test subgraphs do not compose:\n${composed.errors.join('\n')}`);
    gateway = createGatewayService({
      supergraphSdl: composed.supergraphSdl,
      verifier,
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      metrics: createMetrics({ service: 'gateway' }),
      corsOrigins: ['https://console.example.com'],
      subgraphUrls: { releases: releases.url, checks: checks.url },
    });
    const listening = await gateway.listen(0);
    base = listening.url;
    graphqlUrl = listening.graphqlUrl;
    aliceToken = await mintToken({ secret, subject: 'alice', roles: ['RELEASE_MANAGER', 'QA_LEAD'] });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(subgraphs.map((s) => s.stop()));
  });

  async function query(
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: GraphQLBody; headers: Headers }> {
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as GraphQLBody, headers: res.headers };
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('answers an anonymous query joining both subgraphs', async () => {
    const res = await query({ query: '{ releases { id version checks { name passed } } }' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        releases: [
          { id: 'r1', version: '1.4.0', checks: [{ name: 'unit tests', passed: true }] },
          { id: 'r2', version: '1.5.0', checks: [] },
        ],
      },
    });
  });

  it('forwards the token and the request id to the subgraphs, which verify it again', async () => {
    const res = await query(
      { query: '{ caller { subject roles requestId correlationId } }' },
      { ...bearer(aliceToken), 'x-request-id': 'req-gw-1', 'x-correlation-id': 'release-1.4.0' },
    );
    expect(res.body).toEqual({
      data: {
        caller: {
          subject: 'alice',
          roles: ['RELEASE_MANAGER', 'QA_LEAD'],
          requestId: 'req-gw-1',
          correlationId: 'release-1.4.0',
        },
      },
    });
    expect(res.headers.get('x-request-id')).toBe('req-gw-1');
  });

  it('runs a mutation with a valid token; the extending subgraph sees who called', async () => {
    const res = await query(
      {
        query:
          'mutation { addCheck(releaseId: "r2", name: "smoke", passed: false) { name checkedBy release { version } } }',
      },
      bearer(aliceToken),
    );
    expect(res.body).toEqual({
      data: { addCheck: { name: 'smoke', checkedBy: 'alice', release: { version: '1.5.0' } } },
    });
  });

  it('passes the request variables through, required ones included', async () => {
    const res = await query(
      {
        query:
          'mutation Add($releaseId: ID!, $name: String!) { addCheck(releaseId: $releaseId, name: $name, passed: true) { name passed } }',
        variables: { releaseId: 'r2', name: 'canary' },
      },
      bearer(aliceToken),
    );
    expect(res.body).toEqual({ data: { addCheck: { name: 'canary', passed: true } } });
  });

  it('refuses a mutation without a token with 401 UNAUTHENTICATED, before any subgraph runs it', async () => {
    const before = data.checks.length;
    const res = await query({
      query: 'mutation Sneaky { addCheck(releaseId: "r1", name: "forged", passed: true) { name } }',
    });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0]?.message).toMatch(/Mutations need a valid token/);
    expect(data.checks.length).toBe(before);
  });

  it('refuses an expired token with 401 saying it expired', async () => {
    const expired = await mintToken({ secret, subject: 'alice', roles: ['RELEASE_MANAGER'], expiresIn: '-5m' });
    const res = await query({ query: '{ releases { id } }' }, bearer(expired));
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0]?.message).toMatch(/token expired at/);
  });

  it('refuses a token signed with another key, even for a query', async () => {
    const forged = await mintToken({
      secret: 'not-the-gateway-secret-but-32-characters',
      subject: 'mallory',
      roles: ['RELEASE_MANAGER'],
    });
    const res = await query({ query: '{ releases { id } }' }, bearer(forged));
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.message).toMatch(/bad signature/);
  });

  it('leaves role checks to the subgraphs: a VIEWER token passes the edge but the subgraph forbids the mutation', async () => {
    const viewer = await mintToken({ secret, subject: 'victor', roles: ['VIEWER'] });
    const res = await query(
      { query: 'mutation { renameRelease(id: "r1", version: "9.9.9") { version } }' },
      bearer(viewer),
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(data.releases.get('r1')?.version).toBe('1.4.0');
  });

  it('enforces the depth limit (default 10), saying the depth and the limit', async () => {
    const nest = (levels: number) => {
      let inner = 'id';
      for (let i = 0; i < levels; i++) inner = `checks { release { ${inner} } }`;
      return `query Deep { releases { ${inner} } }`;
    };
    // releases + 2 per level + id: 4 levels are 10 deep, 5 levels are 12 deep.
    const ok = await query({ query: nest(4) });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    const deep = await query({ query: nest(5) });
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]?.message).toBe(
      'Operation "Deep" is nested 12 fields deep; the limit is 10. Ask for less nested data or split the query.',
    );
    expect(deep.body.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_DEEP', depth: 12, limit: 10 });
  });

  it('enforces the cost limit (default 1000), saying the cost and the limit', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `r${i}: releases { id }`).join(' ')} }`;
    const ok = await query({ query: aliases(500) }); // 500 × 2 fields = 1000
    expect(ok.body.errors).toBeUndefined();
    const costly = await query({ query: aliases(501) });
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]?.message).toMatch(/^Operation costs 1002; the limit is 1000/);
    expect(costly.body.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_COSTLY', cost: 1002, limit: 1000 });
  });

  it('refuses a body over 1 MB with 413 and a clear message', async () => {
    const res = await query({ query: '{ releases { id } }', variables: { padding: 'x'.repeat(1_100_000) } });
    expect(res.status).toBe(413);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.errors?.[0]?.message).toMatch(/^Request body is 1\.05 MB; the limit is 1 MB/);
  });

  it('refuses a body that is not JSON with 400 saying so', async () => {
    const res = await query('{"query": "{ releases { id } }"');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/^Request body is not valid JSON/);
  });

  it('refuses introspection unless enabled', async () => {
    const res = await query({ query: '{ __schema { types { name } } }' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(
      /^Introspection is off on this gateway \(GATEWAY_INTROSPECTION=true turns it on\)/,
    );
  });

  it('allows only the configured CORS origins', async () => {
    const preflight = (origin: string) =>
      fetch(graphqlUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('https://console.example.com')).headers.get('access-control-allow-origin')).toBe(
      'https://console.example.com',
    );
    expect((await preflight('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('passes on what a subgraph said about a bad argument it validates (a DateTime literal), without a stack trace or its address', async () => {
    const good = await query({ query: '{ releasesSince(since: "2026-07-01T12:00:00Z") { id } }' });
    expect(good.body.data).toEqual({ releasesSince: [{ id: 'r1' }, { id: 'r2' }] });
    const bad = await query({ query: '{ releasesSince(since: "2026-13-01") { id } }' });
    expect(bad.body.errors).toHaveLength(1);
    expect(bad.body.errors?.[0]?.message).toBe(
      'DateTime must be an ISO 8601 date-time such as 2026-07-01T12:00:00Z, got "2026-13-01"',
    );
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', subgraph: 'releases' });
    expect(JSON.stringify(bad.body)).not.toMatch(/stacktrace|127\.0\.0\.1|at parse/);
  });

  it('names a subgraph that does not answer, without leaking its address', async () => {
    const composed = composeSupergraph(
      [{ name: 'releases', schema: fixtureSchemas.releases, url: `http://127.0.0.1:${await freePort()}/graphql` }],
      repoRoot,
    );
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    const lonely = createGatewayService({
      supergraphSdl: composed.supergraphSdl,
      verifier,
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      metrics: createMetrics({ service: 'gateway' }),
    });
    const { graphqlUrl: url } = await lonely.listen(0);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ releases { id } }' }),
      });
      const body = (await res.json()) as GraphQLBody;
      expect(body.errors?.[0]?.message).toBe('The releases subgraph did not answer (ECONNREFUSED); try again shortly.');
      expect(body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    } finally {
      await lonely.close();
    }
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.stringify(await ready.json())).toContain('supergraph');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /graphql_operations_total\{operation="Deep",type="query",outcome="success",service="gateway"\} 1/,
    );
    expect(metrics).toMatch(
      /http_requests_total\{method="POST",route="\/graphql",status="401",service="gateway"\} \d+/,
    );
  });
});
