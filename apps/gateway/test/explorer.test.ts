import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@flightdeck/auth';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { buildExplorer } from '../src/explorer/build.js';
import { composeSupergraph, createGatewayService, type GatewayService } from '../src/index.js';
import { repoRoot } from '../src/paths.js';
import { createTestData, fixtureSchemas, startTestSubgraph } from './fixtures/test-subgraphs.js';

const secret = 'gateway-explorer-secret-at-least-32-characters';
const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });
// Debian's Chromium (package chromium, installed by .ci/run); playwright-core never downloads a browser.
const CHROMIUM = '/usr/bin/chromium';

describe('the GraphQL explorer the gateway serves (GraphiQL, bundled from node_modules: no CDN)', () => {
  let dir: string;
  const subgraphs: { stop(): Promise<void> }[] = [];
  const gateways: GatewayService[] = [];
  let withExplorer: string;
  let without: string;

  async function gateway(explorerDir?: string): Promise<string> {
    const data = createTestData();
    const releases = await startTestSubgraph('releases', { repoRoot, verifier, data });
    const checks = await startTestSubgraph('checks', { repoRoot, verifier, data });
    subgraphs.push(releases, checks);
    const composed = composeSupergraph(
      [
        { name: 'releases', schema: fixtureSchemas.releases, url: releases.url },
        { name: 'checks', schema: fixtureSchemas.checks, url: checks.url },
      ],
      repoRoot,
    );
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    const g = createGatewayService({
      supergraphSdl: composed.supergraphSdl,
      verifier,
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      metrics: createMetrics({ service: 'gateway' }),
      introspection: true,
      explorerDir,
    });
    gateways.push(g);
    return (await g.listen(0)).url.replace(/\/$/, '');
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-explorer-'));
    const bundle = await buildExplorer(join(dir, 'explorer'));
    expect(bundle.built).toBe(true);
    expect((await buildExplorer(join(dir, 'explorer'))).built).toBe(false); // unchanged inputs: reused
    withExplorer = await gateway(bundle.dir);
    without = await gateway();
  }, 120_000);

  afterAll(async () => {
    for (const g of gateways) await g.close();
    await Promise.all(subgraphs.map((s) => s.stop()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers a browser at the GraphQL URL with the page, leads / there, and names no other host', async () => {
    const root = await fetch(`${withExplorer}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/graphql');

    const page = await fetch(`${withExplorer}/graphql`, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/explorer/page.js"></script>');
    expect(html).not.toMatch(/(https?:)?\/\/[a-z]/i);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    for (const file of ['page.js', 'page.css'])
      expect((await fetch(`${withExplorer}/explorer/${file}`)).status, file).toBe(200);
    expect((await fetch(`${withExplorer}/explorer/nothing.js`)).status).toBe(404);

    // GraphQL over GET and POST still reaches Apollo.
    const get = await fetch(`${withExplorer}/graphql?query=${encodeURIComponent('{ releases { version } }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { releases: [{ version: '1.4.0' }, { version: '1.5.0' }] } });
    const post = await fetch(`${withExplorer}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ releases { id } }' }),
    });
    expect(post.status).toBe(200);
  });

  it('without an explorer, / says where the API is and no page loads anything from a CDN', async () => {
    const root = await fetch(`${without}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toMatch(/^Flightdeck GraphQL gateway: POST GraphQL requests to \/graphql\./);
    const page = await fetch(`${without}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/apollographql\.com|cdn\./);
  });

  describe('in a browser', () => {
    let browser: Browser | undefined;
    afterAll(async () => {
      await browser?.close();
    });

    it.skipIf(!existsSync(CHROMIUM))(
      'loads from the gateway alone, reads the schema, and runs a query (Debian chromium, headless)',
      async () => {
        browser = await chromium.launch({
          executablePath: CHROMIUM,
          headless: true,
          args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
        const page = await browser.newPage();
        const requested: string[] = [];
        page.on('request', (r) => void requested.push(r.url()));
        const failures: string[] = [];
        page.on('pageerror', (e) => void failures.push(e.message));

        // GraphiQL reads the schema with an introspection query as it starts.
        const introspection = page.waitForResponse(
          (r) =>
            r.url().endsWith('/graphql') &&
            r.request().method() === 'POST' &&
            /__schema/.test(r.request().postData() ?? ''),
          { timeout: 30_000 },
        );
        await page.goto(`${withExplorer}/`);
        expect(page.url()).toBe(`${withExplorer}/graphql`);
        expect((await introspection).status()).toBe(200);
        await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
        // Browser-side code as strings: this project compiles for Node, without the DOM's types.
        await page.evaluate(
          "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ releases { id version } }')",
        );
        await page.click('.graphiql-execute-button');
        await page.waitForFunction(
          "(document.querySelector('.graphiql-response')?.textContent ?? '').includes('1.5.0')",
          undefined,
          { timeout: 30_000 },
        );
        const response = await page.textContent('.graphiql-response');
        expect(response).toContain('"version": "1.4.0"');

        expect(failures).toEqual([]);
        expect(requested.length).toBeGreaterThan(3);
        expect(requested.filter((u) => !u.startsWith(`${withExplorer}/`) && !u.startsWith('data:'))).toEqual([]);
      },
      120_000,
    );
  });
});
