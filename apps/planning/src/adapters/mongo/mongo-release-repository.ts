import { outboxPush, APPLIED_EVENTS_PATH, type CloudEvent } from '@flightdeck/events';
import { decodeCursor, encodeCursor, updateWithVersion } from '@flightdeck/persistence';
import { ConflictError, NotFoundError, RuleError } from '@flightdeck/kernel';
import type { Release } from '../../domain/release.js';
import type {
  PageRequest,
  ReleaseFilter,
  ReleasePage,
  ReleaseRepository,
  SaveOptions,
  StoredRelease,
} from '../../application/ports.js';
import type { ReleaseModel } from './release-model.js';

const KEEP_APPLIED = 500;
const MAX_PAGE = 100;
const SORT = 'targetDate';
const LIST_PROJECTION = '-scopeChanges -outbox';
const SUMMARY_PROJECTION =
  '-scopeChanges -outbox -features -transitions -gateResults -productionRollouts -lastForecast -considerations -freeze';

type Doc = Record<string, unknown> & { _id: string; __v?: number };

function toRelease(doc: Doc): Release {
  const { _id, __v: _v, outbox: _o, [APPLIED_EVENTS_PATH]: _a, ...rest } = doc;
  const r = rest as unknown as Release & {
    hotfix?: Release['hotfix'] | null;
    baseVersion?: string | null;
    lastForecast?: Release['lastForecast'] | null;
    considerations?: Release['considerations'] | null;
    freeze?: Release['freeze'] | null;
  };
  const release: Release = {
    ...r,
    id: _id,
    team: {
      velocityHistory: r.team?.velocityHistory ?? [],
      ...(typeof r.team?.plannedVelocity === 'number' ? { plannedVelocity: r.team.plannedVelocity } : {}),
    },
    signals: {
      gates: r.signals?.gates ?? {},
      productionRolloutSucceeded: r.signals?.productionRolloutSucceeded ?? false,
    },
    productionRollouts: r.productionRollouts ?? [],
  };
  if (!r.hotfix) delete release.hotfix;
  if (!r.baseVersion) delete release.baseVersion;
  if (!r.lastForecast) delete release.lastForecast;
  if (!r.considerations) delete release.considerations;
  if (!r.freeze) delete release.freeze;
  return release;
}

function toStored(doc: Doc): StoredRelease {
  return {
    release: toRelease(doc),
    revision: Number(doc.__v ?? 0),
    processedEvents: (doc[APPLIED_EVENTS_PATH] as string[] | undefined) ?? [],
  };
}

