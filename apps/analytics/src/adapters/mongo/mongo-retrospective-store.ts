import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, outboxPush, type CloudEvent } from '@flightdeck/events';
import { ConflictError } from '@flightdeck/kernel';
import type { Retrospective } from '../../domain/retrospective.js';
import type { RetrospectiveStore, StoredRetrospective } from '../../application/ports.js';

interface RetrospectiveDocument {
  _id: string;
  revision: number;
  status: string;
  retrospective: Retrospective;
}

export function retrospectiveModel(connection: Connection): Model<RetrospectiveDocument> {
  const existing = connection.models.AnalyticsRetrospective as Model<RetrospectiveDocument> | undefined;
  if (existing) return existing;
  const schema = new Schema<RetrospectiveDocument>(
    {
      _id: { type: String, required: true },
      revision: { type: Number, default: 0 },
      status: { type: String, index: true },
      retrospective: { type: Schema.Types.Mixed, required: true },
    },
    { versionKey: false, minimize: false },
  );
  schema.plugin(outboxPlugin);
  return connection.model<RetrospectiveDocument>('AnalyticsRetrospective', schema, 'retrospectives');
}

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

/** Mixed subdocuments come back with their dates as Date (BSON) or, from some servers, strings: accept both. */
function revive(r: Retrospective): Retrospective {
  const d = (v: Date | string | undefined) => (v === undefined ? undefined : new Date(v));
  return {
    ...r,
    startedAt: d(r.startedAt)!,
    ...(r.dueAt ? { dueAt: d(r.dueAt)! } : {}),
    ...(r.completedAt ? { completedAt: d(r.completedAt)! } : {}),
    items: r.items.map((i) => ({ ...i, at: d(i.at)! })),
    actionItems: r.actionItems.map((a) => ({
      ...a,
      dueDate: d(a.dueDate)!,
      createdAt: d(a.createdAt)!,
      updatedAt: d(a.updatedAt)!,
    })),
  };
}

/** The release's retrospective, one document per release, saved at an expected revision. */
export class MongoRetrospectiveStore implements RetrospectiveStore {
  constructor(
    private readonly model: Model<RetrospectiveDocument>,
    private readonly onOutbox: () => void = () => {},
  ) {}

  async find(releaseId: string): Promise<StoredRetrospective | undefined> {
    const d = await this.model.findById(releaseId, { outbox: 0 }).lean<RetrospectiveDocument>();
    return d ? { retrospective: revive(d.retrospective), revision: d.revision } : undefined;
  }

  async create(retrospective: Retrospective): Promise<StoredRetrospective> {
    try {
      await this.model.create({
        _id: retrospective.releaseId,
        revision: 0,
        status: retrospective.status,
        retrospective,
      });
      return { retrospective, revision: 0 };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return (await this.find(retrospective.releaseId))!;
    }
  }

  async save(
    retrospective: Retrospective,
    expectedRevision: number,
    outbox?: CloudEvent[],
  ): Promise<StoredRetrospective> {
    const res = await this.model
      .updateOne(
        { _id: retrospective.releaseId, revision: expectedRevision },
        {
          $set: { retrospective, status: retrospective.status },
          $inc: { revision: 1 },
          ...(outbox?.length ? outboxPush(outbox) : {}),
        },
      )
      .exec();
    if (res.matchedCount === 0) {
      const now = await this.model.findById(retrospective.releaseId, { revision: 1 }).lean<{ revision: number }>();
      throw new ConflictError(
        'retrospective of release',
        retrospective.releaseId,
        expectedRevision,
        now?.revision ?? null,
      );
    }
    if (outbox?.length) this.onOutbox();
    return { retrospective, revision: expectedRevision + 1 };
  }

  async open(): Promise<StoredRetrospective[]> {
    const docs = await this.model.find({}, { outbox: 0 }).limit(10_000).lean<RetrospectiveDocument[]>();
    return docs.map((d) => ({ retrospective: revive(d.retrospective), revision: d.revision }));
  }
}
