import type { Logger } from 'pino';
import { ConflictError, retryOnConflict } from '@flightdeck/kernel';
import {
  applyAction,
  applyRefusal,
  decide,
  type Action,
  type Change,
  type HookResult,
  type QueryOutcome,
  type Rollout,
} from '../domain/index.js';
import { eventsOf } from './events.js';
import type {
  Clock,
  Leadership,
  MetricProvider,
  Notifier,
  RolloutMetrics,
  RolloutRepository,
  RolloutTarget,
  StoredRollout,
  WebhookCaller,
} from './ports.js';
import { ReconcileLoop } from './reconcile-loop.js';
import { TargetRefusedError } from './target-errors.js';

export interface ControllerOptions {
  rollouts: RolloutRepository;
  target: RolloutTarget;
  provider: MetricProvider;
  clock: Clock;
  logger: Logger;
  leadership: Leadership;
  notifier?: Notifier;
  metrics?: RolloutMetrics;
  /** How often active rollouts are looked at; default 250 ms (the bound on detection delay beyond the analysis interval). */
  tickMs?: number;
  queryTimeoutMs?: number;
  /** Rollouts reconciled at the same time. */
  concurrency?: number;
  webhooks?: WebhookCaller;
  /** Called (not awaited) when an analysis run finishes, e.g. to ask the advisor about it. */
  onAnalysisCompleted?(rolloutId: string, runId: string): void;
}

/** Actions carried out for one rollout in one pass before it yields to the others. */
const MAX_ACTIONS_PER_PASS = 25;

/**
 * The controller loop: it only moves the persisted state machine. For each active rollout it observes the
 * cluster, asks `decide` for the next action, carries it out (a cluster change or queries), and saves the new
 * state with its events in one write, until the rollout has to wait.
 */
export class RolloutController {
  private readonly loop: ReconcileLoop;
  private readonly inFlight = new Set<string>();

