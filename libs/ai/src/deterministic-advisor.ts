import { randomUUID } from 'node:crypto';
import { DEFAULT_BASELINE_CONFIDENCE, type Advice, type AdviceRequest, type Advisor } from './advice.js';

/** Answers with the request's own baseline; works offline. */
export class DeterministicAdvisor implements Advisor {
  /** @param reason why no AI is used, e.g. "no AI endpoint is configured (AI_BASE_URL is not set)". */
  constructor(private readonly reason?: string) {}

  async advise<T>(request: AdviceRequest<T>): Promise<Advice<T>> {
    return baselineAdvice(request, this.reason);
  }
}

/** The request's baseline as advice, validated against the request's schema like any AI answer. */
export async function baselineAdvice<T>(request: AdviceRequest<T>, fallbackReason?: string): Promise<Advice<T>> {
  const value = request.schema.parse(await request.baseline());
  return {
    value,
    source: 'deterministic',
    confidence: request.baselineConfidence ?? DEFAULT_BASELINE_CONFIDENCE,
    ...(fallbackReason ? { fallbackReason } : {}),
    predictionId: randomUUID(),
  };
}
