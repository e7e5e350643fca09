import { outboxPush, type CloudEvent } from '@flightdeck/events';
import { updateWithVersion } from '@flightdeck/persistence';
import type { ReleaseRolloutRepository, StoredReleaseRollout } from '../../application/release-rollout-ports.js';
import { RELEASE_DRIVEN_PHASES, type ReleaseRollout } from '../../domain/index.js';
import type { ReleaseRolloutModel } from './release-rollout-model.js';

type Doc = { _id: string; __v?: number; state: ReleaseRollout };

const toStored = (d: Doc): StoredReleaseRollout => ({ release: d.state, revision: Number(d.__v ?? 0) });
// Mixed paths store what JSON can hold: drop undefined fields so a stored release rollout reads back equal.
const plain = (r: ReleaseRollout): ReleaseRollout => JSON.parse(JSON.stringify(r)) as ReleaseRollout;

function fields(r: ReleaseRollout) {
  return {
    releaseId: r.releaseId,
    environment: r.environment,
    phase: r.phase,
    startedAt: new Date(r.startedAt),
    completedAt: r.completedAt ? new Date(r.completedAt) : null,
    state: plain(r),
  };
}

export class MongoReleaseRolloutRepository implements ReleaseRolloutRepository {
  constructor(
    private readonly model: ReleaseRolloutModel,
    private readonly onEvents: () => void = () => {},
  ) {}

  async insert(release: ReleaseRollout, events: CloudEvent[]): Promise<StoredReleaseRollout> {
    const doc = new this.model({ _id: release.id, ...fields(release) }) as InstanceType<ReleaseRolloutModel> & {
      recordEvent(e: CloudEvent): void;
    };
    for (const e of events) doc.recordEvent(e);
    await doc.save();
    this.onEvents();
    return { release: plain(release), revision: Number(doc.get('__v') ?? 0) };
  }

  async save(release: ReleaseRollout, revision: number, events: CloudEvent[]): Promise<StoredReleaseRollout> {
    const update: Record<string, unknown> = { $set: fields(release) };
    if (events.length) update.$push = outboxPush(events).$push;
    const doc = (await updateWithVersion(this.model, release.id, revision, update)) as unknown as {
      get(p: string): unknown;
    };
    if (events.length) this.onEvents();
    return { release: plain(release), revision: Number(doc.get('__v')) };
  }

  async get(id: string): Promise<StoredReleaseRollout | undefined> {
    const doc = (await this.model.findById(id).select('state __v').lean().exec()) as Doc | null;
    return doc ? toStored(doc) : undefined;
  }

  async active(): Promise<StoredReleaseRollout[]> {
    return this.find({ phase: { $in: RELEASE_DRIVEN_PHASES } });
  }

  async unfinishedFor(releaseId: string, environment: string): Promise<StoredReleaseRollout | undefined> {
    return (await this.find({ releaseId, environment, phase: { $in: RELEASE_DRIVEN_PHASES } }))[0];
  }

  async forRelease(releaseId: string): Promise<StoredReleaseRollout[]> {
    const docs = (await this.model
      .find({ releaseId })
      .sort({ startedAt: -1 })
      .limit(100)
      .select('state __v')
      .lean()
      .exec()) as unknown as Doc[];
    return docs.map(toStored);
  }

  unfinishedOrCompletedSince(since: Date): Promise<StoredReleaseRollout[]> {
    return this.find({ $or: [{ phase: { $in: RELEASE_DRIVEN_PHASES } }, { completedAt: { $gte: since } }] });
  }

  private async find(filter: Record<string, unknown>): Promise<StoredReleaseRollout[]> {
    const docs = (await this.model.find(filter).select('state __v').lean().exec()) as unknown as Doc[];
    return docs.map(toStored);
  }
}