  constructor(private readonly o: ControllerOptions) {
    this.loop = new ReconcileLoop(() => this.runPass(), o.tickMs ?? 250);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * Look again now (after a mutation) rather than at the next tick. With a rollout's id (an alert that rolls it back)
   * that rollout is reconciled at once, beside a pass under way, rather than after it.
   */
  wake(rolloutId?: string): void {
    if (!this.loop.isRunning) return;
    if (rolloutId && this.o.leadership.isLeader() && !this.inFlight.has(rolloutId)) void this.reconcileNow(rolloutId);
    this.loop.wake();
  }

  private async reconcileNow(id: string): Promise<void> {
    try {
      const stored = await this.o.rollouts.get(id);
      if (stored) await this.reconcile(stored);
    } catch (err) {
      this.o.logger.warn(
        { err, rolloutId: id },
        `rollout ${id}: could not be read to act on it at once (${(err as Error).message}); the next pass does`,
      );
    }
  }

  /** One pass over the active rollouts (exposed for tests and the benchmark). */
  async runPass(): Promise<void> {
    if (!this.o.leadership.isLeader()) return;
    let active: StoredRollout[];
    try {
      active = await this.o.rollouts.active();
    } catch (err) {
      this.o.logger.warn({ err }, 'could not read the active rollouts; trying again at the next tick');
      return;
    }
    const queue = active.filter((s) => !this.inFlight.has(s.rollout.id));
    const workers = Array.from({ length: Math.min(this.o.concurrency ?? 16, queue.length) }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) await this.reconcile(s);
    });
    await Promise.all(workers);
  }

  async reconcile(stored: StoredRollout): Promise<void> {
    const id = stored.rollout.id;
    if (this.inFlight.has(id)) return;
    this.inFlight.add(id);
    let { rollout, revision } = stored;
    try {
      for (let i = 0; i < MAX_ACTIONS_PER_PASS && this.o.leadership.isLeader(); i++) {
        const obs = await this.o.target.observe(rollout);
        const now = this.o.clock.now();
        const action = decide(rollout, obs, now);
        const started = performance.now();
        if ('effect' in action && action.effect) await this.o.target.apply(rollout, action.effect);
        const results = action.kind === 'MEASURE' ? await this.measure(action) : {};
        const hook =
          action.kind === 'CALL_HOOK'
            ? await this.callHook(action.url, rollout, action.hook, action.timeoutSeconds)
            : undefined;
        if (action.kind !== 'WAIT') this.o.metrics?.actionTook(action.kind, (performance.now() - started) / 1000);
        const change = applyAction(rollout, action, now, results, hook);
        // A wait is written only when what the rollout waits for changed; otherwise there is nothing to do this pass.
        if (change.rollout === rollout) return;
        ({ rollout, revision } = await this.record(change, revision, action.kind));
        if (action.kind === 'WAIT') return;
      }
    } catch (err) {
      if (err instanceof TargetRefusedError) {
        // Asking again cannot help: the rollout rolls back what it changed, or is held for a person (domain/refusal.ts).
        this.o.logger.warn({ rolloutId: id, object: err.object, verb: err.verb }, `rollout ${id}: ${err.message}`);
        await this.record(
          applyRefusal(rollout, { object: err.object, verb: err.verb, message: err.message }, this.o.clock.now()),
          revision,
          'REFUSED',
        ).catch((e: unknown) => this.reportPassFailure(id, e));
      } else this.reportPassFailure(id, err);
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** A pass over a rollout that stopped on a passing failure: the next tick tries again. */
  private reportPassFailure(id: string, err: unknown): void {
    if (err instanceof ConflictError) {
      this.o.logger.debug(
        { rolloutId: id },
        `rollout ${id} changed meanwhile (a person acted); it is read again at the next tick`,
      );
    } else {
      this.o.logger.warn(
        { err, rolloutId: id },
        `rollout ${id}: ${(err as Error).message}; retrying at the next tick (the progress deadline still counts)`,
      );
    }
  }

  /** Saves a transition with its events in one write, then says it: the log, the notifier, the metrics. */
  private async record(
    change: Change,
    revision: number,
    actionKind: string,
  ): Promise<{ rollout: Rollout; revision: number }> {
    const saved = await this.o.rollouts.save(change.rollout, revision, eventsOf(change.rollout, change.happenings));
    const rollout = saved.rollout;
    const id = rollout.id;
    const decision = rollout.decisions.at(-1);
    this.o.logger.info(
      {
        rolloutId: id,
        releaseId: rollout.releaseId,
        action: actionKind,
        phase: rollout.phase,
        ...(decision?.measurements ? { measurements: decision.measurements } : {}),
      },
      `rollout ${id} (${rollout.target.namespace}/${rollout.target.deployment}): ${decision?.message ?? rollout.message}`,
    );
    for (const h of change.happenings) {
      this.o.notifier?.notify(rollout, h.type, h.message);
      if (h.type === 'bake_failed')
        this.o.logger.warn(
          { rolloutId: id, releaseId: rollout.releaseId, outcome: h.outcome },
          `rollout ${id}: ${h.message}`,
        );
      if (h.type === 'analysis_completed') this.o.onAnalysisCompleted?.(id, h.run.id);
      if (h.type === 'rolled_back' && rollout.webhooks?.postRollback) void this.postRollback(rollout);
    }
    this.o.metrics?.decided(rollout, change.happenings);
    return saved;
  }

  private callHook(url: string, r: Rollout, hook: string, timeoutSeconds: number): Promise<HookResult> {
    const payload = {
      hook,
      rolloutId: r.id,
      releaseId: r.releaseId,
      environment: r.environment,
      target: r.target,
      image: r.image,
      stableImage: r.stableImage,
      phase: r.phase,
      message: r.message,
    };
    if (!this.o.webhooks)
      return Promise.resolve({
        ok: false,
        status: 0,
        detail: 'this service has no webhook caller',
        at: this.o.clock.now().toISOString(),
      });
    return this.o.webhooks.call(url, payload, timeoutSeconds * 1000);
  }

  /** Told after the fact; its answer is recorded, it cannot change the rollback. */
  private async postRollback(r: Rollout): Promise<void> {
    const result = await this.callHook(r.webhooks!.postRollback!, r, 'POST_ROLLBACK', r.webhooks!.timeoutSeconds);
    const message = `post-rollback webhook ${r.webhooks!.postRollback}: ${result.ok ? 'notified' : 'failed'} (${result.status || 'no answer'}: ${result.detail})`;
    try {
      await retryOnConflict(async () => {
        const current = await this.o.rollouts.get(r.id);
        if (!current) return;
        const next = {
          ...current.rollout,
          hookResults: { ...current.rollout.hookResults, POST_ROLLBACK: result },
          decisions: [...current.rollout.decisions, { at: result.at, action: 'WEBHOOK', message }].slice(-300),
        };
        await this.o.rollouts.save(next, current.revision, []);
      });
      this.o.logger[result.ok ? 'info' : 'warn']({ rolloutId: r.id }, `rollout ${r.id}: ${message}`);
    } catch (err) {
      this.o.logger.warn({ err, rolloutId: r.id }, `rollout ${r.id}: could not record the post-rollback webhook`);
    }
  }

  private async measure(action: Extract<Action, { kind: 'MEASURE' }>): Promise<Record<string, QueryOutcome>> {
    const timeout = this.o.queryTimeoutMs ?? 3000;
    const entries = await Promise.all(
      action.metrics.map(async (m): Promise<[string, QueryOutcome]> => {
        try {
          return [m.name, await this.o.provider.runQuery(m.query, AbortSignal.timeout(timeout))];
        } catch (err) {
          return [m.name, { ok: false, reason: `${this.o.provider.name} query failed: ${(err as Error).message}` }];
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}
