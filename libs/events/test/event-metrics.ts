import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { withEventMetrics, type CloudEvent } from '../src/index.js';
import type { BusHarness } from './bus-behaviour.js';
import { aRelease, waitFor } from './helpers.js';

let durables = 0;

/** Reads one sample of the registry's text exposition; undefined when the series is absent. */
async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** What withEventMetrics exports over any bus: dead letters by consumer and reason, and how far each consumer is behind. */
export function eventMetricsBehaviour(name: string, harness: () => BusHarness): void {
  describe(`${name}: withEventMetrics`, () => {
    it('counts each dead letter by consumer and reason, every reason at 0 from the subscription on', async () => {
      const { bus, injectRaw } = harness();
      const registry = new Registry();
      const measured = withEventMetrics(bus, registry);
      const durable = `metrics-dead-${++durables}`;
      const told: string[] = [];
      const sub = await measured.subscribe({
        durable,
        filter: 'flightdeck.planning.>',
        maxDeliver: 2,
        retryDelayMs: 10,
        handler: () => Promise.reject(new Error('handler broken')),
        onDeadLettered: (l) => void told.push(l.reason),
      });
      const series = (reason: string) =>
        `flightdeck_events_dead_lettered_total{consumer="${durable}",reason="${reason}"}`;
      expect(await sample(registry, series('invalid'))).toBe(0);
      expect(await sample(registry, series('failed'))).toBe(0);
      expect(await sample(registry, series('max_deliveries'))).toBe(0);

      await injectRaw('flightdeck.planning.release.created', new TextEncoder().encode('not json'));
      await measured.publish(aRelease());
      await waitFor('two dead letters', async () => (await bus.deadLetters({ consumer: durable })).length === 2);
      await waitFor('the counter', async () => (await sample(registry, series('failed'))) === 1);
      expect(await sample(registry, series('invalid'))).toBe(1);
      expect(await sample(registry, series('max_deliveries'))).toBe(0);
      expect(told.sort()).toEqual(['failed', 'invalid']); // the subscriber's own hook still hears of them
      await sub.stop();
    });

    it("reports a consumer's undelivered and unacknowledged events, and forgets it once stopped", async () => {
      const { bus } = harness();
      const registry = new Registry();
      const measured = withEventMetrics(bus, registry);
      const durable = `metrics-lag-${++durables}`;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const seen: CloudEvent[] = [];
      const sub = await measured.subscribe({
        durable,
        filter: 'flightdeck.planning.release.created',
        handler: async (e) => {
          seen.push(e);
          await gate;
        },
      });
      for (let i = 0; i < 5; i++) await measured.publish(aRelease());
      const pending = `flightdeck_events_consumer_pending_messages{consumer="${durable}"}`;
      const ackPending = `flightdeck_events_consumer_ack_pending_messages{consumer="${durable}"}`;
      await waitFor('the first event in its handler', () => seen.length === 1);
      await waitFor('all five events counted as behind', async () => {
        const [p, a] = [await sample(registry, pending), await sample(registry, ackPending)];
        return p !== undefined && a !== undefined && p + a === 5 && a >= 1;
      });
      release();
      await waitFor(
        'the consumer caught up',
        async () => (await sample(registry, pending)) === 0 && (await sample(registry, ackPending)) === 0,
      );
      expect(seen).toHaveLength(5);
      await sub.stop();
      await new Promise((r) => setTimeout(r, 1100)); // past the one-second reuse of a reading
      expect(await sample(registry, pending)).toBeUndefined();
    });
  });
}
