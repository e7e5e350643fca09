import { ConfigError, describeEnv } from '@flightdeck/config';
import { describe, expect, it } from 'vitest';
import { aiEnvSchema, aiOptionsFromEnv, createAdvisorFromEnv, InMemoryPredictionStore } from '../src/index.js';
import { loadConfig } from '@flightdeck/config';

describe('AI configuration from the environment', () => {
  it('defaults every setting and means "no AI" without AI_BASE_URL', () => {
    const env = loadConfig(aiEnvSchema, {});
    expect(env).toEqual({ AI_MODEL: 'gpt-4o-mini', AI_TIMEOUT_MS: 10_000, AI_MAX_RETRIES: 2 });
    expect(aiOptionsFromEnv(env)).toBeUndefined();
  });

  it('turns a configured endpoint into OpenAI advisor options', () => {
    const env = loadConfig(aiEnvSchema, {
      AI_BASE_URL: 'http://127.0.0.1:11434/v1',
      AI_MODEL: 'llama3.1',
      AI_TIMEOUT_MS: '30000',
      AI_MAX_RETRIES: '0',
    });
    expect(aiOptionsFromEnv(env)).toEqual({
      baseURL: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1',
      timeoutMs: 30_000,
      maxRetries: 0,
    });
  });

  it('lists every bad variable with what it expects, and hides the key', () => {
    const bad = { AI_BASE_URL: 'ftp://models', AI_TIMEOUT_MS: 'soon', AI_MAX_RETRIES: '50', AI_API_KEY: '' };
    let error: unknown;
    try {
      createAdvisorFromEnv(bad, { recorder: new InMemoryPredictionStore() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.variable).sort()).toEqual(['AI_BASE_URL', 'AI_MAX_RETRIES', 'AI_TIMEOUT_MS']);
    expect(issues.find((i) => i.variable === 'AI_BASE_URL')!.problem).toContain("'ftp://models'");
    expect(issues.find((i) => i.variable === 'AI_MAX_RETRIES')!.problem).toContain('at most 10');
    expect(issues.find((i) => i.variable === 'AI_TIMEOUT_MS')!.problem).toContain('whole number');
  });

  it('documents each variable', () => {
    const rows = describeEnv(aiEnvSchema);
    expect(rows.map((r) => r.variable)).toEqual([
      'AI_BASE_URL',
      'AI_API_KEY',
      'AI_MODEL',
      'AI_TIMEOUT_MS',
      'AI_MAX_RETRIES',
    ]);
    for (const row of rows) expect(row.description.length).toBeGreaterThan(20);
    expect(rows.every((r) => !r.required)).toBe(true);
  });
});
