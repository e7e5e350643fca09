import { Gauge, type Registry } from 'prom-client';
import { runChecks, type ReadinessCheck } from './readiness.js';

export const READINESS_METRIC = 'flightdeck_readiness_check_passing';

/**
 * `flightdeck_readiness_check_passing{check}`: what /readyz would answer, per check, run when Prometheus scrapes.
 * The `shutdown` check is always there (0 while the server shuts down), so every service exports at least one
 * series: alert rules use it to tell Flightdeck's scrape targets from others.
 */
export function registerReadinessMetric(
  registry: Registry,
  checks: ReadinessCheck[],
  isDraining: () => boolean,
  timeoutMs?: number,
): void {
  registry.removeSingleMetric(READINESS_METRIC);
  new Gauge({
    name: READINESS_METRIC,
    help: 'Whether each readiness check of /readyz passes (1) or fails (0), checked at scrape time; check="shutdown" is 0 while the service shuts down',
    labelNames: ['check'] as const,
    registers: [registry],
    async collect() {
      const results = await runChecks(checks, isDraining, timeoutMs);
      this.reset();
      for (const r of results) this.set({ check: r.name }, r.ok ? 1 : 0);
      if (!results.some((r) => r.name === 'shutdown')) this.set({ check: 'shutdown' }, 1);
    },
  });
}
