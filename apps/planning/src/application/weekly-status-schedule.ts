import type { Logger } from 'pino';
import { weeklyStatusDue } from '../domain/communication-plan.js';
import type { ReleaseStatus } from '../domain/lifecycle.js';
import type { Release } from '../domain/release.js';
import type { Delivery, DeliveryStore, SubscriptionStore } from './notification-ports.js';
import type { Clock, ReleaseRepository } from './ports.js';

/** Releases still on their way to production: the ones a weekly status is about. */
const ACTIVE: ReleaseStatus[] = [
  'PLANNING',
  'IN_DEVELOPMENT',
  'FEATURE_COMPLETE',
  'CODE_FREEZE',
  'ALPHA',
  'BETA',
  'RELEASE_CANDIDATE',
];

export interface WeeklyStatusScheduleDeps {
  releases: ReleaseRepository;
  subscriptions: SubscriptionStore;
  deliveries: DeliveryStore;
  clock: Clock;
  logger: Logger;
  /** The release's weekly status in the process's template (ReleaseInsights.documents), from its state now. */
  statusOf(release: Release): string;
  linkBaseUrl?: string;
}

/**
 * Queues the weekly status of every active release to the WEEKLY subscriptions of its product, once a week: the
 * delivery id names the week, so however often `tick` runs (and however many replicas run it) each goes out once.
 */
export class WeeklyStatusSchedule {
  constructor(private readonly deps: WeeklyStatusScheduleDeps) {}

  /** Returns how many deliveries this week's updates make (those stored by an earlier tick are left as they are). */
  async tick(): Promise<number> {
    const now = this.deps.clock.now();
    const week = weeklyStatusDue(now);
    if (!week) return 0;
    const weekly = (await this.deps.subscriptions.list({})).filter((s) => s.cadence === 'WEEKLY');
    const stored: Delivery[] = [];
    for (const product of new Set(weekly.map((s) => s.product))) {
      const page = await this.deps.releases.list({ product, status: ACTIVE }, { first: 100, summaryOnly: true });
      for (const { node } of page.edges) {
        const full = await this.deps.releases.get(node.release.id);
        if (!full) continue;
        const r = full.release;
        const text = this.deps.statusOf(r);
        const link = this.deps.linkBaseUrl
          ? {
              label: 'See the release',
              url: `${this.deps.linkBaseUrl.replace(/\/$/, '')}/releases/${encodeURIComponent(r.id)}`,
            }
          : undefined;
        for (const s of weekly.filter((x) => x.product === product)) {
          const id = `weekly.${r.id}.${week}.${s.id}`;
          stored.push({
            id,
            releaseId: r.id,
            product,
            audience: s.audience,
            subscriptionId: s.id,
            target: s.target,
            notification: {
              id,
              event: 'status.weekly',
              title: `${r.product} ${r.version}: weekly status, week of ${week}`,
              text,
              severity: 'info',
              ...(link ? { link } : {}),
              data: { releaseId: r.id, product, version: r.version, week },
            },
            status: 'PENDING',
            attempts: 0,
            nextAttemptAt: now,
            createdAt: now,
          });
        }
      }
    }
    if (stored.length) await this.deps.deliveries.addMissing(stored);
    return stored.length;
  }
}
