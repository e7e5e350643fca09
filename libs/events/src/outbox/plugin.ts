import { Schema } from 'mongoose';
import type { EventCatalog } from '../catalog.js';
import { eventCatalog } from '../catalog/index.js';
import type { CloudEvent } from '../envelope.js';

/** An event waiting in its aggregate's document until the relay has published it. */
export interface OutboxEntry {
  id: string;
  type: string;
  event: CloudEvent;
  recordedAt: Date;
}

export interface OutboxMethods {
  /** Queues the event in this document; it is stored by the same `save()` as the state change. */
  recordEvent(event: CloudEvent): void;
}

export interface OutboxFields {
  outbox: OutboxEntry[];
}

export const OUTBOX_PATH = 'outbox';

/** The filter selecting documents that still hold unpublished events. */
export const pendingOutboxFilter = { [`${OUTBOX_PATH}.recordedAt`]: { $exists: true } };

function entryOf(event: CloudEvent, catalog: EventCatalog): OutboxEntry {
  const valid = catalog.validate(event); // fail in the request that made the change, not later in the relay
  return { id: valid.id, type: valid.type, event: valid, recordedAt: new Date() };
}

/**
 * Transactional outbox for a standalone MongoDB (no multi-document transactions): pending events
 * live in an array inside the aggregate's own document, so one single-document write stores the
 * state change and its events together, or neither.
 */
export function outboxPlugin(schema: Schema, opts: { catalog?: EventCatalog } = {}): void {
  const catalog = opts.catalog ?? eventCatalog;
  schema.add({
    [OUTBOX_PATH]: {
      type: [
        new Schema(
          { id: { type: String, required: true }, type: String, event: Schema.Types.Mixed, recordedAt: Date },
          { _id: false },
        ),
      ],
      default: [],
    },
  });
  schema.index({ [`${OUTBOX_PATH}.recordedAt`]: 1 });
  schema.method('recordEvent', function (this: { get(p: string): { push(e: OutboxEntry): void } }, event: CloudEvent) {
    this.get(OUTBOX_PATH).push(entryOf(event, catalog));
  });
}

/** The update fragment that appends events to the outbox in an `updateOne`/`findOneAndUpdate`. */
export function outboxPush(
  events: CloudEvent[],
  catalog: EventCatalog = eventCatalog,
): { $push: { outbox: { $each: OutboxEntry[] } } } {
  return { $push: { [OUTBOX_PATH]: { $each: events.map((e) => entryOf(e, catalog)) } } } as {
    $push: { outbox: { $each: OutboxEntry[] } };
  };
}
