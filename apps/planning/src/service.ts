import { randomUUID } from 'node:crypto';
import { OutboxRelay, registerOutboxMetrics, withEventMetrics, type Subscription } from '@flightdeck/events';
import { Channels, DEFAULT_RETRY_POLICY, type RetryPolicy, type SmtpSettings } from '@flightdeck/notify';
import { createSubgraphService, type ServiceDeps, type SubgraphService } from '@flightdeck/subgraph';
import { markMount } from '@flightdeck/telemetry';
import { CodeFreeze } from './application/code-freeze.js';
import { CommunicationPlan } from './application/communication-plan.js';
import type { NotificationSender } from './application/notification-ports.js';
import { Notifications } from './application/notifications.js';
import { WeeklyStatusSchedule } from './application/weekly-status-schedule.js';
import { ReleaseInsights } from './application/release-insights.js';
import { ReleasePlanning } from './application/release-planning.js';
import { ReleaseSignals } from './application/release-signals.js';
import { notificationResolvers } from './adapters/graphql/notification-resolvers.js';
import { resolvers, type PlanningContext } from './adapters/graphql/resolvers.js';
import { loadTypeDefs } from './adapters/graphql/schema.js';
import { gitWebhooks, type GitWebhookSecrets } from './adapters/http/git-webhook-route.js';
import { MongoReleaseRepository } from './adapters/mongo/mongo-release-repository.js';
import { releaseModel } from './adapters/mongo/release-model.js';
import { registerReleaseGauges } from './adapters/prometheus/release-gauges.js';
import { consumeReleaseSignals, SIGNALS_DURABLE } from './adapters/nats/signal-consumer.js';
import { consumeNotifyingEvents, NOTIFICATIONS_SUFFIX } from './adapters/nats/notification-consumer.js';
import { MongoDeliveryStore, MongoSubscriptionStore } from './adapters/mongo/mongo-notification-stores.js';
import { deliveryModel, subscriptionModel } from './adapters/mongo/notification-models.js';
import { DeliveryWorker } from './adapters/notify/delivery-worker.js';

/** How notifications go out: channels' settings, retries, links. */
export interface NotifySettings {
  /** Without it, e-mail deliveries fail (FAILED, not retried) saying e-mail is not configured. */
  smtp?: SmtpSettings;
  retry?: RetryPolicy;
  /** The console's public URL; notifications link to the release's page there. */
  linkBaseUrl?: string;
  /** Pause of the delivery worker between looks at the queue when idle; default 1000 ms. */
  pollMs?: number;
  /** How often the weekly status schedule looks whether this week's updates are due; default 60 s. */
  scheduleMs?: number;
  /** Per HTTP attempt; default 10 s. */
  timeoutMs?: number;
  /** Replaces the channels of @flightdeck/notify (a test wrapping them to stop mid-delivery). */
  sender?: NotificationSender;
}

/** The shared dependencies; `durable` names the consumer of gates' and deployment's events (default planning-release-signals). */
export interface PlanningServiceDeps extends ServiceDeps {
  /** Secrets of the Git hosts' webhooks (POST /webhooks/git/github, /webhooks/git/gitlab); a host without one is refused. */
  gitWebhooks?: GitWebhookSecrets;
  notify?: NotifySettings;
}

/** `start` adds indexes, the outbox relay and the event consumer; `stop` leaves MongoDB and the bus to their owner. */
export interface PlanningService extends SubgraphService {
  planning: ReleasePlanning;
  insights: ReleaseInsights;
  signals: ReleaseSignals;
  freeze: CodeFreeze;
  plan: CommunicationPlan;
  notifications: Notifications;
}

