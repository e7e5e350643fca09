import type { Logger } from 'pino';
import {
  dailyDigestDue,
  INTERNAL_AUDIENCES,
  weeklyStatusDue,
  type Audience,
  type Cadence,
} from '../domain/communication-plan.js';
import { DEVELOPMENT_STATUSES, isOpen, RELEASE_STATUSES, type ReleaseStatus } from '../domain/lifecycle.js';
import type { Release } from '../domain/release.js';
import type { Delivery, DeliveryStore, Subscription, SubscriptionStore } from './notification-ports.js';
import type { Clock, ReleaseRepository } from './ports.js';

/** Releases still on their way to production: the ones a weekly status is about. */
const ACTIVE = RELEASE_STATUSES.filter(isOpen);

/** A summary sent on a schedule: to whom, about which releases, when it is due, and its text. */
interface Summary {
  /** Starts the delivery id and names the notification's event (`status.<kind>`). */
  kind: 'weekly' | 'daily';
  cadence: Cadence;
  /** The audiences whose subscriptions on the summary's cadence receive it. */
  audiences: readonly Audience[];
  statuses: ReleaseStatus[];
  /** The period (a day or a week's Monday, YYYY-MM-DD) whose summary is due at `now`; undefined when none is. */
  due(now: Date): string | undefined;
  title(r: Release, period: string): string;
  text(r: Release): string;
}

export interface StatusScheduleDeps {
  releases: ReleaseRepository;
  subscriptions: SubscriptionStore;
  deliveries: DeliveryStore;
  clock: Clock;
  logger: Logger;
  /** The release's weekly status in the process's template (ReleaseInsights.documents), from its state now. */
  statusOf(release: Release): string;
  /** The development team's daily digest of the release (ReleaseInsights.dailyDigest), from its state now. */
  digestOf(release: Release): string;
  linkBaseUrl?: string;
}

/**
 * Queues the scheduled summaries: the weekly status of every active release to the WEEKLY subscriptions of its
 * product, once a week; the daily digest of every release in development to its DAILY subscriptions, once a weekday.
 * Both go only to audiences inside the organisation (a customers' subscription stored before that rule gets
 * neither). The delivery id names the period, so however often `tick` runs (and however many replicas run it) each
 * goes out once.
 */
export class StatusSchedule {
  private readonly summaries: Summary[];

  constructor(private readonly deps: StatusScheduleDeps) {
    this.summaries = [
      {
        kind: 'weekly',
        cadence: 'WEEKLY',
        audiences: INTERNAL_AUDIENCES,
        statuses: ACTIVE,
        due: weeklyStatusDue,
        title: (r, week) => `${r.product} ${r.version}: weekly status, week of ${week}`,
        text: (r) => deps.statusOf(r),
      },
      {
        kind: 'daily',
        cadence: 'DAILY',
        audiences: INTERNAL_AUDIENCES,
        statuses: DEVELOPMENT_STATUSES,
        due: dailyDigestDue,
        title: (r, day) => `${r.product} ${r.version}: daily digest, ${day}`,
        text: (r) => deps.digestOf(r),
      },
    ];
  }

  /** Returns how many deliveries the summaries due now make (those stored by an earlier tick are left as they are). */
  async tick(): Promise<number> {
    const now = this.deps.clock.now();
    const due = this.summaries.flatMap((s) => {
      const period = s.due(now);
      return period ? [{ summary: s, period }] : [];
    });
    if (!due.length) return 0;
    const all = await this.deps.subscriptions.list({});
    const stored: Delivery[] = [];
    for (const { summary, period } of due) stored.push(...(await this.deliveries(summary, period, all, now)));
    if (stored.length) await this.deps.deliveries.addMissing(stored);
    return stored.length;
  }

  private async deliveries(summary: Summary, period: string, all: Subscription[], now: Date): Promise<Delivery[]> {
    const subscribed = all.filter((s) => s.cadence === summary.cadence && summary.audiences.includes(s.audience));
    const stored: Delivery[] = [];
    for (const product of new Set(subscribed.map((s) => s.product))) {
      const page = await this.deps.releases.list(
        { product, status: summary.statuses },
        { first: 100, summaryOnly: true },
      );
      for (const { node } of page.edges) {
        const full = await this.deps.releases.get(node.release.id);
        if (!full) continue;
        const r = full.release;
        const text = summary.text(r);
        const link = this.deps.linkBaseUrl
          ? {
              label: 'See the release',
              url: `${this.deps.linkBaseUrl.replace(/\/$/, '')}/releases/${encodeURIComponent(r.id)}`,
            }
          : undefined;
        for (const s of subscribed.filter((x) => x.product === product)) {
          const id = `${summary.kind}.${r.id}.${period}.${s.id}`;
          stored.push({
            id,
            releaseId: r.id,
            product,
            audience: s.audience,
            subscriptionId: s.id,
            target: s.target,
            notification: {
              id,
              event: `status.${summary.kind}`,
              title: summary.title(r, period),
              text,
              severity: 'info',
              ...(link ? { link } : {}),
              data: {
                releaseId: r.id,
                product,
                version: r.version,
                ...(summary.kind === 'weekly' ? { week: period } : { day: period }),
              },
            },
            status: 'PENDING',
            attempts: 0,
            nextAttemptAt: now,
            createdAt: now,
          });
        }
      }
    }
    return stored;
  }
}
