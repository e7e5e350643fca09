import { outboxPush, type CloudEvent } from '@flightdeck/events';
import type {
  EntityKind,
  EntityRecord,
  FactUpdate,
  IncidentRecord,
  ReleaseRecord,
  RolloutRecord,
} from '../../domain/facts.js';
import {
  CHANGE_FIELDS,
  changedRecordOf,
  type ChangeCursor,
  type ChangedRecord,
  type ProjectionRecords,
  type ProjectionStore,
} from '../../application/ports.js';
import { isUnattributedIncident } from '../../domain/partitions.js';
import type { ProjectionModels, RecordDocument } from './projection-models.js';

/** How far before the newest change seen the next read looks again. */
const OVERLAP_MS = 2_000;

interface MongoChangeCursor {
  at: number;
  seen: Record<string, number>;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
    const update = { $set: set, $currentDate: { changedAt: true }, ...(outbox?.length ? outboxPush(outbox) : {}) };
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
      return {
        releases: releases.map(toRecord<ReleaseRecord>),
        rollouts: rollouts.map(toRecord<RolloutRecord>),
        incidents: incidents.map(toRecord<IncidentRecord>),
      };
    }
    const releases = await this.models.release.find({ 'header.product': product }, null, lean).lean<RecordDocument[]>();
    const rollouts = await this.models.rollout
      .find({ 'header.releaseId': { $in: releases.map((r) => r._id) } }, null, lean)
      .lean<RecordDocument[]>();
    const workloads = [
      ...new Set(rollouts.map((r) => r.header.workload).filter((w): w is string => typeof w === 'string')),
    ];
    // Three indexed lookups rather than one $or, which would compare every incident with every rollout id.
    const found = await Promise.all([
      this.models.incident.find({ 'header.product': product }, null, lean).lean<RecordDocument[]>(),
      workloads.length
        ? this.models.incident.find({ 'header.workload': { $in: workloads } }, null, lean).lean<RecordDocument[]>()
        : Promise.resolve([]),
      rollouts.length
        ? this.models.incident
            .find({ 'header.rolloutId': { $in: rollouts.map((r) => r._id) } }, null, lean)
            .lean<RecordDocument[]>()
        : Promise.resolve([]),
    ]);
    const incidents = [...new Map(found.flat().map((d) => [d._id, d])).values()];
    return {
      releases: releases.map(toRecord<ReleaseRecord>),
      rollouts: rollouts.map(toRecord<RolloutRecord>),
      incidents: incidents.map(toRecord<IncidentRecord>),
    };
  }

  /**
   * Releases rollouts name that carry no product (or have no record yet). Found from the distinct release ids of
   * the rollouts rather than with $nin over every rollout, which a large projection cannot afford per refresh.
   */
  private async unattributedReleaseIds(): Promise<{ attributed: string[]; unattributed: string[] }> {
    const [referenced, attributed] = await Promise.all([
      this.models.rollout.distinct('header.releaseId') as Promise<unknown[]>,
      this.models.release.distinct('_id', { 'header.product': { $type: 'string' } }) as Promise<string[]>,
    ]);
    const known = new Set(attributed);
    return {
      attributed,
      unattributed: referenced.filter((id): id is string => typeof id === 'string' && !known.has(id)),
    };
  }

  async loadUnattributed(namespace?: string): Promise<ProjectionRecords> {
    const lean = { projection: { outbox: 0 } };
    const noProduct = { 'header.product': { $not: { $type: 'string' } } };
    const { attributed, unattributed } = await this.unattributedReleaseIds();
    const inNamespace =
      namespace === undefined
        ? // (a workload without a namespace, e.g. from an alert without one, names no namespace either)
          { rollout: { 'header.team': { $not: { $type: 'string' } } }, incident: { 'header.workload': { $not: /\// } } }
        : {
            rollout: { 'header.team': namespace },
            incident: { 'header.workload': { $regex: `^${escapeRegExp(namespace)}/` } },
          };
    const [releases, rollouts, candidates] = await Promise.all([
      namespace === undefined
        ? this.models.release.find(noProduct, null, lean).lean<RecordDocument[]>()
        : Promise.resolve([]),
      unattributed.length
        ? this.models.rollout
            .find({ 'header.releaseId': { $in: unattributed }, ...inNamespace.rollout }, null, lean)
            .lean<RecordDocument[]>()
        : Promise.resolve([]),
      this.models.incident.find({ ...noProduct, ...inNamespace.incident }, null, lean).lean<RecordDocument[]>(),
    ]);
    const named = <K extends string>(key: K) => [
      ...new Set(candidates.map((i) => i.header[key]).filter((v): v is string => typeof v === 'string')),
    ];
    const [linked, deployed] = await Promise.all([
      this.models.rollout.distinct('_id', {
        _id: { $in: named('rolloutId') },
        'header.releaseId': { $in: attributed },
      }),
      this.models.rollout.distinct('header.workload', {
        'header.workload': { $in: named('workload') },
        'header.releaseId': { $in: attributed },
      }),
    ]);
    const attributedRollouts = new Set(linked as string[]);
    const attributedWorkloads = new Set(deployed as string[]);
    const incidents = candidates.map(toRecord<IncidentRecord>).filter((i) =>
      isUnattributedIncident(i.header, {
        rollout: (id) => attributedRollouts.has(id),
        workload: (w) => attributedWorkloads.has(w),
      }),
    );
    return {
      releases: releases.map(toRecord<ReleaseRecord>),
      rollouts: rollouts.map(toRecord<RolloutRecord>),
      incidents,
    };
  }

  async unattributedNamespaces(deployedByAProduct: (workload: string) => boolean): Promise<string[]> {
    const { unattributed } = await this.unattributedReleaseIds();
    const [teams, workloads] = await Promise.all([
      unattributed.length
        ? this.models.rollout.distinct('header.team', { 'header.releaseId': { $in: unattributed } })
        : Promise.resolve([]),
      this.models.incident.distinct('header.workload', { 'header.product': { $not: { $type: 'string' } } }),
    ]);
    const unclaimed = (workloads as unknown[]).filter(
      (w): w is string => typeof w === 'string' && !deployedByAProduct(w),
    );
    const namespaces = [
      ...(teams as unknown[]),
      ...unclaimed.map((w) => (w.includes('/') ? w.split('/')[0] : undefined)),
    ];
    return [...new Set(namespaces.filter((n): n is string => typeof n === 'string' && n.length > 0))].sort();
  }

  /**
   * Records whose changedAt is at most OVERLAP_MS before the newest one seen, less those already seen at the same
   * time: a write stamped just before a read but visible only after it is still found by the next read.
   */
  async changesSince(cursor: ChangeCursor | undefined): Promise<{ cursor: ChangeCursor; changes: ChangedRecord[] }> {
    const kinds = Object.keys(this.models) as EntityKind[];
    if (cursor === undefined) {
      const newest = await Promise.all(
        kinds.map((k) =>
          this.models[k]
            .findOne({ changedAt: { $type: 'date' } }, { changedAt: 1 })
            .sort({ changedAt: -1 })
            .lean<RecordDocument>(),
        ),
      );
      const at = Math.max(0, ...newest.map((d) => d?.changedAt?.getTime() ?? 0));
      // Read once to remember what is already there, so that the first real read reports only what is new.
      return { cursor: (await this.changesSince({ at, seen: {} } satisfies MongoChangeCursor)).cursor, changes: [] };
    }
    const { at, seen } = cursor as MongoChangeCursor;
    const projection = { changedAt: 1, ...Object.fromEntries(CHANGE_FIELDS.map((f) => [`header.${f}`, 1])) };
    const found = await Promise.all(
      kinds.map(async (entity) => {
        const docs = await this.models[entity]
          .find({ changedAt: { $gte: new Date(at - OVERLAP_MS) } }, projection)
          .lean<RecordDocument[]>();
        return docs.map((d) => ({ entity, d }));
      }),
    );
    const changes: ChangedRecord[] = [];
    let newest = at;
    const stamps: { key: string; t: number }[] = [];
    for (const { entity, d } of found.flat()) {
      const t = d.changedAt!.getTime();
      const key = `${entity}:${d._id}`;
      newest = Math.max(newest, t);
      stamps.push({ key, t });
      if (seen[key] === t) continue;
      changes.push(changedRecordOf(entity, d._id, d.header ?? {}));
    }
    const next: Record<string, number> = {};
    for (const { key, t } of stamps) if (t >= newest - OVERLAP_MS) next[key] = t;
    return { cursor: { at: newest, seen: next } satisfies MongoChangeCursor, changes };
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
    await Promise.all([
      this.models.release.deleteMany({}),
      this.models.rollout.deleteMany({}),
      this.models.incident.deleteMany({ 'outbox.0': { $exists: false } }),
    ]);
  }

  /** Every record, sorted, for comparing two projections (the replay check). */
  async dump(): Promise<ProjectionRecords> {
    const all = await this.load();
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return {
      releases: all.releases.sort(byId),
      rollouts: all.rollouts.sort(byId),
      incidents: all.incidents.sort(byId),
    };
  }
}
