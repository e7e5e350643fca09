import { applyOnce, outboxPush, type CloudEvent } from '@flightdeck/events';
import { updateWithVersion } from '@flightdeck/persistence';
import { ConflictError } from '@flightdeck/kernel';
import type { GateDefinition } from '../../domain/index.js';
import type {
  AuditEntry,
  AuditFilter,
  GateState,
  GatesStore,
  Readiness,
  ReleaseChange,
  ReleaseView,
  StoredGateState,
} from '../../application/ports.js';
import type { GatesModels } from './models.js';

type Doc = Record<string, unknown> & { _id: string; __v?: number };

const isDuplicateKey = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
/** Feature ids become object keys: "." and "$" must not appear in them. */
const featureKey = (id: string) => encodeURIComponent(id).replaceAll('.', '%2E');

function toState(doc: Doc): GateState {
  const state: GateState = {
    releaseId: String(doc.releaseId),
    gate: String(doc.gate),
    product: String(doc.product),
    evidence: (doc.evidence as GateState['evidence']) ?? [],
    ticks: (doc.ticks as GateState['ticks']) ?? [],
    approvals: ((doc.approvals as GateState['approvals']) ?? []).map((a) => {
      const { withdrawnAt, withdrawnReason, ...rest } = a as typeof a & {
        withdrawnAt?: Date | null;
        withdrawnReason?: string | null;
      };
      return { ...rest, ...(withdrawnAt ? { withdrawnAt } : {}), ...(withdrawnReason ? { withdrawnReason } : {}) };
    }),
    evaluations: (doc.evaluations as GateState['evaluations']) ?? [],
    audit: (doc.audit as AuditEntry[]) ?? [],
  };
  if (doc.passedAt) state.passedAt = doc.passedAt as Date;
  return state;
}

function toRelease(doc: Doc): ReleaseView {
  const features = Object.entries((doc.features as Record<string, { title: string; status: string }>) ?? {}).map(
    ([k, f]) => ({ id: decodeURIComponent(k), title: f.title, status: f.status ?? 'TODO' }),
  );
  return {
    id: doc._id,
    product: String(doc.product ?? ''),
    version: String(doc.version ?? ''),
    type: (doc.type as ReleaseView['type']) ?? 'MINOR',
    ...(doc.requestedBy ? { requestedBy: String(doc.requestedBy) } : {}),
    ...(doc.status ? { status: String(doc.status) } : {}),
    features,
  };
}

/** Gates' data in MongoDB: gate definitions (one document per version), gate states with their outbox, and the release projection. */
export class MongoGatesStore implements GatesStore {
  constructor(
    private readonly models: GatesModels,
    /** Called after a write that recorded events, so the relay publishes them at once. */
    private readonly onEvents: () => void = () => {},
  ) {}

  async definitions(product: string): Promise<GateDefinition[]> {
    const docs = (await this.models.definitions.find({ product }).sort({ version: 1 }).lean().exec()) as Doc[];
    const latest = new Map<string, GateDefinition>();
    for (const d of docs) latest.set(String(d.name), d.definition as GateDefinition);
    return [...latest.values()];
  }

  async insertDefinition(def: GateDefinition, audit: AuditEntry): Promise<void> {
    try {
      await this.models.definitions.create({
        _id: `${def.product}:${def.name}:v${def.version}`,
        product: def.product,
        name: def.name,
        version: def.version,
        definition: def,
        audit,
      });
    } catch (err) {
      if (isDuplicateKey(err))
        throw new ConflictError('GateDefinition', `${def.product}:${def.name}`, def.version - 1, def.version);
      throw err;
    }
  }

  async state(releaseId: string, gate: string): Promise<StoredGateState | undefined> {
    const doc = (await this.models.states
      .findById(`${releaseId}:${gate}`)
      .select('-outbox')
      .lean()
      .exec()) as Doc | null;
    return doc ? { state: toState(doc), revision: Number(doc.__v ?? 0) } : undefined;
  }

