import type { EventBus, Subscription } from '@flightdeck/events';
import { runWithContext } from '@flightdeck/telemetry';
import type { Logger } from 'pino';
import { NOTIFYING_EVENT_TYPES, type Notifications } from '../../application/notifications.js';

/** The consumer's name is the signals consumer's with this suffix, so both follow PLANNING_CONSUMER. */
export const NOTIFICATIONS_SUFFIX = '-notifications';

/** Stores the deliveries an event causes; the event is acknowledged only after they are stored. */
export function consumeNotifyingEvents(
  bus: EventBus,
  notifications: Notifications,
  logger: Logger,
  durable: string,
): Promise<Subscription> {
  return bus.subscribe({
    durable,
    filter: NOTIFYING_EVENT_TYPES,
    handler: (event, ctx) =>
      runWithContext({ requestId: event.id, correlationId: event.correlationid ?? event.id }, async () => {
        const queued = await notifications.handle(event).catch((err: unknown) => {
          logger.warn(
            { eventId: event.id, type: event.type, err },
            'could not queue its notifications; redelivery asked',
          );
          throw err;
        });
        logger.info(
          { eventId: event.id, type: event.type, deliveryCount: ctx.deliveryCount, queued },
          `${event.type}: ${queued} notification(s) queued`,
        );
      }),
  });
}
