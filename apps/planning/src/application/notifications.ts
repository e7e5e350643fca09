import {
  gateEvaluationCompleted,
  rolloutPaused,
  rolloutRolledBack,
  rolloutSucceeded,
  type CloudEvent,
} from '@flightdeck/events';
import { backoffDelay, DeliveryError, describeTarget, type RetryPolicy } from '@flightdeck/notify';
import type { Logger } from 'pino';
import { noticeFor, type Cause } from '../domain/notices.js';
import { releaseNotes } from '../domain/release-notes.js';
import type { Clock, ReleaseRepository } from './ports.js';
import type {
  Delivery,
  DeliveryMetrics,
  DeliveryStore,
  NotificationSender,
  SubscriptionStore,
} from './notification-ports.js';

export interface NotificationsDeps {
  releases: ReleaseRepository;
  subscriptions: SubscriptionStore;
  deliveries: DeliveryStore;
  sender: NotificationSender;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  /** The console's base URL, e.g. https://flightdeck.example.com; links point at the release's page there. */
  linkBaseUrl?: string;
  /** How long one attempt may hold a delivery before another worker may take it again. */
  leaseMs?: number;
  /** Called after new deliveries are stored, so the worker sends them at once. */
  onQueued?: () => void;
  /** Told the outcome of every attempt. */
  metrics?: DeliveryMetrics;
}

/** The other services' events that notify someone. */
export const NOTIFYING_EVENT_TYPES = [
  gateEvaluationCompleted.type,
  rolloutPaused.type,
  rolloutRolledBack.type,
  rolloutSucceeded.type,
];

function causeOf(event: CloudEvent): { releaseId: string; cause: Cause } | undefined {
  if (gateEvaluationCompleted.is(event)) {
    const d = event.data;
    return {
      releaseId: d.releaseId,
      cause: {
        kind: 'gate.evaluated',
        gate: d.gate,
        outcome: d.outcome,
        reasons: d.reasons ?? [],
        ...(d.awaitingApprovals ? { awaitingApprovals: d.awaitingApprovals } : {}),
      },
    };
  }
  if (rolloutPaused.is(event)) {
    const d = event.data;
    const cause: Cause = {
      kind: 'rollout.paused',
      rolloutId: d.rolloutId,
      environment: d.environment,
      reason: d.reason,
    };
    return { releaseId: d.releaseId, cause };
  }
  if (rolloutRolledBack.is(event)) {
    const d = event.data;
    const cause: Cause = {
      kind: 'rollout.rolled_back',
      rolloutId: d.rolloutId,
      environment: d.environment,
      reason: d.reason,
    };
    return { releaseId: d.releaseId, cause };
  }
  if (rolloutSucceeded.is(event)) {
    const d = event.data;
    return {
      releaseId: d.releaseId,
      cause: { kind: 'rollout.succeeded', rolloutId: d.rolloutId, environment: d.environment },
    };
  }
  return undefined;
}

/**
 * Turns events into deliveries, one per subscription of the audiences concerned, and sends them. The event is
 * acknowledged only after its deliveries are stored (ids derived from the event and the subscription, so a
 * redelivered event stores nothing twice); a delivery is marked SENT only after its channel took it, and its id
 * travels with it (webhook header, e-mail Message-ID), so a resend after a crash is recognisably the same message.
 */
export class Notifications {
  constructor(private readonly deps: NotificationsDeps) {}

  async handle(event: CloudEvent): Promise<number> {
    const found = causeOf(event);
    if (!found) return 0;
    const stored = await this.deps.releases.get(found.releaseId);
    if (!stored) {
      this.deps.logger.warn({ eventId: event.id, releaseId: found.releaseId }, 'no such release; nobody notified');
      return 0;
    }
    const r = stored.release;
    // Only the production notice carries the release notes; nothing else needs them written.
    const notes = found.cause.kind === 'rollout.succeeded' ? { releaseNotes: releaseNotes(r) } : {};
    const notice = noticeFor(found.cause, { id: r.id, product: r.product, version: r.version, ...notes });
    if (!notice) return 0;
    const subscriptions = await this.deps.subscriptions.forAudiences(r.product, notice.audiences);
    const now = this.deps.clock.now();
    const link = this.deps.linkBaseUrl
      ? {
          label: notice.action,
          url: `${this.deps.linkBaseUrl.replace(/\/$/, '')}/releases/${encodeURIComponent(r.id)}`,
        }
      : undefined;
    const deliveries: Delivery[] = subscriptions.map((s) => {
      const id = `${event.id}.${s.id}`;
      return {
        id,
        releaseId: r.id,
        product: r.product,
        audience: s.audience,
        subscriptionId: s.id,
        target: s.target,
        notification: {
          id,
          event: notice.event,
          title: notice.title,
          text: notice.textFor?.[s.audience] ?? notice.text,
          severity: notice.severity,
          ...(link ? { link } : {}),
          data: notice.data,
        },
        status: 'PENDING',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      };
    });
    if (deliveries.length) {
      await this.deps.deliveries.addMissing(deliveries);
      this.deps.onQueued?.();
    }
    return deliveries.length;
  }

  /** Sends one due delivery, if any; false when none was due. A failure is recorded, never thrown. */
  async deliverOne(): Promise<boolean> {
    const now = this.deps.clock.now();
    const d = await this.deps.deliveries.claimDue(now, this.deps.leaseMs ?? 60_000);
    if (!d) return false;
    const attempts = d.attempts + 1;
    const where = describeTarget(d.target);
    try {
      await this.deps.sender.send(d.notification, d.target);
      await this.deps.deliveries.markSent(d.id, attempts, this.deps.clock.now());
      this.deps.metrics?.attempted(d.target.kind, 'delivered');
      this.deps.logger.info({ deliveryId: d.id, releaseId: d.releaseId, attempts, to: where }, 'notification sent');
    } catch (error) {
      const retryable = error instanceof DeliveryError ? error.retryable : true;
      const message = error instanceof Error ? error.message : String(error);
      if (retryable && attempts < this.deps.retry.maxAttempts) {
        const wait = backoffDelay(
          this.deps.retry,
          attempts,
          error instanceof DeliveryError ? error.retryAfterMs : undefined,
        );
        await this.deps.deliveries.markRetrying(
          d.id,
          attempts,
          message,
          new Date(this.deps.clock.now().getTime() + wait),
        );
        this.deps.metrics?.attempted(d.target.kind, 'retried');
        this.deps.logger.warn(
          { deliveryId: d.id, releaseId: d.releaseId, attempts, to: where, retryInMs: wait, err: message },
          'notification not delivered; will retry',
        );
      } else {
        await this.deps.deliveries.markFailed(d.id, attempts, message);
        this.deps.metrics?.attempted(d.target.kind, 'failed');
        this.deps.logger.error(
          { deliveryId: d.id, releaseId: d.releaseId, attempts, to: where, err: message },
          retryable ? 'notification not delivered; attempts used up' : 'notification refused; not retried',
        );
      }
    }
    return true;
  }

  deliveriesOf(releaseId: string): Promise<Delivery[]> {
    return this.deps.deliveries.forRelease(releaseId);
  }
}
