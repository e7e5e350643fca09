import { outboxPush, type CloudEvent } from '@flightdeck/events';
import type { EntityRecord, FactUpdate, IncidentRecord, ReleaseRecord, RolloutRecord } from '../../domain/facts.js';
import type { ProjectionRecords, ProjectionStore } from '../../application/ports.js';
import type { ProjectionModels, RecordDocument } from './projection-models.js';

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

function toRecord<R extends EntityRecord<object, unknown>>(d: RecordDocument): R {
  return { id: d._id, header: d.header ?? {}, facts: d.facts ?? {} } as R;
}

/** Each fact is one `$set` of `facts.<event id>` (upserting the record): idempotent and commutative by construction. */
export class MongoProjectionStore implements ProjectionStore {
  constructor(
    private readonly models: ProjectionModels,
    private readonly onOutbox: () => void = () => {},
  ) {}

  async apply(u: FactUpdate, outbox?: CloudEvent[]): Promise<void> {
    const set: Record<string, unknown> = { [`facts.${u.key}`]: u.fact };
    for (const [k, v] of Object.entries(u.header)) if (v !== undefined) set[`header.${k}`] = v;
    const update = { $set: set, ...(outbox?.length ? outboxPush(outbox) : {}) };
    const model = this.models[u.entity];
    for (let attempt = 0; ; attempt++) {
      try {
        await model.updateOne({ _id: u.id }, update, { upsert: true }).exec();
        break;
      } catch (err) {
        // Two upserts of a new record raced; the second one now finds it.
        if (!isDuplicateKey(err) || attempt >= 2) throw err;
      }
    }
    if (outbox?.length) this.onOutbox();
  }

  async load(product?: string): Promise<ProjectionRecords> {
    const lean = { projection: { outbox: 0 } };
    if (!product) {
      const [releases, rollouts, incidents] = await Promise.all([
        this.models.release.find({}, null, lean).lean<RecordDocument[]>(),
        this.models.rollout.find({}, null, lean).lean<RecordDocument[]>(),
        this.models.incident.find({}, null, lean).lean<RecordDocument[]>(),
      ]);
      return { releases: releases.map(toRecord<ReleaseRecord>), rollouts: rollouts.map(toRecord<RolloutRecord>), incidents: incidents.map(toRecord<IncidentRecord>) };
    }
    const releases = await this.models.release.find({ 'header.product': product }, null, lean).lean<RecordDocument[]>();
    const rollouts = await this.models.rollout.find({ 'header.releaseId': { $in: releases.map((r) => r._id) } }, null, lean).lean<RecordDocument[]>();
    const workloads = [...new Set(rollouts.map((r) => r.header.workload).filter((w): w is string => typeof w === 'string'))];
    const incidents = await this.models.incident
      .find({ $or: [{ 'header.product': product }, { 'header.workload': { $in: workloads } }, { 'header.rolloutId': { $in: rollouts.map((r) => r._id) } }] }, null, lean)
      .lean<RecordDocument[]>();
    return { releases: releases.map(toRecord<ReleaseRecord>), rollouts: rollouts.map(toRecord<RolloutRecord>), incidents: incidents.map(toRecord<IncidentRecord>) };
  }

  async release(id: string): Promise<ReleaseRecord | undefined> {
    const d = await this.models.release.findById(id).lean<RecordDocument>();
    return d ? toRecord<ReleaseRecord>(d) : undefined;
  }

  async incident(id: string): Promise<IncidentRecord | undefined> {
    const d = await this.models.incident.findById(id, { outbox: 0 }).lean<RecordDocument>();
    return d ? toRecord<IncidentRecord>(d) : undefined;
  }

  async products(): Promise<string[]> {
    const values = await this.models.release.distinct('header.product');
    return (values as unknown[]).filter((v): v is string => typeof v === 'string').sort();
  }

  /** Empties the projections; an incident whose own events still wait in its outbox is kept, or they would be lost. */
  async clear(): Promise<void> {
    await Promise.all([this.models.release.deleteMany({}), this.models.rollout.deleteMany({}), this.models.incident.deleteMany({ 'outbox.0': { $exists: false } })]);
  }

  /** Every record, sorted, for comparing two projections (the replay check). */
  async dump(): Promise<ProjectionRecords> {
    const all = await this.load();
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return { releases: all.releases.sort(byId), rollouts: all.rollouts.sort(byId), incidents: all.incidents.sort(byId) };
  }
}
