import type { EventBus, Subscription } from '@flightdeck/events';
import { runWithContext } from '@flightdeck/telemetry';
import type { Logger } from 'pino';
import { CONSUMED_EVENT_TYPES, type ReleaseSignals } from '../../application/release-signals.js';

export const SIGNALS_DURABLE = 'planning-release-signals';

/** Consumes gate evaluations and rollouts into the releases' projection; a thrown error asks for a redelivery. */
export function consumeReleaseSignals(
  bus: EventBus,
  signals: ReleaseSignals,
  logger: Logger,
  durable = SIGNALS_DURABLE,
): Promise<Subscription> {
  return bus.subscribe({
    durable,
    filter: CONSUMED_EVENT_TYPES,
    handler: (event, ctx) =>
      runWithContext({ requestId: event.id, correlationId: event.correlationid ?? event.id }, async () => {
        const outcome = await signals.handle(event);
        logger.info(
          { eventId: event.id, type: event.type, deliveryCount: ctx.deliveryCount, outcome },
          `${event.type} ${outcome}`,
        );
      }),
  });
}
