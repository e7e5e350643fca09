import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  authEnv,
  describeEnv,
  envMarkdownTable,
  formatEnvHelp,
  httpEnv,
  loggingEnv,
  mongoEnv,
  natsEnv,
  shutdownEnv,
} from '../src/index.js';

const all = z.object({ ...httpEnv, ...loggingEnv, ...mongoEnv, ...natsEnv, ...authEnv, ...shutdownEnv });

describe('describeEnv', () => {
  it('describes every shared variable, with its default and whether it is required', () => {
    const rows = describeEnv(all);
    expect(rows.map((r) => r.variable)).toEqual([
      'HOST',
      'PORT',
      'LOG_LEVEL',
      'MONGODB_URI',
      'NATS_URL',
      'AUTH_JWT_SECRET',
      'AUTH_JWKS_URL',
      'AUTH_ISSUER',
      'AUTH_AUDIENCE',
      'SHUTDOWN_DEADLINE_MS',
    ]);
    for (const row of rows) expect(row.description.length, row.variable).toBeGreaterThan(10);
    const by = Object.fromEntries(rows.map((r) => [r.variable, r]));
    expect(by.HOST).toMatchObject({ default: '127.0.0.1', required: false });
    expect(by.PORT).toMatchObject({ default: undefined, required: true });
    expect(by.SHUTDOWN_DEADLINE_MS).toMatchObject({ default: '10000', required: false });
    expect(by.AUTH_JWKS_URL).toMatchObject({ default: undefined, required: false });
  });

  it('keeps the description when a service overrides a default', () => {
    const s = z.object({ ...httpEnv, PORT: httpEnv.PORT.default(4001) });
    expect(describeEnv(s)[1]).toEqual({
      variable: 'PORT',
      description: expect.stringMatching(/TCP port/),
      default: '4001',
      required: false,
    });
  });

  it('formats --help text and a README table', () => {
    expect(formatEnvHelp(all)).toMatch(
      /^Environment variables:\n {2}HOST +Network interface .* \(default: 127\.0\.0\.1\)$/m,
    );
    expect(formatEnvHelp(all)).toMatch(/MONGODB_URI +MongoDB connection string.*\(required\)/);
    const table = envMarkdownTable(all).split('\n');
    expect(table[0]).toBe('| variable | description | default | required |');
    expect(table).toContain(`| \`PORT\` | ${describeEnv(all)[1]?.description} |  | yes |`);
  });
});
