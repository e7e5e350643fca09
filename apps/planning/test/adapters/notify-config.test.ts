import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@flightdeck/config';
import { planningConfigSchema } from '../../src/config.js';

const base = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/flightdeck-planning',
  NATS_URL: 'nats://127.0.0.1:4222',
  AUTH_JWT_SECRET: 'a-local-secret-of-at-least-32-characters',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(planningConfigSchema, { ...base, ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.variable}: ${i.problem}`);
    throw e;
  }
  return [];
}

describe('the notification settings of planning', () => {
  it('have defaults and read the SMTP server, sender and link base', () => {
    expect(loadConfig(planningConfigSchema, base)).toMatchObject({
      NOTIFY_TIMEOUT_MS: 10_000,
      NOTIFY_MAX_ATTEMPTS: 6,
      NOTIFY_RETRY_BASE_MS: 30_000,
    });
    const c = loadConfig(planningConfigSchema, {
      ...base,
      NOTIFY_SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
      NOTIFY_EMAIL_FROM: 'Flightdeck <flightdeck@example.com>',
      NOTIFY_LINK_BASE_URL: 'https://flightdeck.example.com',
    });
    expect(c.NOTIFY_SMTP_URL).toBe('smtps://mailer:pw@smtp.example.com:465');
    expect(c.NOTIFY_EMAIL_FROM).toBe('Flightdeck <flightdeck@example.com>');
  });

  it('refuse an SMTP URL of another scheme, an SMTP server without a sender, and zero attempts, naming each', () => {
    expect(problems({ NOTIFY_SMTP_URL: 'http://smtp.example.com' })).toEqual([
      expect.stringMatching(/^NOTIFY_SMTP_URL: invalid value .*must be a URL starting with smtp:\/\/ or smtps:\/\//),
      'NOTIFY_EMAIL_FROM: missing, and NOTIFY_SMTP_URL is set',
    ]);
    expect(problems({ NOTIFY_SMTP_URL: 'smtp://smtp.example.com:587' })).toEqual([
      'NOTIFY_EMAIL_FROM: missing, and NOTIFY_SMTP_URL is set',
    ]);
    expect(problems({ NOTIFY_MAX_ATTEMPTS: '0' })).toEqual([
      expect.stringMatching(/^NOTIFY_MAX_ATTEMPTS: invalid value/),
    ]);
  });
});
