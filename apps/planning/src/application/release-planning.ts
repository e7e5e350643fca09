import type { CloudEvent } from '@flightdeck/events';
import { RELEASE_STATUSES, type ReleaseStatus } from '../domain/lifecycle.js';
import {
  addFeature,
  changeStatus,
  planRelease,
  attribution,
  removeFeature,
  updateDetails,
  updateFeature,
  type FeatureInput,
  type PlanReleaseInput,
  type Release,
  type ReleaseDetailsPatch,
} from '../domain/release.js';
import { checkRevision, NotFoundError, retryOnConflict, RuleError } from '@flightdeck/kernel';
import { featureStatusEvent, releaseCreatedEvent, scopeChangedEvent, statusChangedEvent } from './events.js';
import type {
  Clock,
  IdGenerator,
  PageRequest,
  ReleaseFilter,
  ReleasePage,
  ReleaseRepository,
  RequestMeta,
  StoredRelease,
} from './ports.js';

export interface ReleasePlanningDeps {
  releases: ReleaseRepository;
  clock: Clock;
  newId: IdGenerator;
}

/** Use cases that change a release or its scope; each stores the change and its events in one write. */
export class ReleasePlanning {
  constructor(private readonly deps: ReleasePlanningDeps) {}

  async get(id: string): Promise<StoredRelease> {
    const stored = await this.deps.releases.get(id);
    if (!stored) throw new NotFoundError(`release ${id} does not exist`);
    return stored;
  }

  find(id: string): Promise<StoredRelease | undefined> {
    return this.deps.releases.get(id);
  }

  byVersion(product: string, version: string): Promise<StoredRelease | undefined> {
    return this.deps.releases.getByVersion(product, version);
  }

  list(filter: ReleaseFilter, page: PageRequest): Promise<ReleasePage> {
    if (filter.status)
      for (const s of filter.status)
        if (!RELEASE_STATUSES.includes(s)) throw new RuleError(`unknown status ${s}`, 'filter.status');
    if (filter.targetFrom && filter.targetTo && filter.targetFrom > filter.targetTo) {
      throw new RuleError('filter.targetFrom is after filter.targetTo', 'filter.targetFrom');
    }
    return this.deps.releases.list(filter, page);
  }

  async create(meta: RequestMeta, input: PlanReleaseInput): Promise<StoredRelease> {
    const now = this.deps.clock.now();
    const existing = await this.deps.releases.getByVersion(input.product.trim(), input.version.trim());
    if (existing) {
      throw new RuleError(
        `${existing.release.product} ${existing.release.version} already exists (release ${existing.release.id}, ${existing.release.status})`,
        'version',
      );
    }
    const released = await this.deps.releases.releasedVersions(input.product.trim());
    const release = planRelease(this.deps.newId(), input, released, { ...attribution(meta), at: now });
    return this.deps.releases.insert(release, [releaseCreatedEvent(release, meta)]);
  }

  async update(
    meta: RequestMeta,
    id: string,
    patch: ReleaseDetailsPatch,
    expectedRevision?: number,
  ): Promise<StoredRelease> {
    return this.change(id, expectedRevision, (r, now) => ({
      release: updateDetails(r, patch, { ...attribution(meta), at: now }),
      events: [],
    }));
  }

  async transition(
    meta: RequestMeta,
    id: string,
    to: ReleaseStatus,
    reason: string,
    expectedRevision?: number,
  ): Promise<StoredRelease> {
    return this.change(id, expectedRevision, (r, now) => {
      const result = changeStatus(r, to, { ...attribution(meta), at: now }, reason);
      return { release: result.release, events: [statusChangedEvent(result.release, result.transition, meta)] };
    });
  }

  async addFeature(
    meta: RequestMeta,
    id: string,
    input: FeatureInput,
    reason?: string,
    expectedRevision?: number,
  ): Promise<{ stored: StoredRelease; featureId: string }> {
    const featureId = this.deps.newId();
    const stored = await this.change(id, expectedRevision, (r, now) => {
      const result = addFeature(r, featureId, input, { ...attribution(meta), at: now }, reason);
      return { release: result.release, events: [scopeChangedEvent(result.release, result.change, meta)] };
    });
    return { stored, featureId };
  }

  async updateFeature(
    meta: RequestMeta,
    id: string,
    featureId: string,
    patch: Partial<FeatureInput>,
    reason?: string,
    expectedRevision?: number,
  ): Promise<StoredRelease> {
    return this.change(id, expectedRevision, (r, now) => {
      const result = updateFeature(r, featureId, patch, { ...attribution(meta), at: now }, reason);
      if (result.release === r) return { release: r, events: [] };
      const events = [scopeChangedEvent(result.release, result.change, meta)];
      if (result.statusChanged)
        events.push(featureStatusEvent(result.release, featureId, result.statusChanged, meta, now));
      return { release: result.release, events };
    });
  }

  async removeFeature(
    meta: RequestMeta,
    id: string,
    featureId: string,
    reason?: string,
    expectedRevision?: number,
  ): Promise<StoredRelease> {
    return this.change(id, expectedRevision, (r, now) => {
      const result = removeFeature(r, featureId, { ...attribution(meta), at: now }, reason);
      return { release: result.release, events: [scopeChangedEvent(result.release, result.change, meta)] };
    });
  }

  /** Publishes events that record advice about a release without changing it, so clients' revisions stay valid. */
  recordEvents(id: string, events: CloudEvent[]): Promise<void> {
    return this.deps.releases.recordEvents(id, events);
  }

  /**
   * Loads, applies a pure change and stores it if nobody wrote in between; nothing is ever overwritten. With
   * `expectedRevision` (the revision the caller saw) a stale or lost write is a ConflictError. Without one, a
   * write that lost the race to another (an event from another service, another person) is re-applied to the
   * release as it is now, its rules checked again (retryOnConflict).
   */
  async change(
    id: string,
    expectedRevision: number | undefined,
    apply: (r: Release, now: Date) => { release: Release; events: CloudEvent[] },
  ): Promise<StoredRelease> {
    return retryOnConflict(
      async () => {
        const stored = await this.get(id);
        checkRevision('Release', id, expectedRevision, stored.revision);
        const { release, events } = apply(stored.release, this.deps.clock.now());
        if (release === stored.release) return stored;
        return this.deps.releases.update(release, stored.revision, events);
      },
      { expectedRevision },
    );
  }
}
