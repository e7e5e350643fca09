import type { EventBus, Subscription } from '@flightdeck/events';
import { runWithContext } from '@flightdeck/telemetry';
import type { Logger } from 'pino';
import type { Projector } from '../../application/projector.js';

export const PROJECTION_DURABLE = 'analytics-projections';

/**
 * Every Flightdeck event feeds the projections. Order does not matter (facts commute), so several
 * handlers run at once; a thrown error asks for a redelivery.
 */
export function consumeEvents(
  bus: EventBus,
  projector: Projector,
  logger: Logger,
  durable = PROJECTION_DURABLE,
  concurrency = 8,
): Promise<Subscription> {
  return bus.subscribe({
    durable,
    filter: 'flightdeck.>',
    concurrency,
    handler: (event, ctx) =>
      runWithContext({ requestId: event.id, correlationId: event.correlationid ?? event.id }, async () => {
        const outcome = await projector.handle(event);
        logger.debug(
          { eventId: event.id, type: event.type, deliveryCount: ctx.deliveryCount, outcome },
          `${event.type} ${outcome}`,
        );
      }),
  });
}
