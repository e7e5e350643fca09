import type { Logger } from 'pino';
import { ConflictError, RuleError } from '@flightdeck/kernel';
import {
  applyReleaseAction,
  childRollout,
  childRolloutId,
  decideRelease,
  type Children,
  type ReleaseAction,
  type ReleaseOutcome,
  type ReleaseRollout,
} from '../domain/index.js';
import { startedEvent } from './events.js';
import { ReconcileLoop } from './reconcile-loop.js';
import { releaseEventsOf } from './release-rollout-events.js';
import type { ReleaseRolloutRepository, StoredReleaseRollout } from './release-rollout-ports.js';
import type { RolloutCommands } from './rollout-commands.js';
import type { Clock, Leadership, RolloutRepository, RolloutTarget } from './ports.js';

/** What SREs see of release rollouts on /metrics. */
export interface ReleaseRolloutMetrics {
  decided(release: ReleaseRollout): void;
}

export interface ReleaseControllerOptions {
  releases: ReleaseRolloutRepository;
  rollouts: RolloutRepository;
  /** The per-rollout use cases: the release approves and aborts its children as a person would. */
  commands: RolloutCommands;
  target: RolloutTarget;
  clock: Clock;
  logger: Logger;
  leadership: Leadership;
  metrics?: ReleaseRolloutMetrics;
  /** Tells the per-rollout controller to look now (after children were created, approved or aborted). */
  wakeRollouts?: () => void;
  tickMs?: number;
}

const MAX_ACTIONS_PER_PASS = 10;

/**
 * The release-wide rollouts' loop (leader only): for each release rollout not final it reads its child rollouts,
 * asks `decideRelease` for the next action, carries it out (creates, approves or aborts child rollouts; the
 * per-rollout controller moves them), and saves the new state with its events in one write.
 */
export class ReleaseRolloutController {
  private readonly loop: ReconcileLoop;

  constructor(private readonly o: ReleaseControllerOptions) {
    this.loop = new ReconcileLoop(() => this.runPass(), o.tickMs ?? 250);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  async runPass(): Promise<void> {
    if (!this.o.leadership.isLeader()) return;
    let active: StoredReleaseRollout[];
    try {
      active = await this.o.releases.active();
    } catch (err) {
      this.o.logger.warn({ err }, 'could not read the active release rollouts; trying again at the next tick');
      return;
    }
    for (const s of active) await this.reconcile(s);
  }

  /** The child rollouts of the current attempt, found by their deterministic ids. */
  private async children(r: ReleaseRollout): Promise<Children> {
    const entries = await Promise.all(
      r.workloads.map(async (w) => [w.name, (await this.o.rollouts.get(childRolloutId(r, w.name)))?.rollout] as const),
    );
    return Object.fromEntries(entries);
  }

  async reconcile(stored: StoredReleaseRollout): Promise<void> {
    const id = stored.release.id;
    try {
      let { release, revision } = stored;
      for (let i = 0; i < MAX_ACTIONS_PER_PASS && this.o.leadership.isLeader(); i++) {
        let children = await this.children(release);
        const action = decideRelease(release, children);
        const outcome = await this.carryOut(release, action, children);
        if (action.kind !== 'WAIT') children = await this.children(release);
        const change = applyReleaseAction(release, action, this.o.clock.now(), children, outcome);
        if (change.release === release) return;
        const saved = await this.o.releases.save(
          change.release,
          revision,
          releaseEventsOf(change.release, change.happenings),
        );
        release = saved.release;
        revision = saved.revision;
        const decision = release.decisions.at(-1);
        this.o.logger.info(
          {
            releaseRolloutId: id,
            releaseId: release.releaseId,
            action: action.kind,
            phase: release.phase,
            ...(decision?.measurements ? { measurements: decision.measurements } : {}),
          },
          `release rollout ${id} (${release.releaseId}): ${decision?.message ?? release.message}`,
        );
        this.o.metrics?.decided(release);
        if (action.kind === 'WAIT') return;
      }
    } catch (err) {
      if (err instanceof ConflictError)
        this.o.logger.debug(
          { releaseRolloutId: id },
          `release rollout ${id} changed meanwhile (a person acted); it is read again at the next tick`,
        );
      else
        this.o.logger.warn(
          { err, releaseRolloutId: id },
          `release rollout ${id}: ${(err as Error).message}; retrying at the next tick`,
        );
    }
  }

  private async carryOut(r: ReleaseRollout, action: ReleaseAction, children: Children): Promise<ReleaseOutcome> {
    const system = { by: 'flightdeck-deployment', byName: `release rollout ${r.id}` };
    switch (action.kind) {
      case 'START_WAVES': {
        for (const name of action.workloads) {
          if (children[name]) continue; // created before a crash: never twice
          const refused = await this.createChild(r, name);
          if (refused) return { refused: { workload: name, reason: refused } };
        }
        this.o.wakeRollouts?.();
        return {};
      }
      case 'APPROVE_CHILDREN': {
        const by = r.promoteRequest
          ? { by: r.promoteRequest.by, byName: r.promoteRequest.byName ?? r.promoteRequest.by }
          : system;
        for (const name of action.workloads) {
          try {
            await this.o.commands.approve(children[name]!.id, by);
          } catch (err) {
            // Already past its pause (approved before a crash, or by a person): nothing to do.
            if (!(err instanceof RuleError)) throw err;
          }
        }
        this.o.wakeRollouts?.();
        return {};
      }
      case 'ABORT_CHILD': {
        try {
          await this.o.commands.abort(action.rolloutId, action.reason, system);
        } catch (err) {
          if (err instanceof RuleError) return { refused: { workload: action.workload, reason: err.message } };
          throw err;
        }
        this.o.wakeRollouts?.();
        return {};
      }
      default:
        return {};
    }
  }

  /** Creates one child rollout; a reason when it cannot be started (the release then rolls back what moved). */
  private async createChild(r: ReleaseRollout, name: string): Promise<string | undefined> {
    const spec = r.workloads.find((w) => w.name === name)!;
    const ref = spec.rollout.target;
    const where = `${ref.namespace}/${ref.deployment}`;
    const id = childRolloutId(r, name);
    const taken = await this.o.rollouts.unfinishedFor(ref);
    if (taken && taken.rollout.id !== id)
      return `${where} already has rollout ${taken.rollout.id} in phase ${taken.rollout.phase}`;
    const live = await this.o.target.live(ref);
    if (!live) return `Deployment ${where} was not found in the cluster${ref.cluster ? ` ${ref.cluster}` : ''}`;
    let child;
    try {
      child = childRollout(r, spec, live, this.o.clock.now());
    } catch (err) {
      if (err instanceof RuleError) return err.message;
      throw err;
    }
    try {
      await this.o.rollouts.insert(child, [startedEvent(child)]);
    } catch (err) {
      // Inserted by a previous leader a moment ago: the deterministic id makes the second insert fail, and that is fine.
      if (await this.o.rollouts.get(id)) return undefined;
      throw err;
    }
    return undefined;
  }
}
