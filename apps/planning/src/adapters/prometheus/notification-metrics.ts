import { CHANNEL_KINDS, type ChannelKind } from '@flightdeck/notify';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeliveryMetrics, DeliveryOutcome, DeliveryStore } from '../../application/notification-ports.js';

const OUTCOMES: DeliveryOutcome[] = ['delivered', 'retried', 'failed'];

/**
 * Notification deliveries on the service's registry: each attempt's outcome as this process saw it (a counter per
 * replica), and the deliveries still waiting, read from MongoDB when Prometheus scrapes (at most once per `cacheMs`,
 * the same on every replica). While MongoDB does not answer, the last reading stands.
 */
export function registerNotificationMetrics(
  registry: Registry,
  deliveries: DeliveryStore,
  cacheMs = 5_000,
): DeliveryMetrics {
  const attempts = new Counter({
    name: 'flightdeck_notification_deliveries_total',
    help: 'Notification delivery attempts by channel and outcome: delivered (the channel took it), retried (it failed and will be tried again), failed (refused, or its attempts used up: reported FAILED)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  // Every series exists from the start, so rate() and the alert rules see the first failure.
  for (const channel of CHANNEL_KINDS) for (const outcome of OUTCOMES) attempts.inc({ channel, outcome }, 0);

  let last = 0;
  let inFlight: Promise<void> | undefined;
  let waiting: Partial<Record<ChannelKind, number>> = {};
  const read = async (): Promise<Partial<Record<ChannelKind, number>>> => {
    if (Date.now() - last >= cacheMs) {
      inFlight ??= deliveries
        .countWaiting()
        .then((counts) => {
          waiting = counts;
          last = Date.now();
        })
        .catch(() => undefined)
        .finally(() => (inFlight = undefined));
      await inFlight;
    }
    return waiting;
  };
  new Gauge({
    name: 'flightdeck_notification_deliveries_pending',
    help: 'Notification deliveries neither sent nor failed yet (PENDING or RETRYING, due or waiting for their next attempt), by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      const counts = await read();
      for (const channel of CHANNEL_KINDS) this.set({ channel }, counts[channel] ?? 0);
    },
  });

  return { attempted: (channel, outcome) => attempts.inc({ channel, outcome }) };
}
