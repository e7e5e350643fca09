import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PHASES, type Happening, type Rollout } from '../domain/index.js';

/** What SREs watch during rollouts, on the service's own registry. */
export class RolloutMetrics {
  private readonly phase: Gauge<'rollout' | 'namespace' | 'deployment' | 'phase'>;
  private readonly weight: Gauge<'rollout' | 'namespace' | 'deployment'>;
  private readonly outcomes: Counter<'outcome'>;
  private readonly rollbacks: Counter<'cause'>;
  private readonly analysisRuns: Counter<'result'>;
  private readonly duration: Histogram<'outcome'>;
  readonly decisionSeconds: Histogram<'action'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.phase = new Gauge({ name: 'flightdeck_rollout_phase', help: 'Phase of each rollout: 1 for its current phase, 0 for the others', labelNames: ['rollout', 'namespace', 'deployment', 'phase'], registers });
    this.weight = new Gauge({ name: 'flightdeck_rollout_canary_weight_percent', help: 'Canary share of the replicas per rollout, 0 to 100', labelNames: ['rollout', 'namespace', 'deployment'], registers });
    this.outcomes = new Counter({ name: 'flightdeck_rollouts_total', help: 'Finished or held rollouts by outcome (promoted, rolled_back, failed, stuck)', labelNames: ['outcome'], registers });
    this.rollbacks = new Counter({ name: 'flightdeck_rollout_rollbacks_total', help: 'Rollbacks by cause (ANALYSIS, DEADLINE, ABORT, WEBHOOK, REFUSED)', labelNames: ['cause'], registers });
    this.analysisRuns = new Counter({ name: 'flightdeck_analysis_runs_total', help: 'Analysis runs by result (SUCCESSFUL, FAILED, INCONCLUSIVE)', labelNames: ['result'], registers });
    this.duration = new Histogram({ name: 'flightdeck_rollout_duration_seconds', help: 'Time from start to the final phase, by outcome', labelNames: ['outcome'], buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200], registers });
    this.decisionSeconds = new Histogram({ name: 'flightdeck_rollout_reconcile_seconds', help: 'Time to carry out one controller action (cluster change or queries), by action', labelNames: ['action'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
  }

  observe(r: Rollout): void {
    const labels = { rollout: r.id, namespace: r.target.namespace, deployment: r.target.deployment };
    for (const p of PHASES) this.phase.set({ ...labels, phase: p }, p === r.phase ? 1 : 0);
    this.weight.set(labels, r.weight);
  }

  record(r: Rollout, happenings: Happening[]): void {
    this.observe(r);
    for (const h of happenings) {
      if (h.type === 'analysis_completed') this.analysisRuns.inc({ result: h.run.phase });
      if (h.type === 'promoted' || h.type === 'rolled_back' || h.type === 'failed' || h.type === 'stuck') this.outcomes.inc({ outcome: h.type });
      if (h.type === 'rolled_back') this.rollbacks.inc({ cause: r.rollback?.cause ?? 'ANALYSIS' });
      if ((h.type === 'promoted' || h.type === 'rolled_back') && r.completedAt) this.duration.observe({ outcome: h.type }, (Date.parse(r.completedAt) - Date.parse(r.startedAt)) / 1000);
    }
  }
}
