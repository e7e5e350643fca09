import type { CloudEvent } from '@flightdeck/events';
import { NotFoundError, retryOnConflict, RuleError } from '@flightdeck/kernel';
import {
  approveStep,
  createRollout,
  recordCheck,
  requestAbort,
  retry,
  supersedeBake,
  type Rollout,
  type RolloutRequest,
} from '../domain/index.js';
import { startedEvent } from './events.js';
import { freeDeployment, personOf, type RequestMeta } from './free-deployment.js';
import type {
  Clock,
  IdGenerator,
  PageRequest,
  ReleaseClearance,
  RolloutFilter,
  RolloutPage,
  RolloutRepository,
  RolloutTarget,
  StoredRollout,
} from './ports.js';

export type { RequestMeta };

export type StartInput = Omit<RolloutRequest, 'id' | 'createdBy'>;

/** The use cases behind the API: start, approve, abort, retry, read. The controller does the rest. */
export class RolloutCommands {
  constructor(
    private readonly deps: {
      rollouts: RolloutRepository;
      target: RolloutTarget;
      clearance: ReleaseClearance;
      clock: Clock;
      newId: IdGenerator;
      /** Called after a change the controller should act on at once. */
      wake?: () => void;
    },
  ) {}

  async start(input: StartInput, meta: RequestMeta): Promise<StoredRollout> {
    const { rollouts, clearance, clock } = this.deps;
    const cleared = await clearance.clearance(input.releaseId);
    if (!cleared.cleared)
      throw new RuleError(`release ${input.releaseId} may not be rolled out: ${cleared.reason}`, 'releaseId');
    const ref = input.target;
    const live = await freeDeployment(this.deps, ref, 'target');
    const rollout = createRollout({ ...input, id: this.deps.newId(), createdBy: personOf(meta) }, live, clock.now());
    // The new rollout takes the canary Deployment over: an earlier rollout's bake there ends first.
    const baking = await rollouts.bakingFor(ref);
    if (baking)
      await this.change(baking.rollout.id, (r) =>
        r.bake?.status === 'RUNNING' ? supersedeBake(r, rollout.id, clock.now()) : r,
      );
    const stored = await rollouts.insert(rollout, [startedEvent(rollout, meta.correlationId)]);
    this.deps.wake?.();
    return stored;
  }

  approve(id: string, meta: RequestMeta): Promise<StoredRollout> {
    return this.change(id, (r) => approveStep(r, personOf(meta), this.deps.clock.now()));
  }

  abort(id: string, reason: string, meta: RequestMeta): Promise<StoredRollout> {
    return this.change(id, (r) => requestAbort(r, personOf(meta), reason, this.deps.clock.now()));
  }

  retry(id: string, meta: RequestMeta): Promise<StoredRollout> {
    return this.change(id, (r) => retry(r, personOf(meta), this.deps.clock.now()));
  }

  recordCheck(id: string, checkId: string, passed: boolean, note: string, meta: RequestMeta): Promise<StoredRollout> {
    return this.change(id, (r) => recordCheck(r, checkId, passed, personOf(meta), note, this.deps.clock.now()));
  }

  async get(id: string): Promise<StoredRollout> {
    const s = await this.find(id);
    if (!s) throw new NotFoundError(`rollout ${id} does not exist`);
    return s;
  }

  /** The rollout, or undefined when there is none with this id. */
  find(id: string): Promise<StoredRollout | undefined> {
    return this.deps.rollouts.get(id);
  }

  list(filter: RolloutFilter, page: PageRequest): Promise<RolloutPage> {
    return this.deps.rollouts.list(filter, page);
  }

  /**
   * Applies a person's change. The API takes no revision and the controller writes every few hundred
   * milliseconds, so a write that lost the race is re-applied to the rollout as it is now, its rules checked again.
   */
  private async change(id: string, fn: (r: Rollout) => Rollout, events: CloudEvent[] = []): Promise<StoredRollout> {
    const saved = await retryOnConflict(async () => {
      const current = await this.get(id);
      return this.deps.rollouts.save(fn(current.rollout), current.revision, events);
    });
    this.deps.wake?.();
    return saved;
  }
}
