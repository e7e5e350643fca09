import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeEnvelope, EVENTS_STREAM, EVENTS_SUBJECTS, eventCatalog, type CloudEvent } from '@flightdeck/events';
import type { Logger } from 'pino';

export interface ReplayResult {
  /** Messages read from the stream. */
  read: number;
  /** Of those, events the handler was given (the rest were invalid and skipped, as the live consumer dead-letters them). */
  handled: number;
  invalid: number;
  lastSequence: number;
  ms: number;
}

/**
 * Reads the whole stream, from its first message to the last one present when the replay began,
 * with an ordered (ephemeral) consumer, and hands every valid event to `handle`, `parallel` at a time.
 * Safe to run next to the live consumer: the projections' facts commute.
 */
export async function replayStream(
  nc: NatsConnection,
  handle: (event: CloudEvent) => Promise<unknown>,
  opts: { logger?: Logger; parallel?: number; batch?: number } = {},
): Promise<ReplayResult> {
  const started = performance.now();
  const jsm = await jetstreamManager(nc);
  const lastSequence = (await jsm.streams.info(EVENTS_STREAM)).state.last_seq;
  const result: ReplayResult = { read: 0, handled: 0, invalid: 0, lastSequence, ms: 0 };
  if (lastSequence === 0) return { ...result, ms: performance.now() - started };
  const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, {
    filter_subjects: EVENTS_SUBJECTS,
    deliver_policy: 'all' as never,
  });
  const messages = await consumer.consume({ max_messages: opts.batch ?? 1000 });
  const parallel = opts.parallel ?? 16;
  let pending: Promise<unknown>[] = [];
  try {
    for await (const m of messages) {
      result.read++;
      try {
        const event = eventCatalog.validate(decodeEnvelope(m.data));
        pending.push(handle(event));
        result.handled++;
      } catch (err) {
        result.invalid++;
        opts.logger?.warn({ seq: m.seq, err: (err as Error).message }, 'replay skipped an invalid message');
      }
      if (pending.length >= parallel) {
        await Promise.all(pending);
        pending = [];
      }
      if (m.seq >= lastSequence) break;
    }
    await Promise.all(pending);
  } finally {
    messages.stop();
  }
  result.ms = performance.now() - started;
  opts.logger?.info(result, `replayed ${result.handled} events up to stream sequence ${lastSequence}`);
  return result;
}
