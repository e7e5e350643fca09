import { Gauge, type Registry } from 'prom-client';
import type { AnalyticsQueries } from '../../application/queries.js';
import { combinedDoraMetrics } from '../../domain/dora-index.js';
import { releaseKpis } from '../../domain/kpis.js';

const WINDOW_MS = 30 * 86_400_000;

/**
 * Gauges per product over the last 30 days, computed when Prometheus scrapes (at most once per
 * `cacheMs`): the four keys and the release KPIs, so they can be graphed and alerted on.
 */
export function registerMetricGauges(
  registry: Registry,
  queries: AnalyticsQueries,
  now: () => Date,
  cacheMs = 15_000,
): void {
  let last = 0;
  let inFlight: Promise<void> | undefined;
  // prom-client awaits collect() of each gauge before reading it; the first one refreshes all of them.
  async function collect(): Promise<void> {
    if (Date.now() - last < cacheMs) return;
    inFlight ??= refresh().finally(() => (inFlight = undefined));
    await inFlight;
  }
  const gauge = (name: string, help: string) =>
    new Gauge({
      name,
      help: `${help} (per product, last 30 days)`,
      labelNames: ['product'] as const,
      registers: [registry],
      collect,
    });
  const g = {
    frequency: gauge(
      'flightdeck_dora_deployments_per_day',
      'DORA deployment frequency: successful production rollouts per day',
    ),
    lead: gauge('flightdeck_dora_lead_time_seconds', 'DORA lead time for changes, median first change → production'),
    cfr: gauge('flightdeck_dora_change_failure_ratio', 'DORA change failure rate, 0 to 1'),
    recovery: gauge('flightdeck_dora_recovery_time_seconds', 'DORA failed deployment recovery time, median'),
    freeze: gauge(
      'flightdeck_release_code_freeze_to_production_seconds',
      'Release KPI: median lead time code freeze → production (target < 4 weeks)',
    ),
    success: gauge(
      'flightdeck_release_deployment_success_ratio',
      'Release KPI: production rollouts without rollback, 0 to 1 (target > 0.98)',
    ),
    quality: gauge(
      'flightdeck_release_critical_incidents_per_release',
      'Release KPI: critical incidents in the first 48 h per release (target < 0.5)',
    ),
    plan: gauge('flightdeck_release_frequency_vs_plan_ratio', 'Release KPI: releases delivered / releases planned'),
  };
  async function refresh(): Promise<void> {
    const to = now();
    const window = { from: new Date(to.getTime() - WINDOW_MS), to };
    const products = await queries.products();
    for (const x of Object.values(g)) x.reset();
    const set = (x: Gauge<'product'>, product: string, v: number | undefined) =>
      v !== undefined && x.set({ product }, v);
    for (const product of products) {
      // Each product's own partition: a scrape never joins the organisation's history.
      const history = await queries.history(product);
      const d = combinedDoraMetrics([{ history, scope: { product } }], window);
      const k = releaseKpis(history, { product }, window);
      set(g.frequency, product, d.deploymentFrequency.perDay);
      set(
        g.lead,
        product,
        d.leadTimeForChanges.medianMs === undefined ? undefined : d.leadTimeForChanges.medianMs / 1000,
      );
      set(g.cfr, product, d.changeFailureRate.rate);
      set(g.recovery, product, d.recoveryTime.medianMs === undefined ? undefined : d.recoveryTime.medianMs / 1000);
      set(
        g.freeze,
        product,
        k.leadTimeCodeFreezeToProduction.medianMs === undefined
          ? undefined
          : k.leadTimeCodeFreezeToProduction.medianMs / 1000,
      );
      set(g.success, product, k.deploymentSuccessRate.rate);
      set(g.quality, product, k.releaseQuality.perRelease);
      set(g.plan, product, k.releaseFrequency.ratio);
    }
    last = Date.now();
  }
}
