import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  authEnv,
  envBoolean,
  httpEnv,
  loadConfig,
  loggingEnv,
  mongoEnv,
  natsEnv,
  shutdownEnv,
} from '../src/index.js';

const schema = z.object({ ...httpEnv, ...loggingEnv, ...mongoEnv, ...natsEnv, ...authEnv, ...shutdownEnv });
const good = {
  PORT: '4001',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/planning',
  NATS_URL: 'nats://127.0.0.1:4222',
  AUTH_JWT_SECRET: 's'.repeat(32),
};

function issuesOf(fn: () => unknown): ConfigError['issues'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns typed values with the defaults filled in', () => {
    const config = loadConfig(schema, good);
    expect(config).toEqual({
      HOST: '127.0.0.1',
      PORT: 4001,
      LOG_LEVEL: 'info',
      MONGODB_URI: good.MONGODB_URI,
      NATS_URL: good.NATS_URL,
      AUTH_JWT_SECRET: good.AUTH_JWT_SECRET,
      AUTH_JWKS_URL: undefined,
      AUTH_ISSUER: 'flightdeck',
      AUTH_AUDIENCE: 'flightdeck',
      SHUTDOWN_DEADLINE_MS: 10_000,
    });
  });

  it('lists every bad and missing variable at once, each with what it expects', () => {
    const issues = issuesOf(() =>
      loadConfig(schema, { PORT: 'eighty', LOG_LEVEL: 'loud', SHUTDOWN_DEADLINE_MS: '5', NATS_URL: 'http://x' }),
    );
    expect(issues.map((i) => i.variable).sort()).toEqual([
      'AUTH_JWT_SECRET',
      'LOG_LEVEL',
      'MONGODB_URI',
      'NATS_URL',
      'PORT',
      'SHUTDOWN_DEADLINE_MS',
    ]);
    const by = Object.fromEntries(issues.map((i) => [i.variable, i]));
    expect(by.PORT?.problem).toBe("invalid value 'eighty': must be a whole number between 0 and 65535");
    expect(by.PORT?.expected).toMatch(/TCP port/);
    expect(by.MONGODB_URI?.problem).toMatch(/^missing/);
    expect(by.MONGODB_URI?.expected).toMatch(/MongoDB connection string/);
    expect(by.LOG_LEVEL?.problem).toMatch(/must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(by.SHUTDOWN_DEADLINE_MS?.problem).toMatch(/must be at least 100/);
    expect(by.NATS_URL?.problem).toMatch(/nats:\/\//);
    expect(by.AUTH_JWT_SECRET?.expected).toMatch(/AUTH_JWKS_URL/);
  });

  it('puts every variable in the error message', () => {
    expect(() => loadConfig(schema, {})).toThrow(/PORT: missing[\s\S]*MONGODB_URI: missing[\s\S]*NATS_URL: missing/);
  });

  it('treats an empty value as unset, so the default applies', () => {
    expect(loadConfig(schema, { ...good, HOST: '', LOG_LEVEL: '  ' }).HOST).toBe('127.0.0.1');
  });

  it('never prints secrets or URL passwords', () => {
    const error = (() => {
      try {
        loadConfig(schema, {
          ...good,
          AUTH_JWT_SECRET: 'short-secret-value',
          MONGODB_URI: 'postgres://admin:hunter2@db/x',
        });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toMatch(/AUTH_JWT_SECRET: invalid value \(hidden\): must be at least 32 characters/);
    expect(error?.message).toContain("'postgres://admin:***@db/x'");
    expect(error?.message).not.toContain('short-secret-value');
    expect(error?.message).not.toContain('hunter2');
  });

  it('requires exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL', () => {
    const jwks = loadConfig(schema, {
      ...good,
      AUTH_JWT_SECRET: undefined,
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
    });
    expect(jwks.AUTH_JWKS_URL).toBe('https://idp.example/.well-known/jwks.json');
    const both = issuesOf(() => loadConfig(schema, { ...good, AUTH_JWKS_URL: 'https://idp.example/jwks' }));
    expect(both).toEqual([
      expect.objectContaining({ variable: 'AUTH_JWKS_URL', problem: 'set together with AUTH_JWT_SECRET' }),
    ]);
    const neither = issuesOf(() => loadConfig(schema, { ...good, AUTH_JWT_SECRET: undefined }));
    expect(neither).toEqual([expect.objectContaining({ variable: 'AUTH_JWT_SECRET' })]);
  });

  it('applies the auth rule only to schemas that include the auth variables', () => {
    const noAuth = z.object({ ...httpEnv });
    expect(loadConfig(noAuth, { PORT: '0' })).toEqual({ HOST: '127.0.0.1', PORT: 0 });
  });

  it('parses booleans from the usual spellings and refuses others', () => {
    const s = z.object({ DRY_RUN: envBoolean('Only print what would change') });
    expect(loadConfig(s, { DRY_RUN: 'yes' }).DRY_RUN).toBe(true);
    expect(loadConfig(s, { DRY_RUN: '0' }).DRY_RUN).toBe(false);
    expect(issuesOf(() => loadConfig(s, { DRY_RUN: 'maybe' }))[0]?.problem).toMatch(/must be true or false/);
  });
});
