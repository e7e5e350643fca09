import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, mintToken } from '@flightdeck/auth';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { composeSupergraph, createGatewayService, gatewayConfigSchema, type GatewayService } from '../src/index.js';
import { repoRoot } from '../src/paths.js';
import { createTestData, fixtureSchemas, startTestSubgraph, type TestData } from './fixtures/test-subgraphs.js';

const secret = 'rate-limit-test-secret-at-least-32-characters';
const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** A GraphQL POST from a chosen loopback address (127.0.0.0/8 is all loopback), so "another client" is another address. */
function post(url: string, body: unknown, opts: { token?: string; from?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        localAddress: opts.from ?? '127.0.0.1',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as Answer['body'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const RELEASES = { query: '{ releases { id } }' };

describe('per-identity rate limiting at the gateway', () => {
  let data: TestData;
  let subgraphs: { stop(): Promise<void> }[] = [];
  let gateway: GatewayService;
  let shortWindow: GatewayService;
  let url: string;
  let shortUrl: string;
  const tokens: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };

  beforeAll(async () => {
    data = createTestData();
    const releases = await startTestSubgraph('releases', { repoRoot, verifier, data });
    const checks = await startTestSubgraph('checks', { repoRoot, verifier, data });
    subgraphs = [releases, checks];
    const composed = composeSupergraph(
      [
        { name: 'releases', schema: fixtureSchemas.releases, url: releases.url },
        { name: 'checks', schema: fixtureSchemas.checks, url: checks.url },
      ],
      repoRoot,
    );
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    const make = (windowSeconds: number) =>
      createGatewayService({
        supergraphSdl: composed.supergraphSdl,
        verifier,
        logger: createLogger({ service: 'gateway', level: 'silent' }),
        metrics: createMetrics({ service: 'gateway' }),
        rateLimit: { requests: 3, anonymousRequests: 2, windowSeconds },
      });
    gateway = make(3600);
    shortWindow = make(1);
    // Every address of 127.0.0.0/8, so requests can come from 127.0.0.2 too.
    url = (await gateway.listen(0, '0.0.0.0')).graphqlUrl.replace('0.0.0.0', '127.0.0.1');
    shortUrl = (await shortWindow.listen(0, '0.0.0.0')).graphqlUrl.replace('0.0.0.0', '127.0.0.1');
    for (const who of ['alice', 'bob', 'carol'] as const)
      tokens[who] = await mintToken({ secret, subject: who, roles: ['RELEASE_MANAGER'] });
  });

  afterAll(async () => {
    await gateway?.close();
    await shortWindow?.close();
    await Promise.all(subgraphs.map((s) => s.stop()));
  });

  it('answers the requests within the limit, then 429 with Retry-After and a RATE_LIMITED error naming who and the limit', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await post(url, RELEASES, { token: tokens.alice });
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const refused = await post(url, RELEASES, { token: tokens.alice });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(3590);
    expect(refused.body.errors?.[0]?.message).toMatch(
      /^Too many requests: alice may make 3 requests per 3600 s; retry in \d+ s\.$/,
    );
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3, windowSeconds: 3600 });
  });

  it('counts per identity, not per address: alice stays limited from another address, bob has his own budget', async () => {
    expect((await post(url, RELEASES, { token: tokens.alice, from: '127.0.0.2' })).status).toBe(429);
    expect((await post(url, RELEASES, { token: tokens.bob, from: '127.0.0.1' })).status).toBe(200);
  });

  it('refuses a limited mutation before any subgraph runs it', async () => {
    const before = data.checks.length;
    const res = await post(
      url,
      { query: 'mutation { addCheck(releaseId: "r1", name: "flood", passed: true) { name } }' },
      { token: tokens.alice },
    );
    expect(res.status).toBe(429);
    expect(data.checks.length).toBe(before);
  });

  it("does not let a forged token spend a person's budget: it is refused at authentication and counts nothing", async () => {
    const forged = await mintToken({
      secret: 'not-the-gateway-secret-but-32-characters',
      subject: 'carol',
      roles: ['VIEWER'],
    });
    for (let i = 0; i < 5; i++) expect((await post(url, RELEASES, { token: forged })).status).toBe(401);
    expect((await post(url, RELEASES, { token: tokens.carol })).status).toBe(200);
  });

  it('limits anonymous callers per address, saying a token counts per person', async () => {
    expect((await post(url, RELEASES, { from: '127.0.0.3' })).status).toBe(200);
    expect((await post(url, RELEASES, { from: '127.0.0.3' })).status).toBe(200);
    const refused = await post(url, RELEASES, { from: '127.0.0.3' });
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.message).toMatch(
      /^Too many requests: anonymous callers from 127\.0\.0\.3 may make 2 requests per 3600 s; retry in \d+ s\. With a token, requests count per person instead\.$/,
    );
    expect((await post(url, RELEASES, { from: '127.0.0.4' })).status).toBe(200);
  });

  it('lets the caller in again once the window has passed', async () => {
    for (let i = 0; i < 3; i++) expect((await post(shortUrl, RELEASES, { token: tokens.alice })).status).toBe(200);
    const refused = await post(shortUrl, RELEASES, { token: tokens.alice });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    // Waits on the condition, bounded: the answer after the Retry-After the gateway gave.
    let status = 429;
    for (const deadline = Date.now() + 5_000; status === 429 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await post(shortUrl, RELEASES, { token: tokens.alice })).status;
    }
    expect(status).toBe(200);
  });
});

describe('rate limit settings', () => {
  const schema = gatewayConfigSchema([]);
  const base = { AUTH_JWT_SECRET: secret };

  it('defaults to 600 requests per identity and 120 per anonymous address per 60 s', () => {
    expect(schema.parse(base)).toMatchObject({
      GATEWAY_RATE_LIMIT_REQUESTS: 600,
      GATEWAY_RATE_LIMIT_ANONYMOUS_REQUESTS: 120,
      GATEWAY_RATE_LIMIT_WINDOW_SECONDS: 60,
    });
  });

  it('takes 0 to turn a limit off and refuses what is no count', () => {
    expect(schema.parse({ ...base, GATEWAY_RATE_LIMIT_REQUESTS: '0' })).toMatchObject({
      GATEWAY_RATE_LIMIT_REQUESTS: 0,
    });
    expect(schema.safeParse({ ...base, GATEWAY_RATE_LIMIT_REQUESTS: '-1' }).success).toBe(false);
    expect(schema.safeParse({ ...base, GATEWAY_RATE_LIMIT_WINDOW_SECONDS: '0' }).success).toBe(false);
    expect(schema.safeParse({ ...base, GATEWAY_RATE_LIMIT_ANONYMOUS_REQUESTS: 'lots' }).success).toBe(false);
  });
});
