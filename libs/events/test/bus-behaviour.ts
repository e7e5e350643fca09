import { describe, expect, it } from 'vitest';
import {
  featureChanged,
  releaseStatusChanged,
  type CloudEvent,
  type DeadLetterReader,
  type EventBus,
  type HandlerContext,
  type Subscription,
} from '../src/index.js';
import { aRelease, DependencyDown, publishMarker, sleep, waitFor } from './helpers.js';

export interface BusHarness {
  /** A bus whose UnavailableCheck is isDependencyDown. */
  bus: EventBus & DeadLetterReader;
  /** Puts bytes on a subject bypassing the publisher's validation, as a broken producer would. */
  injectRaw(subject: string, data: Uint8Array): Promise<void>;
}

const enc = new TextEncoder();
let durables = 0;
const durable = (what: string) => `${what}-${++durables}`;

/** The behaviour every EventBus must show; run against JetStreamBus and InProcessBus alike. */
export function busBehaviour(name: string, harness: () => BusHarness): void {
  describe(`${name}: EventBus behaviour`, () => {
    it('delivers a published event to a durable subscriber, validated and typed', async () => {
      const { bus } = harness();
      const got: CloudEvent[] = [];
      const sub = await bus.subscribe({
        durable: durable('deliver'),
        filter: 'flightdeck.planning.release.created',
        handler: (e) => void got.push(e),
      });
      const event = aRelease();
      const res = await bus.publish(event);
      expect(res.duplicate).toBe(false);
      await waitFor('the event', () => got.some((e) => e.id === event.id));
      expect(got.find((e) => e.id === event.id)).toEqual(event);
      await sub.stop();
    });

    it('refuses to publish an event that breaks the catalog', async () => {
      const { bus } = harness();
      const bad = { ...aRelease(), data: { releaseId: 42 } };
      await expect(bus.publish(bad)).rejects.toThrow(/payload is invalid: releaseId/);
    });

    it('drops a re-published event id, so the subscriber sees it once', async () => {
      const { bus } = harness();
      const seen: string[] = [];
      const d = durable('dedupe');
      const sub = await bus.subscribe({
        durable: d,
        filter: 'flightdeck.planning.>',
        handler: (e) => void seen.push(e.id),
      });
      const event = aRelease();
      const marker = aRelease();
      expect((await bus.publish(event)).duplicate).toBe(false);
      expect((await bus.publish(event)).duplicate).toBe(true);
      await bus.publish(marker);
      await waitFor('the marker event', () => seen.includes(marker.id));
      expect(seen.filter((id) => id === event.id)).toHaveLength(1);
      await sub.stop();
    });

    it('keeps a durable position across stop and resubscribe: nothing lost, nothing acked comes again', async () => {
      const { bus } = harness();
      const d = durable('position');
      const seen: string[] = [];
      const handler = (e: CloudEvent) => void seen.push(e.id);
      const first = [aRelease(), aRelease()];
      let sub = await bus.subscribe({ durable: d, filter: 'flightdeck.planning.release.created', handler });
      for (const e of first) await bus.publish(e);
      await waitFor('the first events', () => first.every((e) => seen.includes(e.id)));
      await sub.stop();
      const whileDown = [aRelease(), aRelease(), aRelease()];
      for (const e of whileDown) await bus.publish(e);
      sub = await bus.subscribe({ durable: d, filter: 'flightdeck.planning.release.created', handler });
      await waitFor('the events published while stopped', () => whileDown.every((e) => seen.includes(e.id)));
      const marker = await publishMarker(bus);
      await waitFor('a marker published after them', () => seen.includes(marker.id));
      expect(seen).toEqual([...first, ...whileDown, marker].map((e) => e.id));
      await sub.stop();
    });

    it('redelivers after a handler failure with a growing delivery count, until it succeeds', async () => {
      const { bus } = harness();
      const counts: number[] = [];
      const handled: string[] = [];
      const event = aRelease();
      const sub = await bus.subscribe({
        durable: durable('retry'),
        filter: 'flightdeck.planning.release.created',
        retryDelayMs: 20,
        handler: (e, ctx) => {
          handled.push(e.id);
          if (e.id !== event.id) return;
          counts.push(ctx.deliveryCount);
          if (ctx.deliveryCount < 3) throw new Error('database is down');
        },
      });
      await bus.publish(event);
      await waitFor('three deliveries', () => counts.length >= 3);
      const marker = await publishMarker(bus);
      await waitFor('a marker published after the third delivery', () => handled.includes(marker.id));
      expect(counts).toEqual([1, 2, 3]);
      expect(await bus.deadLetters()).not.toContainEqual(
        expect.objectContaining({ event: expect.objectContaining({ id: event.id }) }),
      );
      await sub.stop();
    });

    it('counts a handler that rejects with no reason as failed: the event comes again', async () => {
      const { bus } = harness();
      const counts: number[] = [];
      const event = aRelease();
      const sub = await bus.subscribe({
        durable: durable('reject-undefined'),
        filter: 'flightdeck.planning.release.created',
        retryDelayMs: 20,
        handler: (e, ctx) => {
          if (e.id !== event.id) return;
          counts.push(ctx.deliveryCount);
          if (ctx.deliveryCount < 2) return Promise.reject(undefined);
        },
      });
      await bus.publish(event);
      await waitFor('a second delivery', () => counts.length >= 2);
      expect(counts).toEqual([1, 2]);
      await sub.stop();
    });

    it('holds an event while a dependency of its handler is unavailable, spending none of its deliveries, for longer than the ack wait', async () => {
      const { bus } = harness();
      const d = durable('held');
      const event = aRelease();
      const counts: number[] = [];
      let running = 0;
      let overlapped = false;
      let handled = 0;
      const seen: string[] = [];
      const sub = await bus.subscribe({
        durable: d,
        filter: 'flightdeck.planning.release.created',
        maxDeliver: 2,
        retryDelayMs: 20,
        ackWaitMs: 1_500,
        handlerTimeoutMs: 500,
        handler: async (e, ctx) => {
          seen.push(e.id);
          if (e.id !== event.id) return;
          overlapped ||= running > 0;
          running++;
          try {
            counts.push(ctx.deliveryCount);
            // 20 + 40 + 80 + 160 + 320 ms, then five holds of 500 ms (a third of the ack wait): 3.1 s in all.
            if (counts.length <= 10) throw new DependencyDown('the database is away');
            handled++;
          } finally {
            running--;
          }
        },
      });
      await bus.publish(event);
      await waitFor('the event handled once the dependency is back', () => handled === 1, 10_000);
      const marker = await publishMarker(bus);
      await waitFor('a marker published after it', () => seen.includes(marker.id));
      expect(counts).toEqual(Array(11).fill(1));
      expect(overlapped).toBe(false);
      expect(await bus.deadLetters({ consumer: d })).toEqual([]);
      await sub.stop();
    });

    it('gives a held event back when its subscription stops, for the next subscriber of the durable', async () => {
      const { bus } = harness();
      const d = durable('held-stop');
      const event = aRelease();
      let down = true;
      let attempts = 0;
      const handledBy: string[] = [];
      const subscribe = (who: string) =>
        bus.subscribe({
          durable: d,
          filter: 'flightdeck.planning.release.created',
          // Giving it back counts as a delivery: the next one is the second.
          maxDeliver: 2,
          retryDelayMs: 20,
          handler: (e) => {
            if (e.id !== event.id) return;
            attempts++;
            if (down) throw new DependencyDown('the database is away');
            handledBy.push(who);
          },
        });
      const first = await subscribe('first');
      await bus.publish(event);
      await waitFor('the event held', () => attempts >= 3);
      await first.stop();
      down = false;
      const second = await subscribe('second');
      await waitFor('the event handled by the next subscriber', () => handledBy.length > 0, 10_000);
      expect(handledBy).toEqual(['second']);
      expect(await bus.deadLetters({ consumer: d })).toEqual([]);
      await second.stop();
    });

    it('dead-letters an event whose handler keeps failing after maxDeliver attempts, carrying event, consumer, error and count', async () => {
      const { bus } = harness();
      const d = durable('poison');
      const event = aRelease();
      let calls = 0;
      const handled: string[] = [];
      const sub = await bus.subscribe({
        durable: d,
        filter: 'flightdeck.planning.release.created',
        maxDeliver: 3,
        retryDelayMs: 10,
        handler: (e) => {
          handled.push(e.id);
          if (e.id !== event.id) return;
          calls++;
          throw new Error('projection refused the release');
        },
      });
      await bus.publish(event);
      await waitFor('the dead letter', async () => (await bus.deadLetters({ consumer: d })).length > 0);
      const [letter] = await bus.deadLetters({ consumer: d });
      expect(letter).toMatchObject({ consumer: d, reason: 'failed', deliveryCount: 3, subject: event.type, event });
      expect(letter!.error).toContain('projection refused the release');
      expect(JSON.parse(letter!.original)).toEqual(event);
      const marker = await publishMarker(bus);
      await waitFor('a marker published after the dead letter', () => handled.includes(marker.id));
      expect(calls).toBe(3);
      await sub.stop();
    });

    it('sends a malformed message and an invalid payload straight to the dead letters without blocking the events behind them', async () => {
      const { bus, injectRaw } = harness();
      const d = durable('malformed');
      const handled: string[] = [];
      const sub = await bus.subscribe({
        durable: d,
        filter: 'flightdeck.planning.>',
        handler: (e) => void handled.push(e.id),
      });
      await injectRaw('flightdeck.planning.release.created', enc.encode('{ this is not json'));
      const wrongPayload = { ...aRelease(), data: { releaseId: 'r', releaseType: 'SOMETIMES' } };
      await injectRaw(wrongPayload.type, enc.encode(JSON.stringify(wrongPayload)));
      const good = aRelease();
      await bus.publish(good);
      await waitFor('the good event behind the bad ones', () => handled.includes(good.id));
      await waitFor('two dead letters', async () => (await bus.deadLetters({ consumer: d })).length === 2);
      const letters = await bus.deadLetters({ consumer: d });
      expect(letters[0]).toMatchObject({ reason: 'invalid', deliveryCount: 1, original: '{ this is not json' });
      expect(letters[0]!.error).toMatch(/not JSON/);
      expect(letters[1]).toMatchObject({ reason: 'invalid', event: { id: wrongPayload.id } });
      expect(letters[1]!.error).toMatch(/payload is invalid.*releaseType/);
      expect(handled).toEqual([good.id]);
      await sub.stop();
    });

    it('fails a delivery whose handler exceeds the per-message timeout, aborting its signal, then retries it', async () => {
      const { bus } = harness();
      const event = aRelease();
      const signals: AbortSignal[] = [];
      let succeeded = false;
      const sub = await bus.subscribe({
        durable: durable('timeout'),
        filter: 'flightdeck.planning.release.created',
        handlerTimeoutMs: 100,
        ackWaitMs: 5_000,
        retryDelayMs: 10,
        handler: async (e, ctx: HandlerContext) => {
          if (e.id !== event.id) return;
          signals.push(ctx.signal);
          if (ctx.deliveryCount === 1) await sleep(1_000);
          else succeeded = true;
        },
      });
      await bus.publish(event);
      await waitFor('the retry after the timeout', () => succeeded);
      expect(signals[0]!.aborted).toBe(true);
      expect(String(signals[0]!.reason)).toMatch(/within 100 ms/);
      await sub.stop();
    });

    it('runs no more handlers at once than the concurrency limit', async () => {
      const { bus } = harness();
      const events = Array.from({ length: 12 }, () => aRelease());
      const ids = new Set(events.map((e) => e.id));
      let running = 0;
      let peak = 0;
      let done = 0;
      const sub = await bus.subscribe({
        durable: durable('concurrency'),
        filter: 'flightdeck.planning.release.created',
        concurrency: 3,
        handler: async (e) => {
          if (!ids.has(e.id)) return;
          running++;
          peak = Math.max(peak, running);
          await sleep(40);
          running--;
          done++;
        },
      });
      for (const e of events) await bus.publish(e);
      await waitFor('all twelve', () => done === 12);
      expect(peak).toBe(3);
      await sub.stop();
    });

    it('delivers only the subjects in its filters, one or several', async () => {
      const { bus } = harness();
      const got: string[] = [];
      const sub: Subscription = await bus.subscribe({
        durable: durable('filters'),
        filter: ['flightdeck.planning.release.status_changed', 'flightdeck.planning.feature.*'],
        handler: (e) => void got.push(e.type),
      });
      await bus.publish(aRelease());
      await bus.publish(
        releaseStatusChanged.create({ source: 's', data: { releaseId: 'r', from: 'PLANNED', to: 'IN_PROGRESS' } }),
      );
      await bus.publish(
        featureChanged.create({ source: 's', data: { releaseId: 'r', featureId: 'f', title: 'SSO', status: 'DONE' } }),
      );
      await waitFor('two events', () => got.length === 2);
      // A marker inside the filters, published last: once it is here, the event outside them would have been too.
      await bus.publish(
        featureChanged.create({
          source: 's',
          data: { releaseId: 'r', featureId: 'marker', title: 'marker', status: 'DONE' },
        }),
      );
      await waitFor('the marker', () => got.length === 3);
      expect(got).toEqual([
        'flightdeck.planning.release.status_changed',
        'flightdeck.planning.feature.changed',
        'flightdeck.planning.feature.changed',
      ]);
      await sub.stop();
    });

    it('rejects subscription settings that cannot work, saying what would', async () => {
      const { bus } = harness();
      const handler = () => {};
      await expect(bus.subscribe({ durable: 'has.dot', filter: 'flightdeck.>', handler })).rejects.toThrow(
        /letters, digits/,
      );
      await expect(bus.subscribe({ durable: 'x', filter: 'other.>', handler })).rejects.toThrow(/under flightdeck.>/);
      await expect(
        bus.subscribe({ durable: 'x', filter: 'flightdeck.>', handler, handlerTimeoutMs: 5_000, ackWaitMs: 1_000 }),
      ).rejects.toThrow(/must be below ackWaitMs/);
      await expect(bus.subscribe({ durable: 'x', filter: 'flightdeck.>', handler, concurrency: 0 })).rejects.toThrow(
        /concurrency must be an integer/,
      );
    });
  });
}
