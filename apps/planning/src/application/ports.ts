import type { CloudEvent } from '@flightdeck/events';
import type { Release } from '../domain/release.js';
import type { ReleaseStatus } from '../domain/lifecycle.js';
import type { ReleaseType } from '../domain/release-type.js';

export interface Clock {
  now(): Date;
}

/** A release as stored, with the revision its next write must still find (optimistic concurrency). */
export interface StoredRelease {
  release: Release;
  revision: number;
  /** Ids of the other services' events already applied to this release (bounded, newest last). */
  processedEvents: string[];
  /** Read for a list, without the scope history (scopeChanges is empty): load the release for it. */
  partial?: boolean;
}

export interface ReleaseFilter {
  product?: string;
  status?: ReleaseStatus[];
  type?: ReleaseType[];
  targetFrom?: Date;
  targetTo?: Date;
}

export interface PageRequest {
  first?: number | null;
  after?: string | null;
  /** Only the release's own fields are needed: skip scope, history and projections. */
  summaryOnly?: boolean;
}

export interface ReleasePage {
  edges: { node: StoredRelease; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

export interface SaveOptions {
  /** An event id to remember as applied, in the same write. */
  processedEvent?: string;
}

/**
 * Where releases live. Every write stores the release and its events together (transactional
 * outbox), and `update` refuses with a ConflictError when the release moved past `revision`.
 */
export interface ReleaseRepository {
  get(id: string): Promise<StoredRelease | undefined>;
  getByVersion(product: string, version: string): Promise<StoredRelease | undefined>;
  /** Versions of the product's releases that reached RELEASED (including CLOSED ones). */
  releasedVersions(product: string): Promise<string[]>;
  insert(release: Release, events: CloudEvent[]): Promise<StoredRelease>;
  update(release: Release, revision: number, events: CloudEvent[], options?: SaveOptions): Promise<StoredRelease>;
  /** Queues events about the release that change nothing in it (its revision stays), in its outbox like every other. */
  recordEvents(id: string, events: CloudEvent[]): Promise<void>;
  list(filter: ReleaseFilter, page: PageRequest): Promise<ReleasePage>;
}

/** Who is asking, for the history and the events' correlation. */
export interface RequestMeta {
  /** The caller's subject: the identity key that records and events carry and rules compare. */
  by: string;
  /** The caller's display name, for display only. */
  byName?: string;
  correlationId?: string;
}

export interface IdGenerator {
  (): string;
}
