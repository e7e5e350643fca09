import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  JetStreamBus,
  OutboxRelay,
  registerOutboxMetrics,
  withEventMetrics,
  type Subscription,
} from '@flightdeck/events';
import { createSubgraphService, type ServiceDeps, type SubgraphService } from '@flightdeck/subgraph';
import { AlertIntake } from './application/alert-intake.js';
import type { Leadership, MetricProvider, RolloutTarget } from './application/ports.js';
import { DeploymentHealthAdvice } from './application/health-advice.js';
import { RolloutCommands } from './application/rollout-commands.js';
import { RolloutController } from './application/rollout-controller.js';
import { ReleaseRolloutCommands } from './application/release-rollout-commands.js';
import { ReleaseRolloutController } from './application/release-rollout-controller.js';
import { resolvers } from './adapters/graphql/resolvers.js';
import { withReleaseRollouts, type ReleaseRolloutContext } from './adapters/graphql/release-rollout-resolvers.js';
import { loadTypeDefs } from './adapters/graphql/schema.js';
import { KubernetesDeploymentTarget } from './adapters/kubernetes/deployment-target.js';
import { LeaseLeadership, soleLeader } from './adapters/kubernetes/lease-leadership.js';
import { HttpWebhookCaller } from './adapters/http-webhook-caller.js';
import { LogNotifier } from './adapters/log-notifier.js';
import { MongoReleaseClearance } from './adapters/mongo/mongo-release-clearance.js';
import { MongoRolloutRepository } from './adapters/mongo/mongo-rollout-repository.js';
import { MongoReleaseRolloutRepository } from './adapters/mongo/mongo-release-rollout-repository.js';
import { releaseRolloutModel } from './adapters/mongo/release-rollout-model.js';
import { registerReleaseRolloutGauges } from './adapters/prometheus/release-rollout-gauges.js';
import { releaseGatesModel, rolloutModel } from './adapters/mongo/rollout-model.js';
import { consumeGateEvaluations, GATES_DURABLE } from './adapters/nats/gate-consumer.js';
import { NatsLeaderWake } from './adapters/nats/leader-wake.js';
import { alertmanagerWebhook } from './adapters/http/alertmanager-webhook.js';
import { PrometheusMetricProvider } from './adapters/prometheus/prometheus-provider.js';
import { PrometheusRolloutMetrics } from './adapters/prometheus/rollout-metrics.js';

/** The shared dependencies (`durable` names the consumer of gates' events, default deployment-gates), and: */
export interface DeploymentServiceDeps extends ServiceDeps {
  /** The cluster(s): contexts of this kubeconfig are the rollouts' `cluster` names. */
  kubeconfig: KubeConfig;
  prometheusUrl: string;
  /** Overrides for tests: another metric provider or target. */
  provider?: MetricProvider;
  target?: RolloutTarget;
  /** Leader election; absent: this replica is the only one. */
  lease?: { namespace: string; name: string; identity: string; leaseSeconds?: number; renewMs?: number };
  leadership?: Leadership;
  tickMs?: number;
  queryTimeoutMs?: number;
  /** Bearer token the Alertmanager webhook must present; none: unauthenticated. */
  webhookToken?: string;
}

/** The app also serves POST /webhooks/alertmanager (alerts that abort rollouts). */
export interface DeploymentService extends SubgraphService {
  commands: RolloutCommands;
  alerts: AlertIntake;
  controller: RolloutController;
  releaseRollouts: ReleaseRolloutCommands;
  releaseController: ReleaseRolloutController;
  leadership: Leadership;
  /**
   * Stops intake, the controller, the lease, the consumer and the relay; leaves MongoDB and the bus to their owner.
   * `releaseLease: false` keeps the lease held until it expires, as a replica that died would.
   */
  stop(opts?: { releaseLease?: boolean }): Promise<void>;
}

