import { Counter, Gauge, type Registry } from 'prom-client';
import type { ConsumerLag, ConsumerLagReader, DeadLetterReason, EventBus } from './bus.js';
import type { OutboxBacklog, OutboxRelay } from './outbox/relay.js';

const REASONS: DeadLetterReason[] = ['invalid', 'failed', 'max_deliveries'];

function readsLag(bus: EventBus): bus is EventBus & ConsumerLagReader {
  return typeof (bus as Partial<ConsumerLagReader>).consumerLag === 'function';
}

/**
 * The bus as a service uses it, with its consumers measured on the service's registry:
 * `flightdeck_events_dead_lettered_total{consumer,reason}` (every reason at 0 from the subscription on), and, read
 * from the bus when Prometheus scrapes, `flightdeck_events_consumer_pending_messages{consumer}` and
 * `flightdeck_events_consumer_ack_pending_messages{consumer}`.
 */
export function withEventMetrics(bus: EventBus, registry: Registry): EventBus {
  const durables = new Set<string>();
  const deadLettered = new Counter({
    name: 'flightdeck_events_dead_lettered_total',
    help: 'Events this process sent to the dead letters, by durable consumer and reason (invalid, failed, max_deliveries)',
    labelNames: ['consumer', 'reason'] as const,
    registers: [registry],
  });
  let lag: Promise<Map<string, ConsumerLag>> | undefined;
  // Both gauges are collected in one scrape: the first asks the bus, the second reuses its answer.
  const readLag = () => {
    lag ??= (async () => {
      const out = new Map<string, ConsumerLag>();
      if (!readsLag(bus)) return out;
      for (const durable of durables) {
        const l = await bus.consumerLag(durable).catch(() => undefined); // the bus unreachable: no value rather than a stale one
        if (l) out.set(durable, l);
      }
      return out;
    })();
    const current = lag;
    setTimeout(() => (lag === current ? (lag = undefined) : undefined), 1000).unref();
    return current;
  };
  const lagGauge = (name: string, help: string, pick: (l: ConsumerLag) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['consumer'] as const,
      registers: [registry],
      async collect() {
        const lags = await readLag();
        this.reset();
        for (const [consumer, l] of lags) this.set({ consumer }, pick(l));
      },
    });
  lagGauge(
    'flightdeck_events_consumer_pending_messages',
    'Events in the stream matching a durable consumer of this service that it has not been given yet',
    (l) => l.pending,
  );
  lagGauge(
    'flightdeck_events_consumer_ack_pending_messages',
    'Events given to a durable consumer of this service and not yet acknowledged (being handled or waiting for a redelivery)',
    (l) => l.ackPending,
  );

  return {
    publish: (event) => bus.publish(event),
    close: () => bus.close(),
    async subscribe(options) {
      const own = options.onDeadLettered;
      const sub = await bus.subscribe({
        ...options,
        onDeadLettered: (letter) => {
          deadLettered.inc({ consumer: options.durable, reason: letter.reason });
          own?.(letter);
        },
      });
      for (const reason of REASONS) deadLettered.inc({ consumer: options.durable, reason }, 0);
      durables.add(options.durable);
      return {
        async stop() {
          durables.delete(options.durable);
          await sub.stop();
        },
      };
    },
  };
}

/**
 * `flightdeck_events_outbox_pending_events` and `flightdeck_events_outbox_oldest_pending_age_seconds` (0 when none
 * waits), read from MongoDB when Prometheus scrapes: events written with a state change that the relay has not
 * published yet.
 */
export function registerOutboxMetrics(registry: Registry, relay: OutboxRelay, now: () => number = Date.now): void {
  let backlog: ReturnType<OutboxRelay['backlog']> | undefined;
  let last: OutboxBacklog = { events: 0 };
  const read = () => {
    // MongoDB unreachable: the last reading stands (the service's readiness says why), rather than failing the scrape.
    backlog ??= relay.backlog().then(
      (b) => (last = b),
      () => last,
    );
    const current = backlog;
    setTimeout(() => (backlog === current ? (backlog = undefined) : undefined), 1000).unref();
    return current;
  };
  new Gauge({
    name: 'flightdeck_events_outbox_pending_events',
    help: 'Events recorded in this service’s outboxes (with the state change that caused them) and not yet published',
    registers: [registry],
    async collect() {
      this.set((await read()).events);
    },
  });
  new Gauge({
    name: 'flightdeck_events_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest event waiting in this service’s outboxes, 0 when none waits',
    registers: [registry],
    async collect() {
      const oldest = (await read()).oldestRecordedAt;
      this.set(oldest ? Math.max(0, (now() - oldest.getTime()) / 1000) : 0);
    },
  });
}
