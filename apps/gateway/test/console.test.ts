import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@flightdeck/auth';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { createGatewayService, defaultSupergraphPath, type GatewayService } from '../src/index.js';

const verifier = createTokenVerifier({
  secret: 'gateway-test-secret-at-least-32-characters',
  issuer: 'flightdeck',
  audience: 'flightdeck',
});

function gatewayWith(consoleDir: string | undefined, explorerDir: string | undefined): GatewayService {
  return createGatewayService({
    supergraphSdl: readFileSync(defaultSupergraphPath, 'utf8'),
    verifier,
    logger: createLogger({ service: 'gateway', level: 'silent' }),
    metrics: createMetrics({ service: 'gateway' }),
    consoleDir,
    explorerDir,
  });
}

describe('the web console served by the gateway', () => {
  let dir: string;
  let withConsole: GatewayService;
  let without: GatewayService;
  let base: string;
  let bare: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-console-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Flightdeck</title><div id="root"></div>');
    await writeFile(join(dir, 'assets/app.js'), 'console.log("console")');
    // A stand-in for the built explorer page: what matters here is which of the two a path reaches.
    await mkdir(join(dir, 'explorer'));
    await writeFile(
      join(dir, 'explorer/index.html'),
      '<!doctype html><title>GraphiQL</title><div id="graphiql"></div>',
    );
    withConsole = gatewayWith(dir, join(dir, 'explorer'));
    without = gatewayWith(undefined, undefined);
    base = (await withConsole.listen(0)).url;
    bare = (await without.listen(0)).url;
  });

  afterAll(async () => {
    await withConsole?.close();
    await without?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and the assets beside it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<div id="root">');
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('keeps the explorer at the GraphQL URL for browsers', async () => {
    const explorer = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(await explorer.text()).toContain('<div id="graphiql">');
  });

  it('leaves /graphql, /healthz and unknown paths as they were', async () => {
    const graphql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const missing = await fetch(`${base}/no-such-file.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route for GET /no-such-file.js' });
  });

  it('without a console (nor an explorer), / still says where the API is', async () => {
    const root = await fetch(`${bare}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('POST GraphQL requests to /graphql');
  });
});
