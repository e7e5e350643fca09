import type { CloudEvent } from './envelope.js';

export interface HandlerContext {
  /** 1 on the first delivery, higher on redeliveries. */
  deliveryCount: number;
  consumer: string;
  subject: string;
  /** Aborted when the per-message timeout expires; long handlers should pass it on to their I/O. */
  signal: AbortSignal;
}

/** Receives an event whose envelope and payload were validated against the catalog. Throw to ask for a redelivery. */
export type EventHandler = (event: CloudEvent, ctx: HandlerContext) => Promise<void> | void;

export interface SubscribeOptions {
  /** Durable consumer name: the position survives restarts of the process and of the bus. */
  durable: string;
  /** One or more subjects under `flightdeck.>`, wildcards allowed. */
  filter: string | string[];
  handler: EventHandler;
  /** Handlers running at the same time; 1 (the default) keeps the stream's order. */
  concurrency?: number;
  /** Deliveries before the event goes to the dead-letter subject; default 5. */
  maxDeliver?: number;
  /** Time the server waits for an ack before redelivering; default 30 s, must exceed handlerTimeoutMs. */
  ackWaitMs?: number;
  /** A handler running longer fails this delivery; default 10 s. */
  handlerTimeoutMs?: number;
  /** Delay before the first redelivery after a failure, doubled each time up to 30 s; default 500 ms. */
  retryDelayMs?: number;
  /** Told of each event this subscription sent to the dead letters, once the letter is stored (e.g. to count them). */
  onDeadLettered?: (letter: DeadLetter) => void;
}

export interface Subscription {
  /** Stops taking new events and waits for the handlers in flight. */
  stop(): Promise<void>;
}

export interface PublishResult {
  /** True when an event with the same id was already published (within the duplicate window). */
  duplicate: boolean;
  /** Position in the stream. */
  seq: number;
}

export interface EventBus {
  /** Validates the event against the catalog and publishes it on the subject named by its type. */
  publish(event: CloudEvent): Promise<PublishResult>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}

export type DeadLetterReason = 'invalid' | 'failed' | 'max_deliveries';

/** What the dead-letter subject carries: the original message, who gave up on it and why. */
export interface DeadLetter {
  consumer: string;
  subject: string;
  reason: DeadLetterReason;
  error: string;
  deliveryCount: number;
  streamSequence: number;
  failedAt: string;
  /** The original message as text, exactly as received. */
  original: string;
  /** The event, when its envelope could be parsed. */
  event?: CloudEvent;
}

/** A dead letter sent back to its consumer, or refused, by `JetStreamBus.replayDeadLetters`. */
export interface ReplayedLetter {
  consumer: string;
  subject: string;
  eventId: string | undefined;
  reason: DeadLetterReason;
  /** Absent: published again and removed from the dead letters. Present: why it was left where it is. */
  refused?: string;
}

/** Both buses let operators (and tests) read what went to the dead-letter subject. */
export interface DeadLetterReader {
  deadLetters(opts?: { consumer?: string }): Promise<DeadLetter[]>;
}

export interface ResolvedSubscribeOptions extends Required<Omit<SubscribeOptions, 'filter' | 'onDeadLettered'>> {
  filters: string[];
  onDeadLettered?: (letter: DeadLetter) => void;
  /** The bus's UnavailableCheck. */
  isUnavailable?: UnavailableCheck;
}

/**
 * Tells a handler failure caused by a dependency being away (the database, typically) from one caused by the event.
 * An event whose handler failed that way is held and retried in place, spending none of its deliveries, until the
 * dependency is back: an outage of any length sends nothing to the dead letters. A subscription that stops while it
 * holds an event gives it back to the stream, and that redelivery counts as one.
 */
export type UnavailableCheck = (err: unknown) => boolean;

/** How far a durable consumer is behind the stream. */
export interface ConsumerLag {
  /** Events matching its filter that it has not been given yet. */
  pending: number;
  /** Events given to it and neither acknowledged nor given up yet (in a handler, or waiting for a redelivery). */
  ackPending: number;
}

/** Both buses tell how far a durable consumer is behind (undefined when it does not exist). */
export interface ConsumerLagReader {
  consumerLag(durable: string): Promise<ConsumerLag | undefined>;
}
