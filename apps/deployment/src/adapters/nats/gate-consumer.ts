import { gateEvaluationCompleted, type EventBus, type Subscription } from '@flightdeck/events';
import type { Logger } from 'pino';
import type { GateOutcomes } from '../../application/ports.js';

export const GATES_DURABLE = 'deployment-gates';

/** Gate evaluations into the clearance projection; idempotent, so redeliveries are harmless. */
export function consumeGateEvaluations(
  bus: EventBus,
  outcomes: GateOutcomes,
  logger: Logger,
  durable = GATES_DURABLE,
): Promise<Subscription> {
  return bus.subscribe({
    durable,
    filter: gateEvaluationCompleted.type,
    handler: async (event) => {
      if (!gateEvaluationCompleted.is(event)) return;
      const d = event.data;
      await outcomes.record(d.releaseId, d.gate, d.outcome, d.evaluationId, d.evaluatedAt);
      logger.info(
        { eventId: event.id, releaseId: d.releaseId, gate: d.gate, outcome: d.outcome },
        `release ${d.releaseId}: gate ${d.gate} is ${d.outcome}`,
      );
    },
  });
}
