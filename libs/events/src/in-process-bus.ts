import { pino, type Logger } from 'pino';
import type {
  ConsumerLag,
  ConsumerLagReader,
  DeadLetter,
  DeadLetterReader,
  EventBus,
  PublishResult,
  ResolvedSubscribeOptions,
  SubscribeOptions,
  Subscription,
  UnavailableCheck,
} from './bus.js';
import type { EventCatalog } from './catalog.js';
import { eventCatalog } from './catalog/index.js';
import { processDelivery } from './delivery.js';
import { encodeEvent, type CloudEvent } from './envelope.js';
import { Limiter } from './limiter.js';
import { subjectMatches } from './subjects.js';
import { resolveSubscribeOptions } from './subscribe-options.js';

export interface InProcessBusOptions {
  catalog?: EventCatalog;
  logger?: Logger;
  /** Window in which a re-published event id is dropped as a duplicate; default 10 minutes. */
  duplicateWindowMs?: number;
  /** Events kept in memory; the oldest are dropped beyond it (consumers that lag skip them); default 100,000. */
  maxEvents?: number;
  isUnavailable?: UnavailableCheck;
}

interface Stored {
  seq: number;
  subject: string;
  data: Uint8Array;
}

/** A durable consumer's position; it outlives its subscriptions, as a JetStream durable does. */
interface ConsumerState {
  filters: string[];
  nextSeq: number;
  deliveries: Map<number, number>;
  retryAt: Map<number, number>;
  inFlight: Set<number>;
}

/**
 * The bus of the all-in-one mode: the JetStream bus's semantics inside one process. Events are
 * kept in order with a sequence number, duplicates by id are dropped, each durable keeps its
 * position across subscriptions, failed events are redelivered with backoff up to maxDeliver and
 * then dead-lettered, invalid ones are dead-lettered at once. Nothing survives the process, and
 * the ack wait has no counterpart: a handler can only end or time out.
 */
export class InProcessBus implements EventBus, DeadLetterReader, ConsumerLagReader {
  private readonly log: Stored[] = [];
  private firstSeq = 1;
  private lastSeq = 0;
  private readonly ids = new Map<string, { seq: number; at: number }>();
  private readonly consumers = new Map<string, ConsumerState>();
  private readonly letters: DeadLetter[] = [];
  private readonly subscriptions = new Set<Subscription>();
  private waiters: Array<() => void> = [];
  private closed = false;
  private readonly catalog: EventCatalog;
  private readonly logger: Logger;
  private readonly duplicateWindowMs: number;
  private readonly maxEvents: number;
  private readonly isUnavailable: UnavailableCheck | undefined;

  constructor(opts: InProcessBusOptions = {}) {
    this.catalog = opts.catalog ?? eventCatalog;
    this.logger = opts.logger ?? pino({ level: 'silent' });
    this.duplicateWindowMs = opts.duplicateWindowMs ?? 10 * 60_000;
    this.maxEvents = opts.maxEvents ?? 100_000;
    this.isUnavailable = opts.isUnavailable;
  }

  async publish(event: CloudEvent): Promise<PublishResult> {
    if (this.closed) throw new Error(`cannot publish ${event.type} ${event.id}: the bus is closed`);
    const valid = this.catalog.validate(event);
    const now = Date.now();
    for (const [id, e] of this.ids) {
      if (now - e.at < this.duplicateWindowMs) break;
      this.ids.delete(id);
    }
    const seen = this.ids.get(valid.id);
    if (seen) return { duplicate: true, seq: seen.seq };
    const seq = this.append(valid.type, encodeEvent(valid));
    this.ids.set(valid.id, { seq, at: now });
    return { duplicate: false, seq };
  }

  /** Appends bytes as they are, unvalidated: how a foreign or broken producer looks to the consumers. */
  async publishRaw(subject: string, data: Uint8Array): Promise<PublishResult> {
    return { duplicate: false, seq: this.append(subject, data) };
  }

