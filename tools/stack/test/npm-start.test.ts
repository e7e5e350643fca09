import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, type RunningProcess } from '@flightdeck/testing';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function startEmbedded(dataDir: string, port: number): Promise<RunningProcess> {
  return startProcess(join(repoRoot, 'node_modules/.bin/tsx'), ['tools/stack/src/main.ts'], {
    name: 'npm start',
    timeoutMs: 60_000,
    env: { ...process.env, PORT: String(port), FLIGHTDECK_DATA_DIR: dataDir, LOG_LEVEL: 'warn', MONGODB_URI: '', NATS_URL: '' },
    isReady: (out) => /Bearer \S+/.test(out),
    cwd: repoRoot,
  });
}

function tokenFrom(output: string): string {
  const match = /Bearer (\S+)/.exec(output);
  if (!match?.[1]) throw new Error(`no token printed:\n${output}`);
  return match[1];
}

async function graphql(url: string, token: string | undefined, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('npm start (the embedded stack)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('serves the supergraph through the gateway and keeps data across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'flightdeck-stack-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;

    let stack = await startEmbedded(dataDir, port);
    cleanup.push(() => stack.stop());
    expect(stack.output()).toContain(`GraphQL: ${url}`);
    const token = tokenFrom(stack.output());

    const anonymous = await graphql(url, undefined, 'mutation { createRelease(input: { product: "shop", version: "1.0.0", theme: "t", owner: "o", targetDate: "2027-03-01T00:00:00Z" }) { id } }');
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const created = await graphql(
      url,
      token,
      'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id version type status } }',
      { input: { product: 'shop', version: '1.0.0', theme: 'First release', owner: 'alice', targetDate: '2027-03-01T00:00:00Z' } },
    );
    expect(created.body.errors).toBeUndefined();
    const release = created.body.data?.createRelease as { id: string; version: string; type: string; status: string };
    expect(release).toMatchObject({ version: '1.0.0', type: 'MAJOR', status: 'PLANNING' });

    // The gates service learns the release from planning's event over the in-process bus.
    let gates: { name: string }[] = [];
    for (let i = 0; i < 80 && gates.length === 0; i++) {
      const res = await graphql(url, token, 'query($id: ID!) { release(id: $id) { gates { name } } }', { id: release.id });
      gates = ((res.body.data?.release as { gates?: { name: string }[] } | undefined)?.gates ?? []);
      if (gates.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(gates.map((g) => g.name)).toEqual(['FEATURE_COMPLETE', 'ALPHA', 'BETA', 'PRODUCTION']);

    // One query reads all four subgraphs: planning owns the release, the others extend it.
    const whole = await graphql(url, token, 'query($id: ID!) { release(id: $id) { version gates { name } rollouts { id } metrics { productionRollouts } } }', { id: release.id });
    expect(whole.body.errors).toBeUndefined();
    expect(whole.body.data?.release).toMatchObject({ version: '1.0.0', rollouts: [] });

    const health = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(health.status).toBe(200);

    await stack.stop();
    stack = await startEmbedded(dataDir, port);
    // The signing secret is kept in the data directory, so the first token still works after a restart.
    const again = await graphql(url, token, 'query($id: ID!) { release(id: $id) { id version theme } }', { id: release.id });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.release).toEqual({ id: release.id, version: '1.0.0', theme: 'First release' });
  });
});
