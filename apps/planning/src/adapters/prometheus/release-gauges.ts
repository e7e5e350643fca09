import { Gauge, type Registry } from 'prom-client';
import type { ReleaseRepository, StoredRelease } from '../../application/ports.js';
import { RELEASE_STATUSES, type ReleaseStatus } from '../../domain/lifecycle.js';

/** Releases past these are out of the metrics: nothing is due any more. */
const DONE: ReleaseStatus[] = ['RELEASED', 'CLOSED', 'CANCELLED'];
const OPEN = RELEASE_STATUSES.filter((s) => !DONE.includes(s));
const PAGE = 100;

/**
 * Per open release, read from MongoDB when Prometheus scrapes (at most once per `cacheMs`): its target date, and the
 * latest outcome of each gate evaluated for it (from gates' events), so a failed Production gate close to the target
 * date can be alerted on. While MongoDB does not answer, the last reading stands.
 */
export function registerReleaseGauges(registry: Registry, releases: ReleaseRepository, cacheMs = 5_000): void {
  let last = 0;
  let inFlight: Promise<void> | undefined;
  let open: StoredRelease[] = [];
  async function refresh(): Promise<void> {
    const found: StoredRelease[] = [];
    let after: string | null = null;
    do {
      const page = await releases.list({ status: OPEN }, { first: PAGE, after, summaryOnly: true });
      found.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    open = found;
    last = Date.now();
  }
  const read = async (): Promise<StoredRelease[]> => {
    if (Date.now() - last >= cacheMs) {
      inFlight ??= refresh()
        .catch(() => undefined)
        .finally(() => (inFlight = undefined));
      await inFlight;
    }
    return open;
  };
  new Gauge({
    name: 'flightdeck_planning_release_target_timestamp_seconds',
    help: 'Target (production) date of each open release, as a Unix timestamp, with its current status',
    labelNames: ['release', 'product', 'version', 'status'] as const,
    registers: [registry],
    async collect() {
      const list = await read();
      this.reset();
      for (const { release: r } of list)
        this.set(
          { release: r.id, product: r.product, version: r.version, status: r.status },
          r.targetDate.getTime() / 1000,
        );
    },
  });
  new Gauge({
    name: 'flightdeck_planning_release_gate_outcome',
    help: 'Latest outcome (PASS, FAIL or CONDITIONAL) of each gate evaluated for an open release: 1 on the outcome it has',
    labelNames: ['release', 'product', 'version', 'gate', 'outcome'] as const,
    registers: [registry],
    async collect() {
      const list = await read();
      this.reset();
      for (const { release: r } of list) {
        for (const [gate, outcome] of Object.entries(r.signals.gates))
          this.set({ release: r.id, product: r.product, version: r.version, gate, outcome }, 1);
      }
    },
  });
}