  private append(subject: string, data: Uint8Array): number {
    const seq = ++this.lastSeq;
    this.log.push({ seq, subject, data });
    while (this.log.length > this.maxEvents) {
      this.log.shift();
      this.firstSeq++;
    }
    this.wake();
    return seq;
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error(`cannot subscribe ${options.durable}: the bus is closed`);
    const o = resolveSubscribeOptions(options, this.isUnavailable);
    let state = this.consumers.get(o.durable);
    if (!state) {
      state = { filters: o.filters, nextSeq: 1, deliveries: new Map(), retryAt: new Map(), inFlight: new Set() };
      this.consumers.set(o.durable, state);
    }
    state.filters = o.filters;
    const sub = this.run(o, state);
    this.subscriptions.add(sub);
    return sub;
  }

  private run(o: ResolvedSubscribeOptions, state: ConsumerState): Subscription {
    const limiter = new Limiter(o.concurrency);
    let stopping = false;

    const deliver = async (m: Stored, deliveryCount: number) => {
      const outcome = await processDelivery(
        { data: m.data, subject: m.subject, deliveryCount, streamSequence: m.seq, stopping: () => stopping },
        o,
        this.catalog,
        this.logger,
      );
      state.inFlight.delete(m.seq);
      if (outcome.kind === 'retry') {
        state.retryAt.set(m.seq, Date.now() + outcome.delayMs);
        this.wake(); // a waiting loop recomputes when the next retry is due
        return;
      }
      if (outcome.kind === 'dead') {
        this.letters.push(outcome.letter);
        o.onDeadLettered?.(outcome.letter);
      }
      state.deliveries.delete(m.seq);
      state.retryAt.delete(m.seq);
    };

    const loop = (async () => {
      while (!stopping) {
        await limiter.acquire();
        const next = stopping ? undefined : this.nextFor(state);
        if (!next) {
          limiter.release();
          if (!stopping) await this.waitForWork(state);
          continue;
        }
        const count = (state.deliveries.get(next.seq) ?? 0) + 1;
        state.deliveries.set(next.seq, count);
        state.inFlight.add(next.seq);
        void deliver(next, count).finally(() => limiter.release());
      }
    })();

    const sub: Subscription = {
      stop: async () => {
        if (stopping) return;
        stopping = true;
        this.subscriptions.delete(sub);
        this.wake();
        await loop;
        await limiter.idle();
      },
    };
    return sub;
  }

  /** A redelivery that is due, else the next new event matching the filters. */
  private nextFor(state: ConsumerState): Stored | undefined {
    const now = Date.now();
    for (const [seq, at] of state.retryAt) {
      if (at > now || state.inFlight.has(seq)) continue;
      state.retryAt.delete(seq);
      const m = this.at(seq);
      if (m) return m;
      state.deliveries.delete(seq); // dropped by maxEvents
    }
    if (state.nextSeq < this.firstSeq) state.nextSeq = this.firstSeq;
    while (state.nextSeq <= this.lastSeq) {
      const m = this.at(state.nextSeq++);
      if (m && state.filters.some((f) => subjectMatches(f, m.subject))) return m;
    }
    return undefined;
  }

  private at(seq: number): Stored | undefined {
    return seq >= this.firstSeq ? this.log[seq - this.firstSeq] : undefined;
  }

  private async waitForWork(state: ConsumerState): Promise<void> {
    const due = [...state.retryAt.values()].reduce((a, b) => Math.min(a, b), Infinity);
    await new Promise<void>((resolve) => {
      const timer = Number.isFinite(due) ? setTimeout(resolve, Math.max(0, due - Date.now())) : undefined;
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async deadLetters(opts: { consumer?: string } = {}): Promise<DeadLetter[]> {
    return this.letters.filter((l) => !opts.consumer || l.consumer === opts.consumer);
  }

  /** Events after the consumer's position that match its filters, and those handed out but not finished. */
  async consumerLag(durable: string): Promise<ConsumerLag | undefined> {
    const state = this.consumers.get(durable);
    if (!state) return undefined;
    let pending = 0;
    for (let seq = Math.max(state.nextSeq, this.firstSeq); seq <= this.lastSeq; seq++) {
      const m = this.at(seq);
      if (m && state.filters.some((f) => subjectMatches(f, m.subject))) pending++;
    }
    return { pending, ackPending: state.deliveries.size };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
  }
}
