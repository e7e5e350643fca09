import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, mintToken } from '@flightdeck/auth';
import { startProcess, type RunningProcess } from '@flightdeck/testing';
import { composeSupergraph } from '../src/index.js';
import { repoRoot } from '../src/paths.js';
import { createTestData, fixtureSchemas, startTestSubgraph } from './fixtures/test-subgraphs.js';

const main = join(repoRoot, 'apps/gateway/src/main.ts');
const secret = 'gateway-main-secret-at-least-32-characters';
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AUTH_|GATEWAY_|SUBGRAPH_|SUPERGRAPH_|PORT$|HOST$)/.test(k)),
  );

// Each test starts main.ts in a fresh Node process with tsx: generous timeouts for busy CI machines.
describe('apps/gateway/src/main.ts', { timeout: 120_000 }, () => {
  let dir: string;
  let supergraphPath: string;
  let subgraphs: { url: string; stop(): Promise<void> }[] = [];
  let gateway: RunningProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-main-'));
    const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });
    const data = createTestData();
    subgraphs = [
      await startTestSubgraph('releases', { repoRoot, verifier, data }),
      await startTestSubgraph('checks', { repoRoot, verifier, data }),
    ];
    const composed = composeSupergraph(
      [
        { name: 'releases', schema: fixtureSchemas.releases, url: 'http://127.0.0.1:9/graphql' },
        { name: 'checks', schema: fixtureSchemas.checks, url: 'http://127.0.0.1:9/graphql' },
      ],
      repoRoot,
    );
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composed.supergraphSdl);
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(subgraphs.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 listing every bad variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', main], {
      env: {
        ...cleanEnv(),
        SUPERGRAPH_PATH: supergraphPath,
        GATEWAY_MAX_DEPTH: 'deep',
        SUBGRAPH_CHECKS_URL: 'checks:4002',
      },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/GATEWAY_MAX_DEPTH/);
    expect(run.stderr).toMatch(/SUBGRAPH_CHECKS_URL/);
    expect(run.stderr).toMatch(/AUTH_JWT_SECRET/);
  });

  it('serves the supergraph with subgraph URLs from SUBGRAPH_<NAME>_URL, and stops on SIGTERM', async () => {
    gateway = await startProcess(process.execPath, ['--import', 'tsx', main], {
      name: 'gateway',
      env: {
        ...cleanEnv(),
        PORT: '0',
        LOG_LEVEL: 'info',
        AUTH_JWT_SECRET: secret,
        SUPERGRAPH_PATH: supergraphPath,
        SUBGRAPH_RELEASES_URL: subgraphs[0]!.url,
        SUBGRAPH_CHECKS_URL: subgraphs[1]!.url,
      },
      isReady: (out) => out.includes('gateway serving GraphQL at'),
      timeoutMs: 90_000,
    });
    const graphqlUrl = /gateway serving GraphQL at (http:\/\/\S+?\/graphql)/.exec(gateway.output())?.[1];
    expect(graphqlUrl).toBeDefined();
    const token = await mintToken({ secret, subject: 'carol', roles: ['QA_LEAD'] });
    const res = await fetch(graphqlUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query:
          'mutation { addCheck(releaseId: "r1", name: "e2e", passed: true) { checkedBy release { version checks { name } } } }',
      }),
    });
    expect(await res.json()).toEqual({
      data: {
        addCheck: {
          checkedBy: 'carol',
          release: { version: '1.4.0', checks: [{ name: 'unit tests' }, { name: 'e2e' }] },
        },
      },
    });

    const exited = new Promise<number | null>((resolve) => gateway!.child.once('exit', (code) => resolve(code)));
    gateway.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(gateway.output()).toMatch(/shutdown finished/);
  });
});
