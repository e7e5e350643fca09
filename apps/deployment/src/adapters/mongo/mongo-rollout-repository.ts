import { outboxPush, type CloudEvent } from '@flightdeck/events';
import { paginate, updateWithVersion } from '@flightdeck/persistence';
import type { QueryFilter } from 'mongoose';
import type {
  PageRequest,
  RolloutFilter,
  RolloutPage,
  RolloutRepository,
  StoredRollout,
} from '../../application/ports.js';
import { DRIVEN_PHASES, watchesAlerts, type Phase, type Rollout, type RolloutTargetRef } from '../../domain/index.js';
import type { RolloutModel } from './rollout-model.js';

const UNFINISHED: Phase[] = ['PROGRESSING', 'PAUSED', 'PROMOTING', 'ROLLING_BACK', 'FAILED', 'STUCK'];

type Doc = { _id: string; __v?: number; state: Rollout };

const keyOf = (t: RolloutTargetRef) => `${t.cluster}/${t.namespace}/${t.deployment}`;
const toStored = (d: Doc): StoredRollout => ({ rollout: d.state, revision: Number(d.__v ?? 0) });

// Mixed paths store what JSON can hold: drop undefined fields so a stored rollout reads back equal.
const plain = (r: Rollout): Rollout => JSON.parse(JSON.stringify(r)) as Rollout;

function fields(r: Rollout) {
  return {
    releaseId: r.releaseId,
    environment: r.environment,
    phase: r.phase,
    // Driven after promotion while the bake runs; looked at by the alert webhook while alerts can act on it.
    baking: r.phase === 'PROMOTED' && r.bake?.status === 'RUNNING',
    watchingAlerts: watchesAlerts(r),
    targetKey: keyOf(r.target),
    namespace: r.target.namespace,
    startedAt: new Date(r.startedAt),
    completedAt: r.completedAt ? new Date(r.completedAt) : null,
    state: plain(r),
  };
}

export class MongoRolloutRepository implements RolloutRepository {
  constructor(
    private readonly model: RolloutModel,
    private readonly onEvents: () => void = () => {},
  ) {}

  async insert(rollout: Rollout, events: CloudEvent[]): Promise<StoredRollout> {
    const doc = new this.model({ _id: rollout.id, ...fields(rollout) }) as InstanceType<RolloutModel> & {
      recordEvent(e: CloudEvent): void;
    };
    for (const e of events) doc.recordEvent(e);
    await doc.save();
    this.onEvents();
    return { rollout: plain(rollout), revision: Number(doc.get('__v') ?? 0) };
  }

  async save(rollout: Rollout, revision: number, events: CloudEvent[]): Promise<StoredRollout> {
    const update: Record<string, unknown> = { $set: fields(rollout) };
    if (events.length) update.$push = outboxPush(events).$push;
    const doc = (await updateWithVersion(this.model, rollout.id, revision, update)) as unknown as {
      get(p: string): unknown;
    };
    if (events.length) this.onEvents();
    return { rollout: plain(rollout), revision: Number(doc.get('__v')) };
  }

  async get(id: string): Promise<StoredRollout | undefined> {
    const doc = (await this.model.findById(id).select('state __v').lean().exec()) as Doc | null;
    return doc ? toStored(doc) : undefined;
  }

  async active(): Promise<StoredRollout[]> {
    const docs = (await this.model
      .find({ $or: [{ phase: { $in: DRIVEN_PHASES } }, { baking: true }] })
      .select('state __v')
      .lean()
      .exec()) as unknown as Doc[];
    return docs.map(toStored);
  }

  async watchingAlerts(): Promise<StoredRollout[]> {
    const docs = (await this.model
      .find({ watchingAlerts: true })
      .select('state __v')
      .lean()
      .exec()) as unknown as Doc[];
    return docs.map(toStored);
  }

  async bakingFor(target: RolloutTargetRef): Promise<StoredRollout | undefined> {
    const doc = (await this.model
      .findOne({ targetKey: keyOf(target), baking: true })
      .select('state __v')
      .lean()
      .exec()) as Doc | null;
    return doc ? toStored(doc) : undefined;
  }

  async unfinishedFor(target: RolloutTargetRef): Promise<StoredRollout | undefined> {
    const doc = (await this.model
      .findOne({ targetKey: keyOf(target), phase: { $in: UNFINISHED } })
      .select('state __v')
      .lean()
      .exec()) as Doc | null;
    return doc ? toStored(doc) : undefined;
  }

  async unfinishedOrCompletedSince(since: Date): Promise<StoredRollout[]> {
    const docs = (await this.model
      .find({ $or: [{ phase: { $in: UNFINISHED } }, { completedAt: { $gte: since } }] })
      .select('state __v')
      .lean()
      .exec()) as unknown as Doc[];
    return docs.map(toStored);
  }

  async list(filter: RolloutFilter, page: PageRequest): Promise<RolloutPage> {
    const where: Record<string, unknown> = {};
    if (filter.releaseId) where.releaseId = filter.releaseId;
    if (filter.environment) where.environment = filter.environment;
    if (filter.namespace) where.namespace = filter.namespace;
    if (filter.phase?.length) where.phase = { $in: filter.phase };
    const result = await paginate(this.model, page, {
      filter: where as QueryFilter<Record<string, unknown>>,
      sortBy: 'startedAt',
      direction: 'desc',
      defaultPageSize: 20,
      maxPageSize: 100,
    });
    return {
      edges: result.edges.map((e) => ({ node: toStored(e.node.toObject() as unknown as Doc), cursor: e.cursor })),
      pageInfo: result.pageInfo,
      totalCount: () => this.model.countDocuments(where).exec(),
    };
  }
}
