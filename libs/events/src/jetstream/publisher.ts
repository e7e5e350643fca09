import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import type { Logger } from 'pino';

export interface RetryPolicy {
  /** Attempts in total, the first included; default 6. */
  attempts?: number;
  /** Delay after the first failure, doubled each time; default 100 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Time to wait for the stream's ack of one attempt; default 5 s. */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes to JetStream with `Nats-Msg-Id` set, retrying with exponential backoff and jitter:
 * since the stream drops a repeated id within its duplicate window, a retry after a lost ack
 * never stores the event twice.
 */
export async function publishWithRetry(
  js: JetStreamClient,
  subject: string,
  data: Uint8Array,
  msgId: string,
  policy: RetryPolicy,
  logger: Logger,
  extraHeaders: Record<string, string> = {},
): Promise<PubAck> {
  const attempts = policy.attempts ?? 6;
  const base = policy.baseDelayMs ?? 100;
  const max = policy.maxDelayMs ?? 2_000;
  const h = headers();
  h.set('content-type', 'application/cloudevents+json; charset=utf-8');
  for (const [name, value] of Object.entries(extraHeaders)) h.set(name, value);
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await js.publish(subject, data, { msgID: msgId, headers: h, timeout: policy.timeoutMs ?? 5_000 });
    } catch (err) {
      lastError = err;
      if (attempt === attempts) break;
      const delay = Math.min(base * 2 ** (attempt - 1), max) * (0.5 + Math.random() / 2);
      logger.warn({ subject, msgId, attempt, delayMs: Math.round(delay), err }, 'publish failed; retrying');
      await sleep(delay);
    }
  }
  throw new Error(
    `could not publish ${subject} ${msgId} after ${attempts} attempts: ${(lastError as Error)?.message ?? lastError}`,
    { cause: lastError },
  );
}
