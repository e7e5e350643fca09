import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../src/index.js';

const cli = fileURLToPath(new URL('../src/mint-token.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const secret = 'cli-test-secret-of-at-least-32-characters';

function mint(args: string[], env: Record<string, string> = { AUTH_JWT_SECRET: secret }) {
  return spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
}

describe('mint-token CLI', () => {
  it('prints a token that the verifier accepts, for the user and roles given', async () => {
    const run = mint(['--user', 'alice', '--roles', 'RELEASE_MANAGER,sre', '--name', 'Alice', '--expires', '2h']);
    expect(run.stderr).toBe('mint-token: signed with AUTH_JWT_SECRET\n');
    expect(run.status).toBe(0);
    const token = run.stdout.trim();
    const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });
    expect(await verifier.verify(token)).toEqual({
      subject: 'alice',
      name: 'Alice',
      roles: ['RELEASE_MANAGER', 'SRE'],
      machine: false,
    });
    const claims = decodeJwt(token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(7200);
  });

  it('mints machine tokens for CI', async () => {
    const run = mint(['--user', 'pipeline', '--roles', 'CI']);
    expect(run.status).toBe(0);
    expect(await createTokenVerifier({ secret }).verify(run.stdout.trim())).toEqual({
      subject: 'pipeline',
      roles: ['CI'],
      machine: true,
    });
  });

  it('marks --machine tokens and takes the claims from AUTH_ISSUER and AUTH_AUDIENCE', async () => {
    const run = mint(['-u', 'bot', '-r', 'DEVELOPER', '--machine'], {
      AUTH_JWT_SECRET: secret,
      AUTH_ISSUER: 'corp-idp',
      AUTH_AUDIENCE: 'flightdeck-prod',
    });
    expect(decodeJwt(run.stdout.trim())).toMatchObject({
      iss: 'corp-idp',
      aud: 'flightdeck-prod',
      sub: 'bot',
      machine: true,
    });
    const verifier = createTokenVerifier({ secret, issuer: 'corp-idp', audience: 'flightdeck-prod' });
    expect(await verifier.verify(run.stdout.trim())).toEqual({ subject: 'bot', roles: ['DEVELOPER'], machine: true });
  });

  it('without AUTH_JWT_SECRET, signs with the secret `npm start` keeps in FLIGHTDECK_DATA_DIR/jwt-secret, and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mint-token-'));
    try {
      const stackSecret = 'the-embedded-stacks-secret-0123456789abcdef';
      writeFileSync(join(dataDir, 'jwt-secret'), `${stackSecret}\n`);
      const run = mint(['--user', 'alice', '--roles', 'SRE'], { FLIGHTDECK_DATA_DIR: dataDir });
      expect(run.stderr).toBe(
        `mint-token: signed with the secret of the embedded stack in ${join(dataDir, 'jwt-secret')} (AUTH_JWT_SECRET is not set)\n`,
      );
      expect(run.status).toBe(0);
      expect(await createTokenVerifier({ secret: stackSecret }).verify(run.stdout.trim())).toEqual({
        subject: 'alice',
        roles: ['SRE'],
        machine: false,
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses unknown roles, bad durations and a missing secret, with what would be right', () => {
    const role = mint(['--user', 'alice', '--roles', 'SRE,ADMIN']);
    expect(role.status).not.toBe(0);
    expect(role.stderr).toContain(
      "unknown role 'ADMIN' (known: RELEASE_MANAGER, TECHNICAL_LEAD, QA_LEAD, PRODUCT_OWNER, DEVELOPER, SRE, BUSINESS_STAKEHOLDER, SUPPORT_LEAD, VIEWER, CI)",
    );
    const expiry = mint(['--user', 'alice', '--roles', 'SRE', '--expires', 'forever']);
    expect(expiry.status).not.toBe(0);
    expect(expiry.stderr).toContain('expected a duration like 30m, 8h or 7d');
    const empty = mkdtempSync(join(tmpdir(), 'mint-token-'));
    const noSecret = mint(['--user', 'alice', '--roles', 'SRE'], { FLIGHTDECK_DATA_DIR: empty });
    rmSync(empty, { recursive: true, force: true });
    expect(noSecret.status).toBe(1);
    expect(noSecret.stdout).toBe('');
    expect(noSecret.stderr).toBe(
      `mint-token: no secret to sign with: AUTH_JWT_SECRET is not set, and ${join(empty, 'jwt-secret')} (the embedded stack's, written by npm start) does not exist; set AUTH_JWT_SECRET to the services' secret, or FLIGHTDECK_DATA_DIR to the data directory of npm start\n`,
    );
  });

  it('explains itself with --help, including the environment it reads', () => {
    const run = mint(['--help'], {});
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: mint-token \[options\]/);
    expect(run.stdout).toMatch(/--roles <roles>/);
    expect(run.stdout).toMatch(/AUTH_JWT_SECRET +HS256 shared secret/);
    expect(run.stdout).toMatch(/FLIGHTDECK_DATA_DIR +Data directory of the embedded stack \(npm start\)/);
  });

  it('runs as the root script: npm run mint-token', async () => {
    const run = spawnSync('npm', ['run', '-s', 'mint-token', '--', '--user', 'qa', '--roles', 'QA_LEAD'], {
      cwd: root,
      env: { ...process.env, AUTH_JWT_SECRET: secret },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(0);
    expect(await createTokenVerifier({ secret }).verify(run.stdout.trim())).toEqual({
      subject: 'qa',
      roles: ['QA_LEAD'],
      machine: false,
    });
  });
});
