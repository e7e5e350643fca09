import type { EventBus, Subscription } from '@flightdeck/events';
import type { Logger } from 'pino';
import { applyPlanningEvent, CONSUMED_EVENT_TYPES } from '../../application/planning-events.js';
import type { GatesStore } from '../../application/ports.js';

export const PLANNING_DURABLE = 'gates-planning';

/** Keeps gates' release projection from planning's events on a durable consumer; redeliveries are idempotent. */
export async function consumePlanningEvents(
  bus: EventBus,
  store: GatesStore,
  logger: Logger,
  durable = PLANNING_DURABLE,
  onScopeChanged?: (releaseId: string, why: string) => Promise<unknown>,
): Promise<Subscription> {
  return bus.subscribe({
    durable,
    filter: CONSUMED_EVENT_TYPES,
    handler: async (event, ctx) => {
      const result = await applyPlanningEvent(store, event, onScopeChanged);
      logger.debug(
        { eventId: event.id, type: event.type, release: event.subject, result, delivery: ctx.deliveryCount },
        'planning event applied to the release projection',
      );
    },
  });
}
