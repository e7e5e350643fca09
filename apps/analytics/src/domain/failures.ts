import { isProduction, type History, type Incident, type Release, type Rollout } from './history.js';
import { HOUR } from './time.js';

/** Incidents and hotfixes count against a production rollout when they start within this long after it finished. */
export const FAILURE_HORIZON_MS = 48 * HOUR;

export type FailureCause = 'ROLLED_BACK' | 'FAILED' | 'INCIDENT' | 'HOTFIX';

export interface DeploymentOutcome {
  rollout: Rollout;
  failed: boolean;
  cause?: FailureCause;
  /** When the failure was over: rollback done, incident resolved, hotfix in production. */
  restoredAt?: Date;
  /** When the failure began: rollout start (rollback), incident start, or the rollout's end (hotfix). */
  failedAt?: Date;
}

/** Ties in time are broken by id, so no answer depends on the order records arrived in. */
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const within = (at: Date | undefined, start: Date, ms: number) =>
  at !== undefined && at.getTime() >= start.getTime() && at.getTime() <= start.getTime() + ms;

/**
 * A production rollout failed when it was rolled back or failed in place, or when an incident linked to it, or a
 * hotfix release of its product, started within 48 h after it finished (DORA change failure).
 */
export function deploymentOutcome(
  rollout: Rollout,
  history: History,
  hotfixes: readonly { release: Release; productionAt?: Date }[],
): DeploymentOutcome {
  if (rollout.rolledBackAt) {
    const failedAt = rollout.startedAt ?? rollout.rolledBackAt;
    return { rollout, failed: true, cause: 'ROLLED_BACK', failedAt, restoredAt: rollout.rolledBackAt };
  }
  if (rollout.failedAt) {
    // Left in place: restored when the next rollout of the same workload succeeded.
    const fix = (history.index.rolloutsByWorkload.get(rollout.workload ?? '') ?? [])
      .filter(
        (r) =>
          r.id !== rollout.id &&
          r.workload !== undefined &&
          r.workload === rollout.workload &&
          isProduction(r) &&
          r.succeededAt &&
          r.succeededAt.getTime() > rollout.failedAt!.getTime(),
      )
      .sort((a, b) => a.succeededAt!.getTime() - b.succeededAt!.getTime() || byId(a, b))[0];
    return {
      rollout,
      failed: true,
      cause: 'FAILED',
      failedAt: rollout.startedAt ?? rollout.failedAt,
      ...(fix ? { restoredAt: fix.succeededAt! } : {}),
    };
  }
  const end = rollout.finishedAt;
  if (!end) return { rollout, failed: false };
  const incident = (history.index.incidentsByRollout.get(rollout.id) ?? [])
    .filter((i: Incident) => within(i.openedAt, end, FAILURE_HORIZON_MS))
    .sort((a, b) => a.openedAt!.getTime() - b.openedAt!.getTime() || byId(a, b))[0];
  if (incident)
    return {
      rollout,
      failed: true,
      cause: 'INCIDENT',
      failedAt: incident.openedAt!,
      ...(incident.resolvedAt ? { restoredAt: incident.resolvedAt } : {}),
    };
  const release = rollout.releaseId ? history.releases.get(rollout.releaseId) : undefined;
  const hotfix = hotfixes
    .filter(
      (h) =>
        h.release.id !== rollout.releaseId &&
        h.release.product === rollout.product &&
        within(h.release.createdAt, end, FAILURE_HORIZON_MS),
    )
    .filter((h) => !h.release.baseVersion || !release?.version || h.release.baseVersion === release.version)
    .sort((a, b) => a.release.createdAt!.getTime() - b.release.createdAt!.getTime() || byId(a.release, b.release))[0];
  if (hotfix)
    return {
      rollout,
      failed: true,
      cause: 'HOTFIX',
      failedAt: end,
      ...(hotfix.productionAt ? { restoredAt: hotfix.productionAt } : {}),
    };
  return { rollout, failed: false };
}

export function productionRollouts(history: History): Rollout[] {
  return history.rollouts.filter(isProduction);
}
