import { RuleError } from '@flightdeck/kernel';
import type { Outcome } from '../domain/index.js';
import { nameOf, shown, type GateChanges, type GateView } from './gate-changes.js';
import type { Actor } from './ports.js';

/** A Release Manager's hand on a gate's outcome, kept in the audit trail as an override. */
export class GateOverrides {
  constructor(private readonly changes: GateChanges) {}

  /** The gate is evaluated as usual, the result keeps every criterion as measured, and the outcome is replaced. */
  override(ref: string, gate: string, outcome: Outcome, reason: string, actor: Actor): Promise<GateView> {
    if (!reason.trim()) throw new RuleError('say why the outcome is overridden (reason)', 'reason');
    const trigger = `override to ${outcome} by ${shown(actor)}`;
    return this.changes.change(
      ref,
      gate,
      actor,
      trigger,
      () => ({ events: [], audit: [] }),
      (evaluation) => {
        const measured = evaluation.outcome;
        evaluation.override = { by: actor.subject, ...nameOf('byName', actor), reason, measuredOutcome: measured };
        evaluation.outcome = outcome;
        evaluation.reasons = [
          `overridden to ${outcome} by ${shown(actor)} (measured ${measured}): ${reason}`,
          ...evaluation.reasons,
        ];
        return this.changes.audit(actor, 'GATE_OVERRIDDEN', '', `${measured} overridden to ${outcome}`, {
          releaseId: evaluation.releaseId,
          gate,
          why: reason,
        });
      },
    );
  }
}
