import { NotFoundError, retryOnConflict, RuleError } from '@flightdeck/kernel';
import {
  createReleaseRollout,
  requestAbortAll,
  requestPauseAll,
  requestPromoteAll,
  retryRelease,
  type ReleaseRollout,
  type StartMode,
  type WorkloadRollout,
} from '../domain/index.js';
import { releaseStartedEvent } from './release-rollout-events.js';
import type { ReleaseRolloutRepository, StoredReleaseRollout } from './release-rollout-ports.js';
import { freeDeployment, personOf, type RequestMeta } from './free-deployment.js';
import type { Clock, IdGenerator, ReleaseClearance, RolloutRepository, RolloutTarget } from './ports.js';

export interface StartReleaseInput {
  releaseId: string;
  environment: string;
  mode: StartMode;
  autoPromote?: boolean;
  workloads: { name?: string; dependsOn?: string[]; rollout: WorkloadRollout }[];
}

/** The use cases of release-wide rollouts: start, promote-all, pause-all, abort-all, retry, read. The controller does the rest. */
export class ReleaseRolloutCommands {
  constructor(
    private readonly deps: {
      releases: ReleaseRolloutRepository;
      rollouts: RolloutRepository;
      target: RolloutTarget;
      clearance: ReleaseClearance;
      clock: Clock;
      newId: IdGenerator;
      wake?: () => void;
    },
  ) {}

  async start(input: StartReleaseInput, meta: RequestMeta): Promise<StoredReleaseRollout> {
    const { releases, clearance, clock } = this.deps;
    const cleared = await clearance.clearance(input.releaseId);
    if (!cleared.cleared)
      throw new RuleError(`release ${input.releaseId} may not be rolled out: ${cleared.reason}`, 'releaseId');
    const busy = await releases.unfinishedFor(input.releaseId, input.environment);
    if (busy)
      throw new RuleError(
        `release ${input.releaseId} already has release rollout ${busy.release.id} in ${input.environment} in phase ${busy.release.phase}; finish or abort it first`,
        'releaseId',
      );
    // What each Deployment runs now, and that no other rollout holds it: checked for all before anything moves.
    const lives = await Promise.all(
      input.workloads.map((w, i) =>
        freeDeployment(this.deps, w.rollout.target, `workloads[${i}].target`, `workloads[${i}]: `),
      ),
    );
    const byTarget = new Map(input.workloads.map((w, i) => [w.rollout.target, lives[i]!]));
    const release = createReleaseRollout(
      { ...input, id: this.deps.newId(), createdBy: personOf(meta) },
      (spec) => byTarget.get(spec.rollout.target)!,
      clock.now(),
    );
    const stored = await releases.insert(release, [releaseStartedEvent(release, meta.correlationId)]);
    this.deps.wake?.();
    return stored;
  }

  promoteAll(id: string, meta: RequestMeta): Promise<StoredReleaseRollout> {
    return this.change(id, (r) => requestPromoteAll(r, personOf(meta), this.deps.clock.now()));
  }

  pauseAll(id: string, reason: string, meta: RequestMeta): Promise<StoredReleaseRollout> {
    return this.change(id, (r) => requestPauseAll(r, personOf(meta), reason, this.deps.clock.now()));
  }

  abortAll(id: string, reason: string, meta: RequestMeta): Promise<StoredReleaseRollout> {
    return this.change(id, (r) => requestAbortAll(r, personOf(meta), reason, this.deps.clock.now()));
  }

  retry(id: string, meta: RequestMeta): Promise<StoredReleaseRollout> {
    return this.change(id, (r) => retryRelease(r, personOf(meta), this.deps.clock.now()));
  }

  async get(id: string): Promise<StoredReleaseRollout> {
    const s = await this.deps.releases.get(id);
    if (!s) throw new NotFoundError(`release rollout ${id} does not exist`);
    return s;
  }

  find(id: string): Promise<StoredReleaseRollout | undefined> {
    return this.deps.releases.get(id);
  }

  forRelease(releaseId: string): Promise<StoredReleaseRollout[]> {
    return this.deps.releases.forRelease(releaseId);
  }

  /** A person's change, re-applied to the release rollout as it is now when the controller wrote meanwhile. */
  private async change(id: string, fn: (r: ReleaseRollout) => ReleaseRollout): Promise<StoredReleaseRollout> {
    const saved = await retryOnConflict(async () => {
      const current = await this.get(id);
      return this.deps.releases.save(fn(current.release), current.revision, []);
    });
    this.deps.wake?.();
    return saved;
  }
}
