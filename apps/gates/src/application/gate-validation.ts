import { z } from 'zod';
import type { Advice, Advisor } from '@flightdeck/ai';
import { RuleError } from '@flightdeck/kernel';
import { gateValidationBaseline, type GateValidation } from '../domain/gate-validation.js';
import { gateValidationEvent } from './events.js';
import type { GateChanges, GatesDeps } from './gate-changes.js';
import type { Actor } from './ports.js';

const verdict = z.enum(['PASS', 'FAIL', 'CONDITIONAL']);
const gateValidation = z.object({
  verdict,
  criteria: z.array(z.object({ criterionId: z.string(), name: z.string(), verdict, risk: z.string() })),
  risksOfProceeding: z.array(z.string()),
}) satisfies z.ZodType<GateValidation>;

const INSTRUCTIONS =
  'Validate this quality gate: for each criterion say PASS, FAIL or CONDITIONAL with the risk it leaves, give the verdict for the gate ' +
  '(the outcome you expect it to settle at) and list, one sentence each, the risks of proceeding now.';

export interface ValidationResult {
  releaseId: string;
  gate: string;
  /** The gate's latest measured (or overridden) outcome the validation started from. */
  evaluatedOutcome: GateValidation['verdict'];
  advice: Advice<GateValidation>;
  at: Date;
}

/**
 * Validates a gate's latest evaluation criterion by criterion, through the advisor with the deterministic validation as
 * fallback; recorded as a gate-validation prediction and published (flightdeck.gates.validation.advised) so analytics
 * scores its verdict against the gate's next outcome.
 */
export class GateValidations {
  constructor(
    private readonly deps: GatesDeps & { advisor: Advisor },
    private readonly changes: GateChanges,
  ) {}

  async validate(ref: string, gate: string, actor: Actor): Promise<ValidationResult> {
    const release = await this.changes.release(ref);
    const definition = await this.changes.definitionFor(release, gate);
    const latest = (await this.deps.store.state(release.id, definition.name))?.state.evaluations.at(-1);
    if (!latest)
      throw new RuleError(
        `gate ${definition.name} of ${release.product}@${release.version} has not been evaluated yet: submit evidence or run evaluateGate first`,
        'gate',
      );
    const baseline = gateValidationBaseline(latest);
    const advice = await this.deps.advisor.advise({
      kind: 'gate-validation',
      subject: `${release.id}/${definition.name}`,
      schema: gateValidation,
      instructions: INSTRUCTIONS,
      input: {
        release: { product: release.product, version: release.version, type: release.type },
        gate: definition.name,
        outcome: latest.outcome,
        criteria: latest.criteria.map((c) => ({
          criterionId: c.criterionId,
          name: c.name,
          hard: c.hard,
          result: c.result,
          measured: c.measured,
          threshold: c.threshold,
          explanation: c.explanation,
        })),
        approvals: latest.approvals,
        ...(latest.override
          ? { override: { reason: latest.override.reason, measured: latest.override.measuredOutcome } }
          : {}),
        deterministic: baseline,
      },
      baseline: () => baseline,
      baselineConfidence: 0.7,
    });
    const at = this.deps.clock.now();
    const what = `${definition.name}: ${advice.value.verdict} (${advice.source}, confidence ${advice.confidence.toFixed(2)})`;
    await this.deps.store.recordAdvice(
      release.id,
      this.changes.audit(actor, 'GATE_VALIDATED', release.product, what, {
        releaseId: release.id,
        gate: definition.name,
      }),
      [gateValidationEvent(release.id, definition.name, advice, actor, at)],
    );
    return { releaseId: release.id, gate: definition.name, evaluatedOutcome: latest.outcome, advice, at };
  }
}
