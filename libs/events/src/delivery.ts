import type { Logger } from 'pino';
import type { DeadLetter, DeadLetterReason, ResolvedSubscribeOptions } from './bus.js';
import type { EventCatalog } from './catalog.js';
import { decodeEnvelope, InvalidEventError, type CloudEvent } from './envelope.js';
import { retryDelay } from './subscribe-options.js';

export interface Delivery {
  data: Uint8Array;
  subject: string;
  deliveryCount: number;
  streamSequence: number;
  /** Keeps the delivery from being given to another consumer while it is held (JetStream's working()). */
  keepAlive?: () => void;
  /** True once the subscription is stopping: a held delivery then goes back for a later redelivery. */
  stopping?: () => boolean;
}

export type Outcome = { kind: 'ack' } | { kind: 'retry'; delayMs: number } | { kind: 'dead'; letter: DeadLetter };

const decoder = new TextDecoder();

export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
}

/**
 * Decides what happens to one delivery, the same way for every bus: an event that can never be
 * handled goes to the dead letters at once; a failing handler is retried with backoff until
 * `maxDeliver`, then dead-lettered. Deliveries past `maxDeliver` (the previous attempt crashed or
 * timed out on the server) are dead-lettered without running the handler again. A failure the bus's
 * UnavailableCheck blames on a dependency being away spends no delivery: the event is held and retried.
 */
export async function processDelivery(
  d: Delivery,
  o: ResolvedSubscribeOptions,
  catalog: EventCatalog,
  logger: Logger,
): Promise<Outcome> {
  const dead = (reason: DeadLetterReason, error: unknown, event?: CloudEvent): Outcome => ({
    kind: 'dead',
    letter: {
      consumer: o.durable,
      subject: d.subject,
      reason,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      deliveryCount: d.deliveryCount,
      streamSequence: d.streamSequence,
      failedAt: new Date().toISOString(),
      original: decoder.decode(d.data),
      ...(event ? { event } : {}),
    },
  });

  let envelope: CloudEvent | undefined;
  let event: CloudEvent;
  try {
    envelope = decodeEnvelope(d.data);
    if (envelope.type !== d.subject)
      throw new InvalidEventError(
        `event type ${envelope.type} does not match the subject ${d.subject} it was published on`,
      );
    event = catalog.validate(envelope);
  } catch (err) {
    logger.warn(
      { consumer: o.durable, subject: d.subject, seq: d.streamSequence, err },
      'invalid event sent to the dead letters',
    );
    return dead('invalid', err, envelope);
  }

  if (d.deliveryCount > o.maxDeliver) {
    return dead(
      'max_deliveries',
      new Error(
        `delivered ${d.deliveryCount} times, more than maxDeliver ${o.maxDeliver}: an earlier attempt crashed or timed out`,
      ),
      event,
    );
  }

  const outcome = await runHoldingWhileUnavailable(o, event, d, logger);
  if (outcome.ok) return { kind: 'ack' };
  const { err } = outcome;
  if (o.isUnavailable?.(err)) {
    // Held until the subscription stopped: back to the stream for a later redelivery, never to the dead letters.
    return { kind: 'retry', delayMs: o.retryDelayMs };
  }
  if (d.deliveryCount >= o.maxDeliver) {
    logger.error(
      { consumer: o.durable, eventId: event.id, type: event.type, deliveries: d.deliveryCount, err },
      'handler failed for the last time; event sent to the dead letters',
    );
    return dead('failed', err, event);
  }
  const delayMs = retryDelay(o.retryDelayMs, d.deliveryCount);
  logger.warn(
    { consumer: o.durable, eventId: event.id, type: event.type, deliveries: d.deliveryCount, delayMs, err },
    'handler failed; event will be redelivered',
  );
  return { kind: 'retry', delayMs };
}

/**
 * Runs the handler; while it fails because a dependency is unavailable, holds the delivery and runs it again, with
 * backoff, until it succeeds, fails otherwise, or the subscription stops. A handler that rejects with no reason
 * (`undefined`) has failed all the same.
 */
async function runHoldingWhileUnavailable(
  o: ResolvedSubscribeOptions,
  event: CloudEvent,
  d: Delivery,
  logger: Logger,
): Promise<{ ok: true } | { ok: false; err: unknown }> {
  for (let held = 1; ; held++) {
    try {
      await runWithTimeout(o, event, d);
      return { ok: true };
    } catch (err) {
      if (!o.isUnavailable?.(err) || d.stopping?.()) return { ok: false, err };
      // At most a third of the ack wait between attempts, so the keep-alive always comes in time.
      const delayMs = Math.min(retryDelay(o.retryDelayMs, held), Math.floor(o.ackWaitMs / 3));
      logger.warn(
        { consumer: o.durable, eventId: event.id, type: event.type, held, delayMs, err },
        'a dependency of the handler is unavailable; the event is held and retried in place',
      );
      await sleepUnless(delayMs, d.stopping);
      if (d.stopping?.()) return { ok: false, err };
      d.keepAlive?.();
    }
  }
}

/** Sleeps `ms`, waking early (checked every 100 ms) once `stopping` says so. */
async function sleepUnless(ms: number, stopping?: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stopping?.()) {
    await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
  }
}

async function runWithTimeout(o: ResolvedSubscribeOptions, event: CloudEvent, d: Delivery): Promise<void> {
  // The controller is made only when a handler looks at its signal: most never do.
  let controller: AbortController | undefined;
  const ctx = {
    deliveryCount: d.deliveryCount,
    consumer: o.durable,
    subject: d.subject,
    get signal() {
      return (controller ??= new AbortController()).signal;
    },
  };
  const result = o.handler(event, ctx);
  if (!result || typeof (result as Promise<void>).then !== 'function') return; // a synchronous handler has finished already
  const run = result as Promise<void>;
  run.catch(() => {}); // a handler that fails after its timeout already counted as failed
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new HandlerTimeoutError(
        `handler of ${o.durable} did not finish ${event.type} ${event.id} within ${o.handlerTimeoutMs} ms`,
      );
      (controller ??= new AbortController()).abort(err);
      reject(err);
    }, o.handlerTimeoutMs);
  });
  try {
    await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
