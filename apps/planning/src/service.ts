import { randomUUID } from 'node:crypto';
import { OutboxRelay, registerOutboxMetrics, withEventMetrics, type Subscription } from '@flightdeck/events';
import { createSubgraphService, type ServiceDeps, type SubgraphService } from '@flightdeck/subgraph';
import { markMount } from '@flightdeck/telemetry';
import { CodeFreeze } from './application/code-freeze.js';
import type { CommunicationPlan } from './application/communication-plan.js';
import type { Notifications } from './application/notifications.js';
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
import { createNotifier, type NotifySettings } from './notifier.js';

export type { NotifySettings } from './notifier.js';

/** The shared dependencies; `durable` names the consumer of gates' and deployment's events (default planning-release-signals). */
export interface PlanningServiceDeps extends ServiceDeps {
  /** Secrets of the Git hosts' webhooks (POST /webhooks/git/github, /webhooks/git/gitlab); a host without one is refused. */
  gitWebhooks?: GitWebhookSecrets;
  /** Channels' settings, retries and links of the notifications (the communication plan). */
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
  const durable = deps.durable ?? SIGNALS_DURABLE;
  const notifier = createNotifier({
    connection: deps.mongo.connection,
    bus,
    releases,
    clock,
    logger,
    registry: metrics.registry,
    ...(deps.newId ? { newId: deps.newId } : {}),
    statusOf: (r) => insights.documents(r).weeklyStatus,
    digestOf: (r) => insights.dailyDigest(r),
    durable,
    settings: deps.notify ?? {},
  });
  const { plan, notifications } = notifier;
  let subscription: Subscription | undefined;
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
      { name: 'events', check: () => subscription !== undefined && notifier.consuming() },
    ],
    async onStart() {
      await model.init();
      relay.start();
      subscription = await consumeReleaseSignals(bus, signals, logger, durable);
      await notifier.start();
      logger.info('planning started');
    },
    async onStop() {
      await subscription?.stop();
      subscription = undefined;
      await notifier.stop();
      await relay.stop();
    },
  });

  return { ...shell, planning, insights, signals, freeze, plan, notifications };
}
