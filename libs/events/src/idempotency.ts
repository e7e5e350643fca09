import type { Model, QueryFilter, Schema, UpdateQuery } from 'mongoose';

export const APPLIED_EVENTS_PATH = 'appliedEventIds';

/** Adds the list of applied event ids to a projection's schema (not selected by default). */
export function appliedEventsPlugin(schema: Schema): void {
  schema.add({ [APPLIED_EVENTS_PATH]: { type: [String], default: [], select: false } });
}

export interface ApplyOnceOptions {
  /** Create the document when the filter matches none; the filter must then name a unique key (e.g. `_id`). */
  upsert?: boolean;
  /** Event ids remembered per document; default 500. A redelivery older than that many later events would apply again. */
  keep?: number;
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/**
 * Applies a handler's effect to a projection document at most once per event id. The id is
 * recorded inside the same document by the same atomic update as the effect, so a crash can
 * never separate them; a separate processed-events collection could not give that guarantee on
 * a standalone MongoDB (no multi-document transactions): either the mark or the effect could be
 * lost on a crash between the two writes.
 *
 * Returns 'applied', or 'duplicate' when this event id was already applied to the document.
 */
export async function applyOnce<T>(
  model: Model<T>,
  filter: QueryFilter<T>,
  eventId: string,
  update: UpdateQuery<T>,
  opts: ApplyOnceOptions = {},
): Promise<'applied' | 'duplicate'> {
  if (!model.schema.path(APPLIED_EVENTS_PATH))
    throw new Error(
      `applyOnce: model ${model.modelName} has no ${APPLIED_EVENTS_PATH}; add appliedEventsPlugin to its schema`,
    );
  const push = {
    ...((update.$push as Record<string, unknown> | undefined) ?? {}),
    [APPLIED_EVENTS_PATH]: { $each: [eventId], $slice: -(opts.keep ?? 500) },
  };
  const where = { $and: [filter, { [APPLIED_EVENTS_PATH]: { $ne: eventId } }] } as QueryFilter<T>;
  try {
    const res = await model
      .updateOne(where, { ...update, $push: push } as UpdateQuery<T>, { upsert: opts.upsert ?? false })
      .exec();
    if (res.matchedCount > 0 || res.upsertedCount > 0) return 'applied';
  } catch (err) {
    // The upsert tried to create a document that exists already, with this event applied.
    if (opts.upsert && isDuplicateKey(err)) return 'duplicate';
    throw err;
  }
  if (await model.exists(filter)) return 'duplicate';
  throw new Error(
    `applyOnce: no ${model.modelName} matches ${JSON.stringify(filter)}; pass { upsert: true } to create it`,
  );
}
