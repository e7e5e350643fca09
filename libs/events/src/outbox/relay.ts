import type { Model } from 'mongoose';
import { pino, type Logger } from 'pino';
import type { EventBus } from '../bus.js';
import { OUTBOX_PATH, pendingOutboxFilter, type OutboxEntry } from './plugin.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- models of any document type
type AnyModel = Model<any>;

export interface OutboxBacklog {
  events: number;
  /** Absent when no event waits. */
  oldestRecordedAt?: Date;
}

export interface OutboxRelayOptions {
  bus: EventBus;
  /** Models whose schema uses outboxPlugin. */
  models: AnyModel[];
  /** Pause between scans when idle; default 250 ms. `kick()` starts a scan at once. */
  intervalMs?: number;
  /** Documents per model per scan; default 100. */
  batchSize?: number;
  logger?: Logger;
}

/**
 * Publishes the events waiting in outboxes and then removes them. A crash at any point is safe:
 * before the publish the event is still pending; between the publish and the removal it is
 * published again on restart and the stream drops it as a duplicate by its Nats-Msg-Id (the
 * event id) within the duplicate window; consumers are idempotent past that window.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private started = false;
  private readonly logger: Logger;

  constructor(private readonly opts: OutboxRelayOptions) {
    if (opts.models.length === 0)
      throw new Error('OutboxRelay: give at least one model whose schema uses outboxPlugin');
    for (const m of opts.models) {
      if (!m.schema.path(OUTBOX_PATH))
        throw new Error(`OutboxRelay: model ${m.modelName} has no outbox; add outboxPlugin to its schema`);
    }
    this.logger = opts.logger ?? pino({ level: 'silent' });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.kick();
  }

  /** Scans now (or right after the scan in progress), e.g. after a save that recorded events. */
  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.runOnce()
      .catch((err: unknown) => {
        this.logger.error({ err }, 'outbox scan failed; will retry');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (!this.started) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.timer = setTimeout(() => this.kick(), this.opts.intervalMs ?? 250);
      });
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Events waiting in the outboxes of every model, and when the oldest of them was recorded. */
  async backlog(): Promise<OutboxBacklog> {
    let events = 0;
    let oldest: Date | undefined;
    for (const model of this.opts.models) {
      const [row] = (await model
        .aggregate([
          { $match: pendingOutboxFilter },
          { $project: { n: { $size: `$${OUTBOX_PATH}` }, oldest: { $min: `$${OUTBOX_PATH}.recordedAt` } } },
          { $group: { _id: null, events: { $sum: '$n' }, oldest: { $min: '$oldest' } } },
        ])
        .exec()) as Array<{ events: number; oldest: Date | null }>;
      if (!row) continue;
      events += row.events;
      if (row.oldest && (!oldest || row.oldest < oldest)) oldest = new Date(row.oldest);
    }
    return { events, ...(oldest ? { oldestRecordedAt: oldest } : {}) };
  }

  /** One pass over every model; returns how many events were published. */
  async runOnce(): Promise<number> {
    let sent = 0;
    for (const model of this.opts.models) {
      const docs = (await model
        .find(pendingOutboxFilter)
        .select(OUTBOX_PATH)
        .limit(this.opts.batchSize ?? 100)
        .lean()
        .exec()) as Array<{ _id: unknown; outbox?: OutboxEntry[] }>;
      for (const doc of docs) sent += await this.relayDocument(model, doc);
    }
    return sent;
  }

  private async relayDocument(model: AnyModel, doc: { _id: unknown; outbox?: OutboxEntry[] }): Promise<number> {
    const published: string[] = [];
    for (const entry of doc.outbox ?? []) {
      try {
        await this.opts.bus.publish(entry.event);
        published.push(entry.id);
      } catch (err) {
        // Keep the document's order: its later events wait until this one goes out.
        this.logger.error(
          { model: model.modelName, id: String(doc._id), eventId: entry.id, type: entry.type, err },
          'could not publish an outbox event; will retry',
        );
        break;
      }
    }
    if (published.length) {
      await model
        .updateOne({ _id: doc._id } as never, { $pull: { [OUTBOX_PATH]: { id: { $in: published } } } } as never, {
          timestamps: false,
        })
        .exec();
    }
    return published.length;
  }
}
