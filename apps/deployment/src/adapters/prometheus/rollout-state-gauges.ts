import { Gauge, type Registry } from 'prom-client';
import type { RolloutRepository } from '../../application/ports.js';
import type { Phase, Rollout } from '../../domain/index.js';

/** A final rollout stays on /metrics this long after it completed, so a rollback is seen by the alert rules. */
export const FINISHED_SHOWN_MS = 3_600_000;

/** The decisions that put a rollout in a phase the rollout does not date by a field of its own. */
const ENTERED_BY: Partial<Record<Phase, string[]>> = {
  PAUSED: ['AWAIT_APPROVAL', 'PAUSE'],
  STUCK: ['HOLD'],
  FAILED: ['HOLD'],
  PROGRESSING: ['APPROVE', 'RETRY', 'ABORT'],
};

/** When the rollout entered its current phase (ISO time), from its own fields and its decision log. */
export function phaseEnteredAt(r: Rollout): string {
  switch (r.phase) {
    case 'PROMOTED':
    case 'ROLLED_BACK':
      return r.completedAt ?? r.updatedAt;
    case 'ROLLING_BACK':
      return r.rollback?.decidedAt ?? r.updatedAt;
    case 'PROMOTING':
      return r.promotion?.decidedAt ?? r.updatedAt;
    default: {
      const actions = ENTERED_BY[r.phase] ?? [];
      const entered = r.decisions.findLast((d) => actions.includes(d.action));
      return entered?.at ?? (r.phase === 'PROGRESSING' ? r.startedAt : r.updatedAt);
    }
  }
}

/**
 * Per rollout that is not final, or completed within the last hour, read from MongoDB when Prometheus scrapes (at most
 * once per `cacheMs`; every replica exports the same, leader or not): when it entered its phase, and its progress
 * deadline. The alert rules compare the two for paused, promoting and rolling-back rollouts, and react to ROLLED_BACK,
 * STUCK and FAILED. While MongoDB does not answer, the last reading stands.
 */
export function registerRolloutStateGauges(
  registry: Registry,
  rollouts: RolloutRepository,
  now: () => Date,
  cacheMs = 5_000,
): void {
  let last = 0;
  let inFlight: Promise<void> | undefined;
  let shown: Rollout[] = [];
  const read = async (): Promise<Rollout[]> => {
    if (Date.now() - last >= cacheMs) {
      inFlight ??= rollouts
        .unfinishedOrCompletedSince(new Date(now().getTime() - FINISHED_SHOWN_MS))
        .then((found) => {
          shown = found.map((s) => s.rollout);
          last = Date.now();
        })
        .catch(() => undefined)
        .finally(() => (inFlight = undefined));
      await inFlight;
    }
    return shown;
  };
  const labelsOf = (r: Rollout) => ({
    rollout: r.id,
    release: r.releaseId,
    environment: r.environment,
    cluster: r.target.cluster,
    namespace: r.target.namespace,
    deployment: r.target.deployment,
  });
  const identity = ['rollout', 'release', 'environment', 'cluster', 'namespace', 'deployment'] as const;
  new Gauge({
    name: 'flightdeck_deployment_rollout_phase_entered_timestamp_seconds',
    help: 'When each rollout (not final, or completed within the last hour) entered its current phase, as a Unix timestamp',
    labelNames: [...identity, 'phase'],
    registers: [registry],
    async collect() {
      const list = await read();
      this.reset();
      for (const r of list) this.set({ ...labelsOf(r), phase: r.phase }, Date.parse(phaseEnteredAt(r)) / 1000);
    },
  });
  new Gauge({
    name: 'flightdeck_deployment_rollout_progress_deadline_seconds',
    help: 'Progress deadline of each rollout shown: how long a step, a pause, a promotion or a rollback may take',
    labelNames: identity,
    registers: [registry],
    async collect() {
      const list = await read();
      this.reset();
      for (const r of list) this.set(labelsOf(r), r.progressDeadlineSeconds);
    },
  });
}
