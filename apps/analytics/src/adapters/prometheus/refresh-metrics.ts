import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RefreshReport } from '../../application/history-partitions.js';

/** How far behind the projections the metrics are, and what catching up costs: for alerting on a stuck refresh. */
export function refreshMetrics(registry: Registry): (report: RefreshReport) => void {
  let lastRefresh: number | undefined;
  const duration = new Histogram({
    name: 'flightdeck_analytics_refresh_duration_seconds',
    help: 'Time one catch-up of the metrics with the projections took (reading the changes and rebuilding the partitions they touch)',
    buckets: [0.005, 0.02, 0.1, 0.5, 1, 2, 5, 15, 60],
    registers: [registry],
  });
  const rebuilt = new Counter({
    name: 'flightdeck_analytics_partitions_rebuilt_total',
    help: 'Product partitions rebuilt because one of their records changed',
    registers: [registry],
  });
  const changes = new Counter({
    name: 'flightdeck_analytics_changes_read_total',
    help: 'Changed projection records read by the catch-ups',
    registers: [registry],
  });
  new Gauge({
    name: 'flightdeck_analytics_metrics_age_seconds',
    help: 'Seconds since the last completed catch-up began: events newer than that may not be in the metrics yet',
    registers: [registry],
    collect() {
      if (lastRefresh !== undefined) this.set((Date.now() - lastRefresh) / 1000);
    },
  });
  return (report) => {
    lastRefresh = Date.now() - report.ms;
    duration.observe(report.ms / 1000);
    rebuilt.inc(report.rebuilt.length);
    changes.inc(report.changes);
  };
}
