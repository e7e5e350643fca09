import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RolloutMetrics, RolloutRepository } from '../../application/ports.js';
import { PHASES, type Happening, type Rollout } from '../../domain/index.js';
import { registerRolloutStateGauges } from './rollout-state-gauges.js';

/**
 * What SREs watch during rollouts, on the service's own registry: the port the controller reports to, and every
 * rollout metric the alert rules and runbooks name. Two families, both here:
 * - set by the leader as it decides (`flightdeck_rollout_*`, `flightdeck_rollouts_total`, `flightdeck_analysis_runs_total`);
 * - read from the rollouts store when Prometheus scrapes, the same on every replica
 *   (`flightdeck_deployment_rollout_*`, see rollout-state-gauges.ts), which the alert rules use.
 */
export class PrometheusRolloutMetrics implements RolloutMetrics {
  private readonly phase: Gauge<'rollout' | 'namespace' | 'deployment' | 'phase'>;
  private readonly weight: Gauge<'rollout' | 'namespace' | 'deployment'>;
  private readonly outcomes: Counter<'outcome'>;
  private readonly rollbacks: Counter<'cause'>;
  private readonly analysisRuns: Counter<'result'>;
  private readonly duration: Histogram<'outcome'>;
  private readonly actionSeconds: Histogram<'action'>;
  private readonly bakeFailures: Counter<'outcome'>;
  private readonly alerts: Counter<'result'>;

  constructor(registry: Registry, rollouts: RolloutRepository, now: () => Date) {
    const registers = [registry];
    this.phase = new Gauge({
      name: 'flightdeck_rollout_phase',
      help: 'Phase of each rollout: 1 for its current phase, 0 for the others',
      labelNames: ['rollout', 'namespace', 'deployment', 'phase'],
      registers,
    });
    this.weight = new Gauge({
      name: 'flightdeck_rollout_canary_weight_percent',
      help: 'Canary share of the replicas per rollout, 0 to 100',
      labelNames: ['rollout', 'namespace', 'deployment'],
      registers,
    });
    this.outcomes = new Counter({
      name: 'flightdeck_rollouts_total',
      help: 'Finished or held rollouts by outcome (promoted, rolled_back, failed, stuck)',
      labelNames: ['outcome'],
      registers,
    });
    this.rollbacks = new Counter({
      name: 'flightdeck_rollout_rollbacks_total',
      help: 'Rollbacks by cause (ANALYSIS, DEADLINE, ABORT, WEBHOOK, REFUSED, ALERT, BAKE)',
      labelNames: ['cause'],
      registers,
    });
    this.analysisRuns = new Counter({
      name: 'flightdeck_analysis_runs_total',
      help: 'Analysis runs by result (SUCCESSFUL, FAILED, INCONCLUSIVE)',
      labelNames: ['result'],
      registers,
    });
    this.duration = new Histogram({
      name: 'flightdeck_rollout_duration_seconds',
      help: 'Time from start to the final phase, by outcome',
      labelNames: ['outcome'],
      buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
      registers,
    });
    this.actionSeconds = new Histogram({
      name: 'flightdeck_rollout_reconcile_seconds',
      help: 'Time to carry out one controller action (cluster change or queries), by action',
      labelNames: ['action'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.bakeFailures = new Counter({
      name: 'flightdeck_rollout_bake_failures_total',
      help: 'Bake failures after promotion by outcome: rolled_back (to the warm previous version) or held (roll-forward-only: nothing undone, someone must fix forward)',
      labelNames: ['outcome'],
      registers,
    });
    this.alerts = new Counter({
      name: 'flightdeck_rollout_alerts_total',
      help: 'Alertmanager alerts looked at per rollout naming abortOnAlerts, by result: matched (rolled back or held) or ignored (repeat, resolved, late, other labels, lower severity)',
      labelNames: ['result'],
      registers,
    });
    for (const outcome of ['rolled_back', 'held']) this.bakeFailures.inc({ outcome }, 0);
    for (const result of ['matched', 'ignored']) this.alerts.inc({ result }, 0);
    registerRolloutStateGauges(registry, rollouts, now);
  }

  private observe(r: Rollout): void {
    const labels = { rollout: r.id, namespace: r.target.namespace, deployment: r.target.deployment };
    for (const p of PHASES) this.phase.set({ ...labels, phase: p }, p === r.phase ? 1 : 0);
    this.weight.set(labels, r.weight);
  }

  alertReceived(result: 'matched' | 'ignored'): void {
    this.alerts.inc({ result });
  }

  actionTook(action: string, seconds: number): void {
    this.actionSeconds.observe({ action }, seconds);
  }

  decided(r: Rollout, happenings: Happening[]): void {
    this.observe(r);
    for (const h of happenings) {
      if (h.type === 'analysis_completed') this.analysisRuns.inc({ result: h.run.phase });
      if (h.type === 'promoted' || h.type === 'rolled_back' || h.type === 'failed' || h.type === 'stuck')
        this.outcomes.inc({ outcome: h.type });
      if (h.type === 'bake_failed') this.bakeFailures.inc({ outcome: h.outcome });
      if (h.type === 'rolled_back') this.rollbacks.inc({ cause: r.rollback?.cause ?? 'ANALYSIS' });
      if ((h.type === 'promoted' || h.type === 'rolled_back') && r.completedAt)
        this.duration.observe({ outcome: h.type }, (Date.parse(r.completedAt) - Date.parse(r.startedAt)) / 1000);
    }
  }
}
