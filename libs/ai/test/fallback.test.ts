import { startOpenAIStub, type OpenAIStub } from '@flightdeck/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdvisor, createAdvisorFromEnv, InMemoryPredictionStore } from '../src/index.js';
import { aiAnswer, baselineRisk, riskRequest } from './helpers.js';

let stub: OpenAIStub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

const ai = (url: string, overrides: { timeoutMs?: number; maxRetries?: number } = {}) => ({
  baseURL: url,
  model: 'gpt-test',
  timeoutMs: 5_000,
  maxRetries: 0,
  ...overrides,
});

describe('the advisor falls back to the deterministic baseline and says why', () => {
  it('uses the AI answer when it is valid', async () => {
    stub = await startOpenAIStub({ responses: [{ json: aiAnswer }] });
    const advice = await createAdvisor(ai(stub.url), { recorder: new InMemoryPredictionStore() }).advise(riskRequest());
    expect(advice).toMatchObject({ source: 'ai', value: aiAnswer.value, model: 'gpt-test' });
    expect(advice.fallbackReason).toBeUndefined();
  });

  it('on HTTP 500', async () => {
    stub = await startOpenAIStub({ responses: [], failWith: { status: 500, message: 'upstream exploded' } });
    const advice = await createAdvisor(ai(stub.url), { recorder: new InMemoryPredictionStore() }).advise(riskRequest());
    expect(advice).toMatchObject({ source: 'deterministic', value: baselineRisk, confidence: 0.6 });
    expect(advice.model).toBeUndefined();
    expect(advice.fallbackReason).toBe(
      'the AI was not used: the AI endpoint answered HTTP 500 (1 attempt): 500 upstream exploded',
    );
  });

  it('on a timeout', async () => {
    stub = await startOpenAIStub({ responses: [{ json: aiAnswer }], delayMs: 2_000 });
    const advice = await createAdvisor(ai(stub.url, { timeoutMs: 150 }), {
      recorder: new InMemoryPredictionStore(),
    }).advise(riskRequest());
    expect(advice).toMatchObject({ source: 'deterministic', value: baselineRisk });
    expect(advice.fallbackReason).toBe('the AI was not used: the AI endpoint did not answer within 150 ms (1 attempt)');
  });

  it('on an answer that violates the schema', async () => {
    stub = await startOpenAIStub({
      responses: [{ json: { ...aiAnswer, value: { level: 'high', slipDays: -2, reasons: [] } } }],
    });
    const advice = await createAdvisor(ai(stub.url), { recorder: new InMemoryPredictionStore() }).advise(riskRequest());
    expect(advice).toMatchObject({ source: 'deterministic', value: baselineRisk });
    expect(advice.fallbackReason).toMatch(
      /^the AI was not used: the answer did not match the timeline-risk schema: value\.slipDays: /,
    );
  });

  it('on an endpoint nobody listens on', async () => {
    stub = await startOpenAIStub({ responses: [] });
    const url = stub.url;
    await stub.stop();
    stub = undefined;
    const advice = await createAdvisor(ai(url), { recorder: new InMemoryPredictionStore() }).advise(riskRequest());
    expect(advice.source).toBe('deterministic');
    expect(advice.fallbackReason).toContain(`could not reach the AI endpoint at ${url} (1 attempt)`);
  });

  it('when no endpoint is configured', async () => {
    const advice = await createAdvisorFromEnv(
      { AI_MODEL: 'gpt-test' },
      { recorder: new InMemoryPredictionStore() },
    ).advise(riskRequest());
    expect(advice).toMatchObject({ source: 'deterministic', value: baselineRisk, confidence: 0.6 });
    expect(advice.fallbackReason).toBe('no AI endpoint is configured (AI_BASE_URL is not set)');
  });

  it('uses the endpoint from the environment when AI_BASE_URL is set', async () => {
    stub = await startOpenAIStub({ responses: [{ json: aiAnswer }], apiKey: 'env-key' });
    const env = {
      AI_BASE_URL: stub.url,
      AI_API_KEY: 'env-key',
      AI_MODEL: 'llama3.1',
      AI_TIMEOUT_MS: '2000',
      AI_MAX_RETRIES: '0',
    };
    const advice = await createAdvisorFromEnv(env, { recorder: new InMemoryPredictionStore() }).advise(riskRequest());
    expect(advice).toMatchObject({ source: 'ai', model: 'llama3.1', value: aiAnswer.value });
    expect((stub.requests[0]!.body as { model: string }).model).toBe('llama3.1');
  });

  it('still fails loudly when the baseline itself does not fit the schema (a programming error)', async () => {
    const advisor = createAdvisorFromEnv({}, { recorder: new InMemoryPredictionStore() });
    await expect(advisor.advise(riskRequest({ baseline: () => ({ level: 'unknown' }) as never }))).rejects.toThrow(
      /level/,
    );
  });
});
