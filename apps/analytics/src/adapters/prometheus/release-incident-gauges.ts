import { Gauge, type Registry } from 'prom-client';
import type { AnalyticsQueries } from '../../application/queries.js';
import { productionAt } from '../../domain/history.js';
import { criticalIncidentsAfter } from '../../domain/kpis.js';

/** Releases that reached production this recently are on /metrics: long enough to see their first 48 h through. */
export const RECENT_RELEASE_MS = 7 * 86_400_000;

/**
 * Per release that reached production in the last 7 days, computed from the partitions when Prometheus scrapes (at
 * most once per `cacheMs`): when it reached production, and the critical incidents in its first 48 h (those
 * `releaseQuality` counts), so a critical incident right after a release can be alerted on with the release named.
 */
export function registerReleaseIncidentGauges(
  registry: Registry,
  queries: AnalyticsQueries,
  now: () => Date,
  cacheMs = 15_000,
): void {
  type Row = { labels: { product: string; release: string; version: string }; productionAt: Date; critical: number };
  let last = 0;
  let rows: Row[] = [];
  let inFlight: Promise<void> | undefined;
  async function refresh(): Promise<void> {
    const since = now().getTime() - RECENT_RELEASE_MS;
    const found: Row[] = [];
    for (const product of await queries.products()) {
      const history = await queries.history(product);
      for (const release of history.releases.values()) {
        const at = productionAt(release, history);
        if (!at || at.getTime() < since || release.status === 'CANCELLED') continue;
        const labels = { product, release: release.id, version: release.version ?? '' };
        found.push({ labels, productionAt: at, critical: criticalIncidentsAfter(release, at, history).length });
      }
    }
    rows = found;
    last = Date.now();
  }
  const read = async (): Promise<Row[]> => {
    if (Date.now() - last >= cacheMs) {
      inFlight ??= refresh()
        .catch(() => undefined)
        .finally(() => (inFlight = undefined));
      await inFlight;
    }
    return rows;
  };
  const labelNames = ['product', 'release', 'version'] as const;
  new Gauge({
    name: 'flightdeck_analytics_release_production_timestamp_seconds',
    help: 'When each release that reached production in the last 7 days got there (its first successful production rollout), as a Unix timestamp',
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await read()) this.set(r.labels, r.productionAt.getTime() / 1000);
    },
  });
  new Gauge({
    name: 'flightdeck_analytics_release_critical_incidents',
    help: 'Critical incidents that started within 48 h after each release (in production in the last 7 days) reached production, linked to its rollouts or, unlinked, to its product',
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await read()) this.set(r.labels, r.critical);
    },
  });
}
