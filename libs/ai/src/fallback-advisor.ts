import type { Logger } from 'pino';
import type { Advice, AdviceRequest, Advisor } from './advice.js';
import { baselineAdvice } from './deterministic-advisor.js';

/** Asks the AI first and answers with the baseline on any error, timeout or invalid answer, saying why. */
export class FallbackAdvisor implements Advisor {
  constructor(
    private readonly ai: Advisor,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  async advise<T>(request: AdviceRequest<T>): Promise<Advice<T>> {
    try {
      return await this.ai.advise(request);
    } catch (error) {
      const reason = `the AI was not used: ${error instanceof Error ? error.message : String(error)}`;
      this.logger?.warn(
        { kind: request.kind, subject: request.subject, reason },
        `AI ${request.kind} advice for ${request.subject} failed; using the deterministic baseline`,
      );
      return baselineAdvice(request, reason);
    }
  }
}
