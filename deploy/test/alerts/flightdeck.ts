import { readFileSync } from 'node:fs';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { createAnalyticsService, type AnalyticsService } from '@flightdeck/analytics';
import { createDeploymentService, type DeploymentService } from '@flightdeck/deployment';
import { JetStreamBus } from '@flightdeck/events';
import { createGatesService, type GatesService } from '@flightdeck/gates';
import { createGatewayService, defaultSupergraphPath } from '@flightdeck/gateway';
import { startKubeSim, type KubeSim } from '@flightdeck/kube-sim';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createPlanningService, type PlanningService } from '@flightdeck/planning';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { freePort, startMongo, startNatsServer, startPrometheus, type PrometheusHandle } from '@flightdeck/testing';
import { rulesFile } from './rules.js';

export const SERVICES = ['gateway', 'planning', 'gates', 'deployment', 'analytics'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface Flightdeck {
  planning: PlanningService;
  gates: GatesService;
  deployment: DeploymentService;
  analytics: AnalyticsService;
  /** Each service's own HTTP base URL (its /metrics, /readyz, GraphQL). */
  urls: Record<ServiceName, string>;
  /** A JetStream connection of the test's own, for publishing what another service would. */
  bus: JetStreamBus;
  apps: AppsV1Api;
  /** A real Prometheus scraping every service each second, with the alert rules loaded. */
  prometheus: PrometheusHandle;
  stop(): Promise<void>;
}

const SECRET = 'alerts-test-secret-0123456789-0123456789';

/**
 * Every Flightdeck service as `npm start` runs them (tools/stack), but each with its own JetStream connection to a
 * real nats-server and its own database on the embedded MongoDB-wire server; the deployment service on the
 * simulated cluster; a real Prometheus scraping all five with flightdeck-alerts.yaml loaded.
 */
export async function startFlightdeck(): Promise<Flightdeck> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const nats = await startNatsServer();
    stops.push(() => nats.stop());
    const mongo = await startMongo();
    stops.push(() => mongo.stop());
    const sim: KubeSim = await startKubeSim({ timeScale: 20, podStartSeconds: 1 });
    stops.push(() => sim.stop());
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromString(sim.kubeconfig);

    const ports = Object.fromEntries(
      await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const)),
    ) as Record<ServiceName, number>;
    const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${ports[s]}`])) as Record<
      ServiceName,
      string
    >;
    const prometheus = await startPrometheus({
      scrapeTargets: SERVICES.map((s) => `${urls[s]}/metrics`),
      scrapeIntervalSeconds: 1,
      waitForFirstScrape: false,
      ruleFiles: [rulesFile],
    });
    stops.push(() => prometheus.stop());

    const verifier = createTokenVerifier({ secret: SECRET });
    const parts = async (name: string) => {
      const bus = await JetStreamBus.connect({ servers: nats.url, name });
      stops.push(() => bus.close());
      const db: MongoConnection = await connectMongo({ uri: `${mongo.uri}/flightdeck-${name}`, retries: 2 });
      stops.push(() => db.close());
      const logger = createLogger({ service: name, level: 'silent' });
      return {
        bus,
        mongo: db,
        logger,
        metrics: createMetrics({ service: name }),
        verifier,
        advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
      };
    };

    const planning = createPlanningService(await parts('planning'));
    await planning.listen(ports.planning, '127.0.0.1');
    stops.push(() => planning.stop());
    const g = await parts('gates');
    const gates = createGatesService({ ...g, prometheusUrl: prometheus.url });
    await gates.listen(ports.gates, '127.0.0.1');
    stops.push(() => gates.stop());
    const deployment = createDeploymentService({
      ...(await parts('deployment')),
      kubeconfig,
      prometheusUrl: prometheus.url,
      tickMs: 100,
    });
    await deployment.listen(ports.deployment, '127.0.0.1');
    stops.push(() => deployment.stop());
    const analytics = createAnalyticsService({ ...(await parts('analytics')), refreshIntervalMs: 200 });
    await analytics.listen(ports.analytics, '127.0.0.1');
    stops.push(() => analytics.stop());
    const gateway = createGatewayService({
      supergraphSdl: readFileSync(defaultSupergraphPath, 'utf8'),
      verifier,
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      metrics: createMetrics({ service: 'gateway' }),
      subgraphUrls: {
        planning: `${urls.planning}/graphql`,
        gates: `${urls.gates}/graphql`,
        deployment: `${urls.deployment}/graphql`,
        analytics: `${urls.analytics}/graphql`,
      },
    });
    await gateway.listen(ports.gateway, '127.0.0.1');
    stops.push(() => gateway.close());

    const bus = await JetStreamBus.connect({ servers: nats.url, name: 'alerts-test' });
    stops.push(() => bus.close());
    return {
      planning,
      gates,
      deployment,
      analytics,
      urls,
      bus,
      apps: kubeconfig.makeApiClient(AppsV1Api),
      prometheus,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
