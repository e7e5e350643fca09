// Brings in the typing of inject('natsUrl') and inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { databaseUri, startProcess } from '@flightdeck/testing';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const tsx = ['--import', 'tsx', main];

describe('gates main, run alone from the environment', () => {
  it('--help lists its environment variables', () => {
    const r = spawnSync(process.execPath, [...tsx, '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    for (const v of ['MONGODB_URI', 'NATS_URL', 'AUTH_JWT_SECRET', 'PROMETHEUS_URL', 'EVIDENCE_MAX_BYTES'])
      expect(r.stdout).toContain(v);
  });

  it('exits 1 naming every bad variable', () => {
    const r = spawnSync(process.execPath, tsx, {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH, MONGODB_URI: 'http://nope', EVIDENCE_MAX_BYTES: 'lots' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('MONGODB_URI');
    expect(r.stderr).toContain('EVIDENCE_MAX_BYTES');
    expect(r.stderr).toContain('NATS_URL');
  });

  it('serves /readyz once connected, and stops cleanly on SIGTERM', async () => {
    const env = {
      PATH: process.env.PATH,
      PORT: '0',
      LOG_LEVEL: 'info',
      MONGODB_URI: databaseUri(inject('mongoUri'), 'gates-main'),
      NATS_URL: inject('natsUrl'),
      AUTH_JWT_SECRET: 'a-local-secret-of-at-least-32-characters!',
      GATES_CONSUMER: `gates-main-${process.pid}`,
    };
    const proc = await startProcess(process.execPath, tsx, {
      name: 'gates',
      env,
      timeoutMs: 40_000,
      isReady: (out) => /gates serving GraphQL at http:\/\/127\.0\.0\.1:\d+\/graphql/.test(out),
    });
    try {
      const url = /gates serving GraphQL at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(proc.output())![1]!;
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ gateDefinitions(product: "shop") { name version } }' }),
      });
      expect(
        ((await res.json()) as { data: { gateDefinitions: { name: string }[] } }).data.gateDefinitions.map(
          (g) => g.name,
        ),
      ).toEqual(['FEATURE_COMPLETE', 'HOTFIX', 'ALPHA', 'BETA', 'PRODUCTION']);
    } finally {
      await proc.stop('SIGTERM');
    }
    expect({ code: proc.child.exitCode, signal: proc.child.signalCode, out: proc.output().slice(-1500) }).toMatchObject(
      { code: 0, signal: null },
    );
    expect(proc.output()).toMatch(/shutdown finished/);
  });
});