export function createPlanningService(deps: PlanningServiceDeps): PlanningService {
  const { logger, metrics } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const model = releaseModel(deps.mongo.connection);
  // Consumers count their dead letters and report their lag; the outbox its backlog.
  const bus = withEventMetrics(deps.bus, metrics.registry);
  const relay = new OutboxRelay({ bus, models: [model], logger });
  registerOutboxMetrics(metrics.registry, relay);
  const releases = new MongoReleaseRepository(model, () => relay.kick());
  registerReleaseGauges(metrics.registry, releases);
  const planning = new ReleasePlanning({ releases, clock, newId: deps.newId ?? randomUUID });
  const insights = new ReleaseInsights({ planning, clock, advisor: deps.advisor });
  const freeze = new CodeFreeze(planning);
  const signals = new ReleaseSignals({ releases, clock, logger });
  const notify = deps.notify ?? {};
  const subscriptionsModel = subscriptionModel(deps.mongo.connection);
  const deliveriesModel = deliveryModel(deps.mongo.connection);
  const plan = new CommunicationPlan({
    subscriptions: new MongoSubscriptionStore(subscriptionsModel),
    clock,
    newId: deps.newId ?? randomUUID,
  });
  const channels = notify.sender
    ? undefined
    : new Channels({ ...(notify.smtp ? { smtp: notify.smtp } : {}), timeoutMs: notify.timeoutMs ?? 10_000 });
  const notifications = new Notifications({
    releases,
    subscriptions: new MongoSubscriptionStore(subscriptionsModel),
    deliveries: new MongoDeliveryStore(deliveriesModel),
    sender: notify.sender ?? channels!,
    clock,
    logger,
    retry: notify.retry ?? DEFAULT_RETRY_POLICY,
    ...(notify.linkBaseUrl ? { linkBaseUrl: notify.linkBaseUrl } : {}),
    leaseMs: 2 * (notify.timeoutMs ?? 10_000) + 5_000,
    onQueued: () => worker.kick(),
  });
  const worker = new DeliveryWorker(notifications, logger, notify.pollMs ?? 1000);
  const weeklyStatus = new WeeklyStatusSchedule({
    releases,
    subscriptions: new MongoSubscriptionStore(subscriptionsModel),
    deliveries: new MongoDeliveryStore(deliveriesModel),
    clock,
    logger,
    statusOf: (r) => insights.documents(r).weeklyStatus,
    ...(notify.linkBaseUrl ? { linkBaseUrl: notify.linkBaseUrl } : {}),
  });
  let schedule: NodeJS.Timeout | undefined;
  const scheduleTick = () =>
    weeklyStatus
      .tick()
      .then((n) => n > 0 && worker.kick())
      .catch((err: unknown) => logger.error({ err }, 'weekly status schedule failed; will look again'));
  const durable = deps.durable ?? SIGNALS_DURABLE;
  let subscription: Subscription | undefined;
  let notifying: Subscription | undefined;
  const shell = createSubgraphService<
    Pick<PlanningContext, 'planning' | 'insights' | 'freeze'> & {
      plan: CommunicationPlan;
      notifications: Notifications;
    }
  >({
    service: 'planning',
    typeDefs: loadTypeDefs(),
    resolvers: {
      ...resolvers,
      ...notificationResolvers,
      Query: { ...resolvers.Query, ...notificationResolvers.Query },
      Mutation: { ...resolvers.Mutation, ...notificationResolvers.Mutation },
    } as typeof resolvers,
    logger,
    metrics,
    verifier: deps.verifier,
    context: () => ({ planning, insights, freeze, plan, notifications }),
    mount: (app) => app.use('/webhooks', markMount('/webhooks'), gitWebhooks(freeze, logger, deps.gitWebhooks ?? {})),
    introspection: deps.introspection ?? false,
    readiness: (graphql) => [
      { name: 'mongodb', check: () => deps.mongo.isReady() },
      graphql,
      { name: 'events', check: () => subscription !== undefined && notifying !== undefined },
    ],
    async onStart() {
      await Promise.all([model.init(), subscriptionsModel.init(), deliveriesModel.init()]);
      relay.start();
      subscription = await consumeReleaseSignals(bus, signals, logger, durable);
      notifying = await consumeNotifyingEvents(bus, notifications, logger, `${durable}${NOTIFICATIONS_SUFFIX}`);
      worker.start();
      void scheduleTick();
      schedule = setInterval(() => void scheduleTick(), notify.scheduleMs ?? 60_000);
      logger.info('planning started');
    },
    async onStop() {
      await subscription?.stop();
      subscription = undefined;
      await notifying?.stop();
      notifying = undefined;
      clearInterval(schedule);
      await worker.stop();
      channels?.close();
      await relay.stop();
    },
  });

  return { ...shell, planning, insights, signals, freeze, plan, notifications };
}
