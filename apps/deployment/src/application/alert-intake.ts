import type { Logger } from 'pino';
import { retryOnConflict } from '@flightdeck/kernel';
import { receiveAlert, type IncomingAlert } from '../domain/index.js';
import type { Clock, RolloutMetrics, RolloutRepository, StoredRollout } from './ports.js';

export interface AlertOutcome {
  /** Rollouts a matching alert now rolls back (or holds, when roll-forward-only), with the alert's name. */
  matched: { rolloutId: string; alertname: string }[];
  /** Every rollout an alert was looked at for and left alone, and why. */
  ignored: { rolloutId: string; alertname: string; reason: string }[];
}

/**
 * Alertmanager's alerts against the rollouts that name alerts aborting them. A match is written to the rollout
 * (`alertAbort`, through the domain's `receiveAlert`) and the leader is woken, so its controller rolls back at once
 * rather than at the next analysis measurement. Repeats, resolved, late and unrelated alerts change nothing.
 */
export class AlertIntake {
  constructor(
    private readonly deps: {
      rollouts: RolloutRepository;
      clock: Clock;
      logger: Logger;
      /** Wakes the leader's controller to act on this rollout now. */
      wake: (rolloutId: string) => void;
      metrics?: Pick<RolloutMetrics, 'alertReceived'>;
    },
  ) {}

  async receive(alerts: IncomingAlert[]): Promise<AlertOutcome> {
    const outcome: AlertOutcome = { matched: [], ignored: [] };
    const firing = alerts.filter((a) => a.status === 'firing');
    if (firing.length === 0) return outcome;
    const watching = await this.deps.rollouts.watchingAlerts();
    for (const alert of firing) {
      const alertname = alert.labels.alertname ?? 'alert';
      for (const stored of watching) {
        const reason = await this.apply(stored, alert);
        this.deps.metrics?.alertReceived(reason ? 'ignored' : 'matched');
        if (reason) {
          outcome.ignored.push({ rolloutId: stored.rollout.id, alertname, reason });
          this.deps.logger.debug(
            { rolloutId: stored.rollout.id, alertname },
            `alert ${alertname} leaves rollout ${stored.rollout.id} alone: ${reason}`,
          );
          continue;
        }
        outcome.matched.push({ rolloutId: stored.rollout.id, alertname });
        // Wake at once: later alerts of the same notification need not wait for this rollback.
        this.deps.wake(stored.rollout.id);
      }
    }
    return outcome;
  }

  /** Records the alert on the rollout; the reason it was ignored, or undefined when it matched. A lasting conflict throws (Alertmanager retries). */
  private apply(first: StoredRollout, alert: IncomingAlert): Promise<string | undefined> {
    let current: StoredRollout | undefined = first;
    return retryOnConflict(async () => {
      current ??= await this.deps.rollouts.get(first.rollout.id);
      if (!current) return 'the rollout is gone';
      const verdict = receiveAlert(current.rollout, alert, this.deps.clock.now());
      if (!verdict.matched) return verdict.reason;
      const attempt = current;
      current = undefined; // a conflict reads it again
      await this.deps.rollouts.save(verdict.rollout, attempt.revision, []);
      this.deps.logger.info(
        { rolloutId: first.rollout.id, releaseId: first.rollout.releaseId, labels: alert.labels },
        `rollout ${first.rollout.id}: ${verdict.rollout.message}`,
      );
      return undefined;
    });
  }
}
