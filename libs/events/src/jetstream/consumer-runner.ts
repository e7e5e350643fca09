import { EVENTS_STREAM, REPLAY_FOR_HEADER, deadLetterSubject, subjectMatches } from '../subjects.js';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { DeadLetter, ResolvedSubscribeOptions, Subscription } from '../bus.js';
import type { EventCatalog } from '../catalog.js';
import { processDelivery } from '../delivery.js';
import { ensureConsumer, serverFilter } from './provision.js';
import { publishWithRetry, type RetryPolicy } from './publisher.js';

export interface RunnerDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  serverVersion: string | undefined;
  catalog: EventCatalog;
  logger: Logger;
  publishRetry: RetryPolicy;
}

const encoder = new TextEncoder();

/** Starts pulling from the durable consumer and running the handler under the subscription's limits. */
export async function startConsumer(deps: RunnerDeps, o: ResolvedSubscribeOptions): Promise<Subscription> {
  const { js, jsm, logger } = deps;
  // Up to this many events are buffered locally; the server holds the rest back until acks come.
  const prefetch = Math.min(Math.max(o.concurrency * 4, 64), 1000);
  await ensureConsumer(
    jsm,
    // The server may deliver once more than maxDeliver so a crash on the last attempt still ends in the dead letters.
    {
      durable: o.durable,
      filters: o.filters,
      ackWaitMs: o.ackWaitMs,
      maxDeliver: o.maxDeliver + 1,
      maxAckPending: prefetch * 2,
    },
    deps.serverVersion,
  );
  const filteredOnClient =
    serverFilter(o.filters, deps.serverVersion).filter_subject !== undefined && o.filters.length > 1;
  const consumer = await js.consumers.get(EVENTS_STREAM, o.durable);
  const queue: Array<{ m: JsMsg; receivedAt: number }> = [];
  let running = 0;
  let stopping = false;
  let idle: (() => void) | undefined;
  const deadLetter = async (m: JsMsg, letter: DeadLetter) => {
    await publishWithRetry(
      js,
      deadLetterSubject(o.durable),
      encoder.encode(JSON.stringify(letter)),
      `${o.durable}:${m.seq}`,
      deps.publishRetry,
      logger,
    );
    o.onDeadLettered?.(letter);
  };

  const handle = async (m: JsMsg) => {
    try {
      if (filteredOnClient && !o.filters.some((f) => subjectMatches(f, m.subject))) return m.ack();
      const replayFor = m.headers?.get(REPLAY_FOR_HEADER);
      if (replayFor && replayFor !== o.durable) return m.ack(); // replayed from another consumer's dead letters
      const outcome = await processDelivery(
        {
          data: m.data,
          subject: m.subject,
          deliveryCount: m.info.deliveryCount,
          streamSequence: m.seq,
          keepAlive: () => m.working(),
          stopping: () => stopping,
        },
        o,
        deps.catalog,
        logger,
      );
      if (outcome.kind === 'ack') m.ack();
      else if (outcome.kind === 'retry') m.nak(outcome.delayMs);
      else {
        await deadLetter(m, outcome.letter);
        m.term(outcome.letter.reason);
      }
    } catch (err) {
      // Only the dead-letter publish can fail here: leave the event for a later redelivery.
      logger.error({ consumer: o.durable, seq: m.seq, err }, 'could not dead-letter the event; it will be redelivered');
      m.nak(o.retryDelayMs);
    }
  };

  // Takes events from the local buffer while fewer than `concurrency` handlers run.
  const pump = () => {
    while (!stopping && running < o.concurrency && queue.length > 0) {
      const { m, receivedAt } = queue.shift()!;
      // An event that sat in the buffer for long gets a fresh ack wait before its handler starts.
      if (Date.now() - receivedAt > o.ackWaitMs / 2) m.working();
      running++;
      void handle(m).finally(() => {
        running--;
        if (running === 0 && idle) idle();
        pump();
      });
    }
  };
  const messages: ConsumerMessages = await consumer.consume({
    max_messages: prefetch,
    callback: (m) => {
      if (stopping) return m.nak();
      queue.push({ m, receivedAt: Date.now() });
      pump();
    },
  });
  void messages.closed().then((err) => {
    if (err && !stopping) logger.error({ consumer: o.durable, err }, 'consumer stopped on an error');
  });

  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      await messages.close();
      // Events still in the local buffer go back to the server for the next subscriber.
      for (const { m } of queue.splice(0)) m.nak();
      if (running > 0) await new Promise<void>((resolve) => (idle = resolve));
    },
  };
}
