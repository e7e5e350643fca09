import { z } from 'zod';
import type { Logger } from 'pino';
import type { Advisor } from '@flightdeck/ai';
import { ConflictError, retryOnConflict } from '@flightdeck/kernel';
import { baselineHealth, healthInput, withAdvice, type HealthAdvice } from '../domain/index.js';
import { healthAdvisedEvent } from './events.js';
import type { Clock, RolloutRepository } from './ports.js';

const answer = z.object({ recommendation: z.enum(['PROMOTE', 'HOLD', 'ROLLBACK']), rationale: z.string() });

/**
 * Asks the advisor about a finished analysis run, records its answer as a prediction and on the run. It runs
 * beside the controller, never in its way: a rollback does not wait for the AI, and the AI cannot undo one.
 */
export class DeploymentHealthAdvice {
  constructor(private readonly deps: { advisor: Advisor; rollouts: RolloutRepository; clock: Clock; logger: Logger }) {}

  async adviseOn(rolloutId: string, runId: string): Promise<HealthAdvice | undefined> {
    const { advisor, rollouts, clock, logger } = this.deps;
    const stored = await rollouts.get(rolloutId);
    const run = stored?.rollout.analysisRuns.find((a) => a.id === runId);
    if (!stored || !run) return undefined;
    const a = await advisor.advise({
      kind: 'deployment-health',
      subject: `${stored.rollout.releaseId}/${rolloutId}`,
      schema: answer,
      instructions:
        'You review one analysis run of a progressive rollout. Recommend PROMOTE (the new version is healthy), HOLD (a person should look) or ROLLBACK (it is worse than the version it replaces), from the measurements given. The metrics verdict is binding; your advice is shown to the SRE beside it.',
      input: healthInput(stored.rollout, run),
      baseline: () => baselineHealth(run),
      baselineConfidence: 0.7,
    });
    const advice: HealthAdvice = {
      recommendation: a.value.recommendation,
      rationale: a.rationale ?? a.value.rationale,
      source: a.source === 'ai' ? 'AI' : 'DETERMINISTIC',
      confidence: a.confidence,
      predictionId: a.predictionId,
      ...(a.fallbackReason ? { fallbackReason: a.fallbackReason } : {}),
    };
    try {
      await retryOnConflict(async (attempt) => {
        const current = attempt === 1 ? stored : await rollouts.get(rolloutId);
        // The advice is published with it, so analytics can score it against the rollout's outcome.
        if (current)
          await rollouts.save(withAdvice(current.rollout, runId, advice, clock.now()), current.revision, [
            healthAdvisedEvent(current.rollout, runId, advice, clock.now()),
          ]);
      });
      logger.info(
        { rolloutId, runId, advice },
        `rollout ${rolloutId}: ${advice.source.toLowerCase()} advice ${advice.recommendation} for run ${runId}`,
      );
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      logger.warn(
        { rolloutId, runId },
        `rollout ${rolloutId}: could not record the advice on run ${runId} after 5 conflicting writes`,
      );
    }
    return advice;
  }
}