export function createDeploymentService(deps: DeploymentServiceDeps): DeploymentService {
  const { logger, metrics } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const model = rolloutModel(deps.mongo.connection);
  const gatesModel = releaseGatesModel(deps.mongo.connection);
  // Consumers count their dead letters and report their lag; the outbox its backlog.
  const bus = withEventMetrics(deps.bus, metrics.registry);
  const releaseModel = releaseRolloutModel(deps.mongo.connection);
  const relay = new OutboxRelay({ bus, models: [model, releaseModel], logger });
  registerOutboxMetrics(metrics.registry, relay);
  const rollouts = new MongoRolloutRepository(model, () => relay.kick());
  const clearance = new MongoReleaseClearance(gatesModel);
  const target = deps.target ?? new KubernetesDeploymentTarget(deps.kubeconfig);
  const provider =
    deps.provider ?? new PrometheusMetricProvider(deps.prometheusUrl, deps.queryTimeoutMs, metrics.registry);
  const lease = deps.lease ? new LeaseLeadership(deps.kubeconfig, { ...deps.lease, logger }) : undefined;
  const leadership = deps.leadership ?? lease ?? soleLeader;
  const rolloutMetrics = new PrometheusRolloutMetrics(metrics.registry, rollouts, () => clock.now());
  const health = new DeploymentHealthAdvice({ advisor: deps.advisor, rollouts, clock, logger });
  const controller = new RolloutController({
    rollouts,
    target,
    provider,
    clock,
    logger,
    leadership,
    notifier: new LogNotifier(logger),
    webhooks: new HttpWebhookCaller(),
    metrics: rolloutMetrics,
    onAnalysisCompleted: (rolloutId: string, runId: string) =>
      void health
        .adviseOn(rolloutId, runId)
        .catch((err: unknown) =>
          logger.warn(
            { err, rolloutId, runId },
            `rollout ${rolloutId}: the deployment-health advice failed: ${(err as Error).message}`,
          ),
        ),
    ...(deps.tickMs ? { tickMs: deps.tickMs } : {}),
    ...(deps.queryTimeoutMs ? { queryTimeoutMs: deps.queryTimeoutMs } : {}),
  });
  // On NATS every replica hears a wake, so the alert webhook reaches the leader's controller wherever it lands.
  const leaderWake = deps.bus instanceof JetStreamBus ? new NatsLeaderWake(deps.bus.connection, logger) : undefined;
  const alerts = new AlertIntake({
    rollouts,
    clock,
    logger,
    metrics: rolloutMetrics,
    wake: (rolloutId) => {
      controller.wake(rolloutId);
      leaderWake?.announce(rolloutId);
    },
  });
  const commands = new RolloutCommands({
    rollouts,
    target,
    clearance,
    clock,
    newId: deps.newId ?? randomUUID,
    wake: () => controller.wake(),
  });
  // Release-wide rollouts: their own aggregate and loop; their child rollouts are driven by the controller above.
  const releases = new MongoReleaseRolloutRepository(releaseModel, () => relay.kick());
  const releaseController = new ReleaseRolloutController({
    releases,
    rollouts,
    commands,
    target,
    clock,
    logger,
    leadership,
    wakeRollouts: () => controller.wake(),
    ...(deps.tickMs ? { tickMs: deps.tickMs } : {}),
  });
  const releaseRollouts = new ReleaseRolloutCommands({
    releases,
    rollouts,
    target,
    clearance,
    clock,
    newId: deps.newId ?? randomUUID,
    wake: () => releaseController.wake(),
  });
  registerReleaseRolloutGauges(metrics.registry, releases, () => clock.now());
  let subscription: Subscription | undefined;
  let releaseLease = true; // what stop(opts) asked for, read by onStop
  const shell = createSubgraphService<Pick<ReleaseRolloutContext, 'rollouts' | 'releaseRollouts'>>({
    service: 'deployment',
    typeDefs: loadTypeDefs(),
    resolvers: withReleaseRollouts(resolvers),
    logger,
    metrics,
    verifier: deps.verifier,
    context: () => ({ rollouts: commands, releaseRollouts }),
    introspection: deps.introspection ?? false,
    mount: (app) => app.use(alertmanagerWebhook(alerts, logger, deps.webhookToken ? { token: deps.webhookToken } : {})),
    readiness: (graphql) => [
      { name: 'mongodb', check: () => deps.mongo.isReady() },
      graphql,
      { name: 'events', check: () => subscription !== undefined },
    ],
    async onStart() {
      await model.init();
      await gatesModel.init();
      await releaseModel.init();
      relay.start();
      subscription = await consumeGateEvaluations(bus, clearance, logger, deps.durable ?? GATES_DURABLE);
      await lease?.start();
      leaderWake?.listen((rolloutId) => controller.wake(rolloutId || undefined));
      controller.start();
      releaseController.start();
      logger.info('deployment started');
    },
    async onStop() {
      await releaseController.stop();
      leaderWake?.stop();
      await controller.stop();
      await lease?.stop({ release: releaseLease });
      await subscription?.stop();
      subscription = undefined;
      await relay.stop();
    },
  });

  return {
    app: shell.app,
    commands,
    alerts,
    controller,
    releaseRollouts,
    releaseController,
    leadership,
    start: shell.start,
    listen: shell.listen,
    async stop(opts = {}) {
      releaseLease = opts.releaseLease ?? true;
      await shell.stop();
    },
  };
}
