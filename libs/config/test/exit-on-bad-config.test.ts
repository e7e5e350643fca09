import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./fixtures/service-main.ts', import.meta.url));

function runService(env: Record<string, string>) {
  // A clean environment: only what the test gives, plus PATH for node itself.
  return spawnSync(process.execPath, ['--import', 'tsx', main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
}

describe('loadConfigOrExit in a service process', () => {
  it('exits 1 before starting, listing every offending variable on stderr', () => {
    const run = runService({ PORT: 'http', NATS_URL: 'localhost:4222', SHUTDOWN_DEADLINE_MS: 'soon' });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('started');
    expect(run.stderr).toContain('fixture-service: invalid configuration, 5 environment variables to fix:');
    expect(run.stderr).toContain("PORT: invalid value 'http': must be a whole number between 0 and 65535");
    expect(run.stderr).toContain('MONGODB_URI: missing (required, no default)');
    expect(run.stderr).toContain("NATS_URL: invalid value 'localhost:4222'");
    expect(run.stderr).toContain("SHUTDOWN_DEADLINE_MS: invalid value 'soon'");
    expect(run.stderr).toMatch(
      /AUTH_JWT_SECRET: missing, and AUTH_JWKS_URL is not set either\n\s+expected: exactly one of/,
    );
  });

  it('starts when the configuration is good', () => {
    const run = runService({
      PORT: '0',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/x',
      NATS_URL: 'nats://127.0.0.1:4222',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      SHUTDOWN_DEADLINE_MS: '2000',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ started: true, port: 0, deadline: 2000 });
  });
});
