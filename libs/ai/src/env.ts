import { envInt, envString, envUrl, loadConfig } from '@flightdeck/config';
import { z } from 'zod';
import type { Advisor } from './advice.js';
import { createAdvisor, type AdvisorDeps } from './create-advisor.js';
import type { OpenAIAdvisorOptions } from './openai-advisor.js';

/**
 * The AI settings, to spread into a service's config schema: z.object({ ...httpEnv, ...aiEnv }).
 * Every one is optional: without AI_BASE_URL the deterministic baselines answer, and each advice says so.
 */
export const aiEnv = {
  AI_BASE_URL: envUrl(
    'OpenAI-compatible API base URL including /v1 (e.g. https://api.openai.com/v1, Azure https://<resource>.openai.azure.com/openai/v1, vLLM or Ollama http://127.0.0.1:11434/v1); unset: deterministic advice only',
    ['https:', 'http:'],
  ).optional(),
  AI_API_KEY: envString(
    'API key sent as Authorization: Bearer <key>; leave unset for endpoints without authentication (vLLM, Ollama)',
  ).optional(),
  AI_MODEL: envString(
    'Model (or Azure deployment) name; it must support structured outputs (JSON schema response format)',
  ).default('gpt-4o-mini'),
  AI_TIMEOUT_MS: envInt('Milliseconds one AI request attempt may take before it is abandoned', {
    min: 1,
    max: 600_000,
  }).default(10_000),
  AI_MAX_RETRIES: envInt(
    'Retries after a connection error, timeout, 408, 409, 429 or 5xx answer, before falling back to the baseline',
    {
      min: 0,
      max: 10,
    },
  ).default(2),
};

export const aiEnvSchema = z.object(aiEnv);
export type AiEnv = z.output<typeof aiEnvSchema>;

/** The OpenAI advisor settings, or undefined when no endpoint is configured. */
export function aiOptionsFromEnv(env: AiEnv): OpenAIAdvisorOptions | undefined {
  if (!env.AI_BASE_URL) return undefined;
  return {
    baseURL: env.AI_BASE_URL,
    ...(env.AI_API_KEY ? { apiKey: env.AI_API_KEY } : {}),
    model: env.AI_MODEL,
    timeoutMs: env.AI_TIMEOUT_MS,
    maxRetries: env.AI_MAX_RETRIES,
  };
}

/**
 * The advisor configured by AI_BASE_URL, AI_API_KEY, AI_MODEL, AI_TIMEOUT_MS and AI_MAX_RETRIES.
 * Throws ConfigError (from @flightdeck/config) listing every bad variable and what it expects.
 */
export function createAdvisorFromEnv(env: NodeJS.ProcessEnv, deps: AdvisorDeps): Advisor {
  return createAdvisor(
    aiOptionsFromEnv(loadConfig(aiEnvSchema, env)),
    deps,
    'no AI endpoint is configured (AI_BASE_URL is not set)',
  );
}
