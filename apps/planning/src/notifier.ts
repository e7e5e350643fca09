import { randomUUID } from 'node:crypto';
import type { EventBus, Subscription } from '@flightdeck/events';
import { Channels, DEFAULT_RETRY_POLICY, type RetryPolicy, type SmtpSettings } from '@flightdeck/notify';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CommunicationPlan } from './application/communication-plan.js';
import type { NotificationSender } from './application/notification-ports.js';
import { Notifications } from './application/notifications.js';
import type { Clock, ReleaseRepository } from './application/ports.js';
import { StatusSchedule } from './application/status-schedule.js';
import type { Release } from './domain/release.js';
import { MongoDeliveryStore, MongoSubscriptionStore } from './adapters/mongo/mongo-notification-stores.js';
import { deliveryModel, subscriptionModel } from './adapters/mongo/notification-models.js';
import { consumeNotifyingEvents, NOTIFICATIONS_SUFFIX } from './adapters/nats/notification-consumer.js';
import { DeliveryWorker } from './adapters/notify/delivery-worker.js';
import { registerNotificationMetrics } from './adapters/prometheus/notification-metrics.js';

/** How notifications go out: channels' settings, retries, links. */
export interface NotifySettings {
  /** Without it, e-mail deliveries fail (FAILED, not retried) saying e-mail is not configured. */
  smtp?: SmtpSettings;
  retry?: RetryPolicy;
  /** The console's public URL; notifications link to the release's page there. */
  linkBaseUrl?: string;
  /** Pause of the delivery worker between looks at the queue when idle; default 1000 ms. */
  pollMs?: number;
  /** How often the status schedule looks whether this week's updates or today's digests are due; default 60 s. */
  scheduleMs?: number;
  /** Per attempt (HTTP or SMTP); default 10 s. A delivery a crashed process held is taken again after 2 × this + 5 s. */
  timeoutMs?: number;
  /** Replaces the channels of @flightdeck/notify. */
  sender?: NotificationSender;
}

export interface NotifierDeps {
  connection: Connection;
  bus: EventBus;
  releases: ReleaseRepository;
  clock: Clock;
  logger: Logger;
  /** Where the deliveries' counters and the gauge of waiting deliveries are registered. */
  registry: Registry;
  newId?: () => string;
  /** The release's weekly status in the process's template. */
  statusOf(release: Release): string;
  /** The development team's daily digest of the release. */
  digestOf(release: Release): string;
  /** The consumer's name is this with `-notifications`. */
  durable: string;
  settings: NotifySettings;
}

/** Planning's notifier wired together: the communication plan, the event consumer, the delivery worker, the status schedule. */
export function createNotifier(deps: NotifierDeps) {
  const { logger, clock, settings: notify } = deps;
  const subscriptionsModel = subscriptionModel(deps.connection);
  const deliveriesModel = deliveryModel(deps.connection);
  const subscriptions = new MongoSubscriptionStore(subscriptionsModel);
  const deliveries = new MongoDeliveryStore(deliveriesModel);
  const timeoutMs = notify.timeoutMs ?? 10_000;
  const channels = notify.sender
    ? undefined
    : new Channels({ ...(notify.smtp ? { smtp: notify.smtp } : {}), timeoutMs });
  const link = notify.linkBaseUrl ? { linkBaseUrl: notify.linkBaseUrl } : {};
  const plan = new CommunicationPlan({ subscriptions, clock, newId: deps.newId ?? randomUUID });
  const notifications = new Notifications({
    releases: deps.releases,
    subscriptions,
    deliveries,
    sender: notify.sender ?? channels!,
    clock,
    logger,
    retry: notify.retry ?? DEFAULT_RETRY_POLICY,
    ...link,
    leaseMs: 2 * timeoutMs + 5_000,
    onQueued: () => worker.kick(),
    metrics: registerNotificationMetrics(deps.registry, deliveries),
  });
  const worker = new DeliveryWorker(notifications, logger, notify.pollMs ?? 1000);
  const statusSchedule = new StatusSchedule({
    releases: deps.releases,
    subscriptions,
    deliveries,
    clock,
    logger,
    statusOf: deps.statusOf,
    digestOf: deps.digestOf,
    ...link,
  });
  const scheduleTick = () =>
    statusSchedule
      .tick()
      .then((n) => n > 0 && worker.kick())
      .catch((err: unknown) => logger.error({ err }, 'status schedule failed; will look again'));
  let schedule: NodeJS.Timeout | undefined;
  let consumer: Subscription | undefined;

  return {
    plan,
    notifications,
    consuming: () => consumer !== undefined,
    async start(): Promise<void> {
      await Promise.all([subscriptionsModel.init(), deliveriesModel.init()]);
      consumer = await consumeNotifyingEvents(
        deps.bus,
        notifications,
        logger,
        `${deps.durable}${NOTIFICATIONS_SUFFIX}`,
      );
      worker.start();
      void scheduleTick();
      schedule = setInterval(() => void scheduleTick(), notify.scheduleMs ?? 60_000);
    },
    async stop(): Promise<void> {
      await consumer?.stop();
      consumer = undefined;
      clearInterval(schedule);
      await worker.stop();
      channels?.close();
    },
  };
}
