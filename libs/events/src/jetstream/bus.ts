import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { pino, type Logger } from 'pino';
import type {
  ConsumerLag,
  ConsumerLagReader,
  DeadLetter,
  DeadLetterReader,
  EventBus,
  PublishResult,
  ReplayedLetter,
  SubscribeOptions,
  Subscription,
  UnavailableCheck,
} from '../bus.js';
import type { EventCatalog } from '../catalog.js';
import { eventCatalog } from '../catalog/index.js';
import { encodeEvent, type CloudEvent } from '../envelope.js';
import {
  DEAD_LETTER_STREAM,
  EVENTS_STREAM,
  REPLAY_FOR_HEADER,
  assertDurableName,
  deadLetterSubject,
} from '../subjects.js';
import { resolveSubscribeOptions } from '../subscribe-options.js';
import { startConsumer } from './consumer-runner.js';
import { ensureStreams, isNotFound, type StreamSettings } from './provision.js';
import { publishWithRetry, type RetryPolicy } from './publisher.js';

export interface JetStreamBusOptions extends StreamSettings {
  /** NATS server URL(s); ignored when `connection` is given. */
  servers?: string | string[];
  /** An existing connection; the bus then leaves closing it to the caller. */
  connection?: NatsConnection;
  /** Connection name shown by the server, e.g. the service name. */
  name?: string;
  catalog?: EventCatalog;
  logger?: Logger;
  publishRetry?: RetryPolicy;
  isUnavailable?: UnavailableCheck;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The production bus: events in the FLIGHTDECK stream, durable pull consumers, dead letters in their own stream. */
export class JetStreamBus implements EventBus, DeadLetterReader, ConsumerLagReader {
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  private constructor(
    readonly connection: NatsConnection,
    private readonly ownsConnection: boolean,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly catalog: EventCatalog,
    private readonly logger: Logger,
    private readonly publishRetry: RetryPolicy,
    private readonly isUnavailable: UnavailableCheck | undefined,
  ) {}

  /** Connects (reconnecting forever on loss) and provisions the streams idempotently. */
  static async connect(opts: JetStreamBusOptions): Promise<JetStreamBus> {
    if (!opts.connection && !opts.servers)
      throw new Error('JetStreamBus.connect: give `servers` (e.g. nats://127.0.0.1:4222) or an open `connection`');
    const nc =
      opts.connection ??
      (await connect({
        servers: opts.servers,
        name: opts.name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      }).catch((err: Error) => {
        throw new Error(`could not connect to NATS at ${String(opts.servers)}: ${err.message}`, { cause: err });
      }));
    const jsm = await jetstreamManager(nc).catch((err: Error) => {
      throw new Error(
        `NATS at ${nc.getServer()} has no JetStream (start it with \`nats-server -js\`): ${err.message}`,
        { cause: err },
      );
    });
    await ensureStreams(jsm, opts);
    const logger = opts.logger ?? pino({ level: 'silent' });
    return new JetStreamBus(
      nc,
      !opts.connection,
      jetstream(nc),
      jsm,
      opts.catalog ?? eventCatalog,
      logger,
      opts.publishRetry ?? {},
      opts.isUnavailable,
    );
  }

  async publish(event: CloudEvent): Promise<PublishResult> {
    if (this.closed) throw new Error(`cannot publish ${event.type} ${event.id}: the bus is closed`);
    const valid = this.catalog.validate(event);
    const ack = await publishWithRetry(
      this.js,
      valid.type,
      encodeEvent(valid),
      valid.id,
      this.publishRetry,
      this.logger,
    );
    return { duplicate: ack.duplicate, seq: ack.seq };
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error(`cannot subscribe ${options.durable}: the bus is closed`);
    const resolved = resolveSubscribeOptions(options, this.isUnavailable);
    const sub = await startConsumer(
      {
        js: this.js,
        jsm: this.jsm,
        serverVersion: this.connection.info?.version,
        catalog: this.catalog,
        logger: this.logger,
        publishRetry: this.publishRetry,
      },
      resolved,
    );
    const tracked: Subscription = {
      stop: async () => {
        this.subscriptions.delete(tracked);
        await sub.stop();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  /** Reads the dead letters (oldest first), all or of one consumer; at most `limit`. */
  async deadLetters(opts: { consumer?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    const limit = opts.limit ?? 1000;
    if (limit <= 0) return out;
    for await (const { letter } of this.storedLetters(opts.consumer)) {
      if (out.push(letter) >= limit) break;
    }
    return out;
  }

  /**
   * Sends `consumer`'s dead letters (all, or those of `eventIds`) back to it alone, once the cause is fixed: each
   * original event is published again on its subject under a new `Nats-Msg-Id`, marked for that consumer (every other
   * consumer acknowledges it unread), then removed from the dead letters. An `invalid` letter is refused and kept: it
   * would only come back; its producer or the consumer's catalog needs the fix.
   */
  async replayDeadLetters(consumer: string, opts: { eventIds?: readonly string[] } = {}): Promise<ReplayedLetter[]> {
    assertDurableName(consumer);
    const out: ReplayedLetter[] = [];
    for await (const { seq, letter } of this.storedLetters(consumer)) {
      const eventId = letter.event?.id;
      if (opts.eventIds && (!eventId || !opts.eventIds.includes(eventId))) continue;
      const replayed: ReplayedLetter = { consumer, subject: letter.subject, eventId, reason: letter.reason };
      if (letter.reason === 'invalid' || !eventId) {
        out.push({
          ...replayed,
          refused: `not a valid event (${letter.error}): replayed, it would come back; fix its producer, or upgrade ${consumer} to the event's catalog version`,
        });
        continue;
      }
      await publishWithRetry(
        this.js,
        letter.subject,
        encoder.encode(letter.original),
        `${eventId}:replay:${consumer}:${seq}`,
        this.publishRetry,
        this.logger,
        { [REPLAY_FOR_HEADER]: consumer },
      );
      await this.jsm.streams.deleteMessage(DEAD_LETTER_STREAM, seq);
      this.logger.info({ consumer, eventId, subject: letter.subject }, 'dead letter replayed to its consumer');
      out.push(replayed);
    }
    return out;
  }

  /** The dead letters in the stream, oldest first, with their sequence there; all, or those of one consumer. */
  private async *storedLetters(consumer?: string): AsyncGenerator<{ seq: number; letter: DeadLetter }> {
    const info = await this.jsm.streams.info(DEAD_LETTER_STREAM);
    const wanted = consumer ? deadLetterSubject(consumer) : undefined;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await this.jsm.streams.getMessage(DEAD_LETTER_STREAM, { seq }).catch(() => null);
      if (!m || (wanted && m.subject !== wanted)) continue;
      yield { seq, letter: JSON.parse(decoder.decode(m.data)) as DeadLetter };
    }
  }

  /** The server's count of the durable's undelivered (`num_pending`) and unacknowledged (`num_ack_pending`) events. */
  async consumerLag(durable: string): Promise<ConsumerLag | undefined> {
    try {
      const info = await this.jsm.consumers.info(EVENTS_STREAM, durable);
      return { pending: info.num_pending, ackPending: info.num_ack_pending };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Stops every subscription (waiting for handlers in flight), then drains the connection if the bus opened it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.ownsConnection && !this.connection.isClosed()) await this.connection.drain();
  }
}