  async saveState(state: GateState, revision: number | undefined, events: CloudEvent[]): Promise<void> {
    const id = `${state.releaseId}:${state.gate}`;
    if (revision === undefined) {
      const doc = new this.models.states({ _id: id, ...state }) as InstanceType<GatesModels['states']> & {
        recordEvent(e: CloudEvent): void;
      };
      for (const e of events) doc.recordEvent(e);
      try {
        await doc.save();
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError('GateState', id, 0, 0);
        throw err;
      }
    } else {
      const set: Record<string, unknown> = { ...state };
      const update: Record<string, unknown> = { $set: set, ...(events.length ? outboxPush(events) : {}) };
      if (!state.passedAt) {
        delete set.passedAt;
        update.$unset = { passedAt: 1 };
      }
      await updateWithVersion(this.models.states, id, revision, update);
    }
    if (events.length) this.onEvents();
  }

  async statesOfRelease(releaseId: string): Promise<GateState[]> {
    return ((await this.models.states.find({ releaseId }).select('-outbox').lean().exec()) as Doc[]).map(toState);
  }

  async audit(filter: AuditFilter): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const where = filter.releaseId ? { releaseId: filter.releaseId } : { product: filter.product };
    for (const s of (await this.models.states.find(where).select('audit').lean().exec()) as Doc[])
      entries.push(...((s.audit as AuditEntry[]) ?? []));
    const releases = (await this.models.releases
      .find(filter.releaseId ? { _id: filter.releaseId } : { product: filter.product })
      .select('audit')
      .lean()
      .exec()) as Doc[];
    for (const r of releases) entries.push(...((r.audit as AuditEntry[]) ?? []));
    if (!filter.releaseId)
      for (const d of (await this.models.definitions
        .find({ product: filter.product })
        .select('audit')
        .lean()
        .exec()) as Doc[])
        entries.push(d.audit as AuditEntry);
    const kept = entries.filter(
      (e) =>
        (!filter.gate || e.gate === filter.gate) &&
        (!filter.action || e.action === filter.action) &&
        (!filter.product || e.product === filter.product),
    );
    kept.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime() || a.id.localeCompare(b.id));
    return filter.limit ? kept.slice(-filter.limit) : kept;
  }

  async release(id: string): Promise<ReleaseView | undefined> {
    const doc = (await this.models.releases
      .findById(id)
      .select('-outbox -readiness -audit')
      .lean()
      .exec()) as Doc | null;
    return doc?.product ? toRelease(doc) : undefined;
  }

  async releaseByVersion(product: string, version: string): Promise<ReleaseView | undefined> {
    const doc = (await this.models.releases
      .findOne({ product, version })
      .select('-outbox -readiness -audit')
      .lean()
      .exec()) as Doc | null;
    return doc ? toRelease(doc) : undefined;
  }

  async applyToRelease(eventId: string, releaseId: string, change: ReleaseChange): Promise<'applied' | 'duplicate'> {
    let update: Record<string, unknown>;
    if (change.kind === 'created') {
      const { id: _id, ...fields } = change.release;
      update = { $set: fields };
    } else if (change.kind === 'status') update = { $set: { status: change.status } };
    else if (change.removed) update = { $unset: { [`features.${featureKey(change.featureId)}`]: 1 } };
    else {
      const key = `features.${featureKey(change.featureId)}`;
      update = {
        $set: { [`${key}.title`]: change.title, ...(change.status ? { [`${key}.status`]: change.status } : {}) },
      };
    }
    return applyOnce(this.models.releases, { _id: releaseId }, eventId, update, { upsert: true });
  }

  async saveReadiness(readiness: Readiness, audit: AuditEntry, events: CloudEvent[]): Promise<void> {
    const push = outboxPush(events).$push;
    await this.models.releases.updateOne({ _id: readiness.releaseId }, { $push: { ...push, readiness, audit } }).exec();
    this.onEvents();
  }

  async recordAdvice(releaseId: string, audit: AuditEntry, events: CloudEvent[]): Promise<void> {
    const push = outboxPush(events).$push;
    await this.models.releases.updateOne({ _id: releaseId }, { $push: { ...push, audit } }).exec();
    this.onEvents();
  }

  async readiness(releaseId: string): Promise<Readiness[]> {
    const doc = (await this.models.releases.findById(releaseId).select('readiness').lean().exec()) as Doc | null;
    return ((doc?.readiness as Readiness[]) ?? []).slice().reverse();
  }
}
