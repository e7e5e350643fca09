import type { Logger } from 'pino';
import type { Advisor } from './advice.js';
import { DeterministicAdvisor } from './deterministic-advisor.js';
import { FallbackAdvisor } from './fallback-advisor.js';
import { OpenAIAdvisor, type OpenAIAdvisorOptions } from './openai-advisor.js';
import type { PredictionRecorder } from './predictions/prediction.js';
import { RecordingAdvisor } from './recording-advisor.js';

export interface AdvisorDeps {
  recorder: PredictionRecorder;
  logger?: Pick<Logger, 'warn'>;
  now?: () => Date;
}

/**
 * The advisor a service uses: the AI with the baseline as fallback when `ai` is given, the baseline
 * alone otherwise (each advice then says why); every advice is recorded as a prediction.
 */
export function createAdvisor(
  ai: OpenAIAdvisorOptions | undefined,
  deps: AdvisorDeps,
  whyNoAi = 'no AI endpoint is configured',
): Advisor {
  const inner = ai ? new FallbackAdvisor(new OpenAIAdvisor(ai), deps.logger) : new DeterministicAdvisor(whyNoAi);
  return new RecordingAdvisor(inner, deps.recorder, deps.now);
}
