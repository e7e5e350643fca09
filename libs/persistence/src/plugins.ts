import type { Model, Schema, UpdateQuery } from 'mongoose';
import { ConflictError } from '@flightdeck/kernel';

/** `createdAt` and `updatedAt` on every document, taken from the service's clock when given. */
export function timestampsPlugin(schema: Schema, opts: { now?: () => Date } = {}): void {
  schema.set('timestamps', opts.now ? { currentTime: () => opts.now!() } : true);
}

function versionKeyOf(schema: Schema): string {
  const key = schema.get('versionKey');
  return typeof key === 'string' ? key : '__v';
}

/**
 * Every `save()` checks the version it read and bumps it, so two writers working from the same
 * version cannot both win: the loser gets a ConflictError naming the document and both versions.
 */
export function optimisticConcurrencyPlugin(schema: Schema): void {
  schema.set('optimisticConcurrency', true);
  schema.post(
    'save',
    function (err: Error, doc: { _id: unknown; get(path: string): unknown }, next: (e?: Error) => void) {
      if (err?.name !== 'VersionError') return next(err);
      const model = (this as { constructor: unknown }).constructor as Model<unknown>;
      const key = versionKeyOf(model.schema);
      const conflict = (current: Record<string, unknown> | null) =>
        new ConflictError(
          model.modelName,
          String(doc._id),
          Number(doc.get(key)),
          current ? Number(current[key]) : null,
        );
      model
        .findById(doc._id)
        .select(key)
        .lean()
        .exec()
        .then(
          (current) => next(conflict(current as Record<string, unknown> | null)),
          () => next(conflict(null)),
        );
    },
  );
}

/**
 * Applies `update` only if the document is still at `expectedVersion` (bumping it), for writes
 * that do not load the document first, e.g. a mutation carrying the version the client saw.
 */
export async function updateWithVersion<T>(
  model: Model<T>,
  id: unknown,
  expectedVersion: number,
  update: UpdateQuery<T>,
): Promise<T> {
  const key = versionKeyOf(model.schema);
  const inc = { ...((update.$inc as Record<string, number> | undefined) ?? {}), [key]: 1 };
  const updated = await model
    .findOneAndUpdate({ _id: id, [key]: expectedVersion } as never, { ...update, $inc: inc } as UpdateQuery<T>, {
      returnDocument: 'after',
    })
    .exec();
  if (updated) return updated as T;
  const current = (await model.findById(id).select(key).lean().exec()) as Record<string, unknown> | null;
  throw new ConflictError(model.modelName, String(id), expectedVersion, current ? Number(current[key]) : null);
}
