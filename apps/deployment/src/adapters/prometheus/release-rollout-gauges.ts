import { Gauge, type Registry } from 'prom-client';
import type { ReleaseRolloutRepository } from '../../application/release-rollout-ports.js';
import { releaseProgress, type ReleaseRollout } from '../../domain/index.js';
import { FINISHED_SHOWN_MS } from './rollout-state-gauges.js';

/**
 * Per release-wide rollout not final, or completed within the last hour, read from MongoDB when Prometheus scrapes
 * (at most once per `cacheMs`; every replica exports the same): its phase and progress, and each workload's phase.
 */
export function registerReleaseRolloutGauges(
  registry: Registry,
  releases: ReleaseRolloutRepository,
  now: () => Date,
  cacheMs = 5_000,
): void {
  let last = 0;
  let inFlight: Promise<void> | undefined;
  let shown: ReleaseRollout[] = [];
  const read = async (): Promise<ReleaseRollout[]> => {
    if (Date.now() - last >= cacheMs) {
      inFlight ??= releases
        .unfinishedOrCompletedSince(new Date(now().getTime() - FINISHED_SHOWN_MS))
        .then((found) => {
          shown = found.map((s) => s.release);
          last = Date.now();
        })
        .catch(() => undefined)
        .finally(() => (inFlight = undefined));
      await inFlight;
    }
    return shown;
  };
  const labelsOf = (r: ReleaseRollout) => ({ release_rollout: r.id, release: r.releaseId, environment: r.environment });
  new Gauge({
    name: 'flightdeck_deployment_release_rollout_phase',
    help: 'Phase of each release-wide rollout shown (1 for its current phase)',
    labelNames: ['release_rollout', 'release', 'environment', 'phase'],
    registers: [registry],
    async collect() {
      const list = await read();
      this.reset();
      for (const r of list) this.set({ ...labelsOf(r), phase: r.phase }, 1);
    },
  });
  new Gauge({
    name: 'flightdeck_deployment_release_rollout_progress_ratio',
    help: 'Share of the workloads of each release-wide rollout that are ready to promote or promoted, 0 to 1',
    labelNames: ['release_rollout', 'release', 'environment'],
    registers: [registry],
    async collect() {
      const list = await read();
      this.reset();
      for (const r of list) this.set(labelsOf(r), releaseProgress(r));
    },
  });
  new Gauge({
    name: 'flightdeck_deployment_release_rollout_workload_phase',
    help: "Phase of each workload's rollout in a release-wide rollout (1 for its current phase; NOT_STARTED before its wave)",
    labelNames: ['release_rollout', 'release', 'environment', 'workload', 'namespace', 'deployment', 'wave', 'phase'],
    registers: [registry],
    async collect() {
      const list = await read();
      this.reset();
      for (const r of list) {
        for (const w of r.workloads) {
          const p = r.progress.find((x) => x.name === w.name)!;
          this.set(
            {
              ...labelsOf(r),
              workload: w.name,
              namespace: w.rollout.target.namespace,
              deployment: w.rollout.target.deployment,
              wave: String(p.wave),
              phase: p.phase ?? 'NOT_STARTED',
            },
            1,
          );
        }
      }
    },
  });
}
