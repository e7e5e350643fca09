import { randomUUID } from 'node:crypto';
import { OutboxRelay, registerOutboxMetrics, withEventMetrics, type Subscription } from '@flightdeck/events';
import { createSubgraphService, type ServiceDeps, type SubgraphService } from '@flightdeck/subgraph';
import { Incidents } from './application/incidents.js';
import { Projector } from './application/projector.js';
import { HistoryPartitions } from './application/history-partitions.js';
import { AnalyticsQueries } from './application/queries.js';
import { Retrospectives } from './application/retrospectives.js';
import { resolvers, type AnalyticsContext } from './adapters/graphql/resolvers.js';
import { loadTypeDefs } from './adapters/graphql/schema.js';
import { alertmanagerWebhook } from './adapters/http/alertmanager-webhook.js';
import { MongoProjectionStore } from './adapters/mongo/mongo-projection-store.js';
import { projectionModels } from './adapters/mongo/projection-models.js';
import { MongoRetrospectiveStore, retrospectiveModel } from './adapters/mongo/mongo-retrospective-store.js';
import { consumeEvents, PROJECTION_DURABLE } from './adapters/nats/projection-consumer.js';
import { registerMetricGauges } from './adapters/prometheus/metric-gauges.js';
import { refreshMetrics } from './adapters/prometheus/refresh-metrics.js';
import { registerReleaseIncidentGauges } from './adapters/prometheus/release-incident-gauges.js';

/** The shared dependencies (`durable` names the consumer of every flightdeck.> event, default analytics-projections), and: */
export interface AnalyticsServiceDeps extends ServiceDeps {
  /** How often the metrics catch up with the projections (other replicas' writes included); default 1000 ms. */
  refreshIntervalMs?: number;
  /** Bearer token the Alertmanager webhook must present; none: unauthenticated. */
  webhookToken?: string;
}

/** The app also serves /webhooks/alertmanager; `stop` leaves MongoDB and the bus to their owner. */
export interface AnalyticsService extends SubgraphService {
  queries: AnalyticsQueries;
  incidents: Incidents;
  retrospectives: Retrospectives;
  projector: Projector;
  store: MongoProjectionStore;
}

export function createAnalyticsService(deps: AnalyticsServiceDeps): AnalyticsService {
  const { logger, metrics } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const newId = deps.newId ?? randomUUID;
  const models = projectionModels(deps.mongo.connection);
  const retroModel = retrospectiveModel(deps.mongo.connection);
  // Consumers count their dead letters and report their lag; the outbox its backlog.
  const bus = withEventMetrics(deps.bus, metrics.registry);
  const relay = new OutboxRelay({ bus, models: [models.incident, retroModel], logger });
  registerOutboxMetrics(metrics.registry, relay);
  const store = new MongoProjectionStore(models, () => relay.kick());
  const retrospectives = new Retrospectives({
    store: new MongoRetrospectiveStore(retroModel, () => relay.kick()),
    projections: store,
    clock,
    newId,
  });
  const partitions = new HistoryPartitions({
    store,
    logger,
    now: () => clock.now(),
    onRefresh: refreshMetrics(metrics.registry),
  });
  const queries = new AnalyticsQueries({ store, partitions, clock });
  const incidents = new Incidents({ store, clock, newId, onRecorded: () => partitions.requireFresh() });
  const projector = new Projector({ store, retrospectives, logger });
  registerMetricGauges(metrics.registry, queries, () => clock.now());
  registerReleaseIncidentGauges(metrics.registry, queries, () => clock.now());

  let subscription: Subscription | undefined;
  const shell = createSubgraphService<
    Pick<AnalyticsContext, 'queries' | 'incidents' | 'retrospectives' | 'advisor' | 'now'>
  >({
    service: 'analytics',
    typeDefs: loadTypeDefs(),
    resolvers,
    logger,
    metrics,
    verifier: deps.verifier,
    context: () => ({ queries, incidents, retrospectives, advisor: deps.advisor, now: () => clock.now() }),
    introspection: deps.introspection ?? false,
    readiness: (graphql) => [
      { name: 'mongodb', check: () => deps.mongo.isReady() },
      graphql,
      { name: 'events', check: () => subscription !== undefined },
      { name: 'metrics', check: () => partitions.isBuilt() },
    ],
    mount: (app) =>
      app.use(alertmanagerWebhook(incidents, logger, deps.webhookToken ? { token: deps.webhookToken } : {})),
    async onStart() {
      await Promise.all([models.release.init(), models.rollout.init(), models.incident.init(), retroModel.init()]);
      relay.start();
      partitions.startRefreshing(deps.refreshIntervalMs ?? 1000);
      subscription = await consumeEvents(bus, projector, logger, deps.durable ?? PROJECTION_DURABLE);
      logger.info('analytics started');
    },
    async onStop() {
      await subscription?.stop();
      subscription = undefined;
      await relay.stop();
      await partitions.stopRefreshing();
    },
  });

  return {
    ...shell,
    queries,
    incidents,
    retrospectives,
    projector,
    store,
  };
}