function fields(r: Release): Record<string, unknown> {
  const { id: _id, ...rest } = r;
  return rest;
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** Releases in MongoDB: one document per release with its scope, history, projection and outbox. */
export class MongoReleaseRepository implements ReleaseRepository {
  constructor(
    private readonly model: ReleaseModel,
    private readonly onEvents: () => void = () => {},
  ) {}

  async get(id: string): Promise<StoredRelease | undefined> {
    const doc = (await this.model.findById(id).select(`+${APPLIED_EVENTS_PATH} -outbox`).lean().exec()) as Doc | null;
    return doc ? toStored(doc) : undefined;
  }

  async getByVersion(product: string, version: string): Promise<StoredRelease | undefined> {
    const doc = (await this.model
      .findOne({ product, version })
      .select(`+${APPLIED_EVENTS_PATH} -outbox`)
      .lean()
      .exec()) as Doc | null;
    return doc ? toStored(doc) : undefined;
  }

  async releasedVersions(product: string): Promise<string[]> {
    const docs = (await this.model
      .find({ product, status: { $in: ['RELEASED', 'CLOSED'] } })
      .select('version')
      .lean()
      .exec()) as Doc[];
    return docs.map((d) => String(d.version));
  }

  async insert(release: Release, events: CloudEvent[]): Promise<StoredRelease> {
    const doc = new this.model({ _id: release.id, ...fields(release) }) as InstanceType<ReleaseModel> & {
      recordEvent(e: CloudEvent): void;
    };
    for (const e of events) doc.recordEvent(e);
    try {
      await doc.save();
    } catch (err) {
      if (isDuplicateKey(err)) throw new RuleError(`${release.product} ${release.version} already exists`, 'version');
      throw err;
    }
    this.onEvents();
    return { release, revision: Number(doc.get('__v') ?? 0), processedEvents: [] };
  }

  async update(
    release: Release,
    revision: number,
    events: CloudEvent[],
    options: SaveOptions = {},
  ): Promise<StoredRelease> {
    const push: Record<string, unknown> = events.length ? { ...outboxPush(events).$push } : {};
    if (options.processedEvent) push[APPLIED_EVENTS_PATH] = { $each: [options.processedEvent], $slice: -KEEP_APPLIED };
    const unset: Record<string, 1> = {};
    const set = fields(release);
    for (const key of ['hotfix', 'baseVersion', 'lastForecast'] as const) {
      if (release[key] === undefined) {
        delete set[key];
        unset[key] = 1;
      }
    }
    const update: Record<string, unknown> = { $set: set };
    if (Object.keys(push).length) update.$push = push;
    if (Object.keys(unset).length) update.$unset = unset;
    try {
      const doc = (await updateWithVersion(this.model, release.id, revision, update)) as unknown as {
        get(p: string): unknown;
      };
      if (events.length) this.onEvents();
      return { release, revision: Number(doc.get('__v')), processedEvents: [] };
    } catch (err) {
      if (err instanceof ConflictError) throw new ConflictError('Release', release.id, revision, err.actualVersion);
      throw err;
    }
  }

  async recordEvents(id: string, events: CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    const result = await this.model.updateOne({ _id: id }, outboxPush(events), { timestamps: false }).exec();
    if (result.matchedCount === 0) throw new NotFoundError(`release ${id} does not exist`);
    this.onEvents();
  }

  /**
   * Keyset pages by target date (then id), read lean and without the scope history and outbox, which
   * grow with every change: the Release resolvers load the full release when a field needs them.
   */
  async list(filter: ReleaseFilter, page: PageRequest): Promise<ReleasePage> {
    const where: Record<string, unknown> = {};
    if (filter.product) where.product = filter.product;
    if (filter.status?.length) where.status = { $in: filter.status };
    if (filter.type?.length) where.type = { $in: filter.type };
    if (filter.targetFrom || filter.targetTo) {
      where.targetDate = {
        ...(filter.targetFrom ? { $gte: filter.targetFrom } : {}),
        ...(filter.targetTo ? { $lte: filter.targetTo } : {}),
      };
    }
    const size = page.first ?? 20;
    if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE)
      throw new RuleError(`first must be an integer from 0 to ${MAX_PAGE}, got ${page.first}`, 'first');
    const conditions: Record<string, unknown>[] = [where];
    const after = page.after ? decodeCursor(page.after, SORT) : undefined;
    if (after) {
      const at = after.value instanceof Date ? after.value : new Date(String(after.value));
      conditions.push({ $or: [{ targetDate: { $gt: at } }, { targetDate: at, _id: { $gt: after.id } }] });
    }
    const docs = (await this.model
      .find(conditions.length > 1 ? { $and: conditions } : where)
      .select(page.summaryOnly ? SUMMARY_PROJECTION : LIST_PROJECTION)
      .sort({ targetDate: 1, _id: 1 })
      .limit(size + 1)
      .lean()
      .exec()) as Doc[];
    const more = docs.length > size;
    const edges = docs.slice(0, size).map((d) => ({
      node: {
        ...toStored({
          ...d,
          scopeChanges: [],
          ...(page.summaryOnly ? { features: [], transitions: [], gateResults: [], productionRollouts: [] } : {}),
        }),
        partial: true,
      },
      cursor: encodeCursor(SORT, d.targetDate, d._id),
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: more,
        hasPreviousPage: after !== undefined,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: () => this.model.countDocuments(where).exec(),
    };
  }
}
