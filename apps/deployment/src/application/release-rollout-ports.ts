import type { CloudEvent } from '@flightdeck/events';
import type { ReleaseRollout } from '../domain/index.js';

export interface StoredReleaseRollout {
  release: ReleaseRollout;
  revision: number;
}

/** Release-wide rollouts, each one document with its outbox (like rollouts). */
export interface ReleaseRolloutRepository {
  insert(release: ReleaseRollout, events: CloudEvent[]): Promise<StoredReleaseRollout>;
  /** Saves the state and its events in one write if still at `revision`; throws ConflictError otherwise. */
  save(release: ReleaseRollout, revision: number, events: CloudEvent[]): Promise<StoredReleaseRollout>;
  get(id: string): Promise<StoredReleaseRollout | undefined>;
  /** Release rollouts the controller looks at (not final). */
  active(): Promise<StoredReleaseRollout[]>;
  /** A release rollout of the same release and environment that is not final yet. */
  unfinishedFor(releaseId: string, environment: string): Promise<StoredReleaseRollout | undefined>;
  /** The release's release rollouts, newest first. */
  forRelease(releaseId: string): Promise<StoredReleaseRollout[]>;
  /** Not final, or final at `since` or later: what the metrics show. */
  unfinishedOrCompletedSince(since: Date): Promise<StoredReleaseRollout[]>;
}
