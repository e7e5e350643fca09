import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@flightdeck/auth';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { composeSupergraph, createGatewayService, type GatewayService } from '../src/index.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../src/limits/index.js';
import { repoRoot } from '../src/paths.js';
import { createTestData, fixtureSchemas, startTestSubgraph } from './fixtures/test-subgraphs.js';

const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;

describe('jsonDepth', () => {
  it('counts nested arrays and objects without recursion, scalars 0', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth(null)).toBe(0);
    expect(jsonDepth({ a: [1, { b: [] }] })).toBe(4);
    expect(jsonDepth(nested(1_000_000))).toBe(1_000_000);
  });

  it('stops counting past the limit', () => {
    expect(jsonDepth(nested(1_000_000), 64)).toBe(65);
  });
});

describe('the gateway refuses request JSON nested deeper than 64 levels', () => {
  let gateway: GatewayService;
  let url: string;
  const stops: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    const secret = 'json-depth-test-secret-at-least-32-characters';
    const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });
    const data = createTestData();
    const releases = await startTestSubgraph('releases', { repoRoot, verifier, data });
    const checks = await startTestSubgraph('checks', { repoRoot, verifier, data });
    stops.push(releases, checks);
    const composed = composeSupergraph(
      [
        { name: 'releases', schema: fixtureSchemas.releases, url: releases.url },
        { name: 'checks', schema: fixtureSchemas.checks, url: checks.url },
      ],
      repoRoot,
    );
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    gateway = createGatewayService({
      supergraphSdl: composed.supergraphSdl,
      verifier,
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      metrics: createMetrics({ service: 'gateway' }),
    });
    url = (await gateway.listen(0)).graphqlUrl;
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(stops.map((s) => s.stop()));
  });

  it('in the body, with 400 BAD_USER_INPUT saying the limit', async () => {
    const body = `{"query":"query($v: [[String]]) { releases { id } }","variables":{"v":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(answer.errors[0]).toEqual({
      message: `The request's JSON is nested more than ${MAX_JSON_DEPTH} arrays or objects deep; no Flightdeck input nests that deep.`,
      extensions: { code: 'BAD_USER_INPUT', reason: 'JSON_TOO_DEEP', limit: 64 },
    });
  });

  it('in the variables of a GET', async () => {
    const res = await fetch(
      `${url}?query=${encodeURIComponent('{ releases { id } }')}&variables=${encodeURIComponent(`${'['.repeat(70)}${']'.repeat(70)}`)}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]!.extensions.reason).toBe(
      'JSON_TOO_DEEP',
    );
  });

  it('lets ordinary nesting through', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ releases { id } }', variables: { a: nested(20) } }),
    });
    expect(res.status).toBe(200);
  });
});
