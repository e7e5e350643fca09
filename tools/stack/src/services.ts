import type { KubeConfig } from '@kubernetes/client-node';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Advisor } from '@flightdeck/ai';
import type { TokenVerifier } from '@flightdeck/auth';
import type { EventBus } from '@flightdeck/events';
import type { ServiceMetrics } from '@flightdeck/telemetry';
import { createAnalyticsService } from '@flightdeck/analytics';
import { createDeploymentService } from '@flightdeck/deployment';
import { createGatesService } from '@flightdeck/gates';
import { createPlanningService } from '@flightdeck/planning';

/** What every subgraph service takes from the launcher. */
export interface ServiceDeps {
  mongo: { connection: Connection; isReady(): boolean };
  bus: EventBus;
  /** Prometheus for PromQL criteria and rollout analysis, when one is configured. */
  prometheusUrl?: string;
  /** The cluster rollouts go to; given to entries that ask for it. */
  cluster?: { kubeconfig: KubeConfig; prometheusUrl: string };
  advisor: Advisor;
  logger: Logger;
  metrics: ServiceMetrics;
  verifier: TokenVerifier;
  /** Absent: the real time. */
  clock?: { now(): Date };
}

export interface EmbeddedService {
  listen(port: number, host?: string): Promise<{ graphqlUrl: string }>;
  stop(): Promise<void>;
}

export interface ServiceEntry {
  /** The subgraph's name in the supergraph. */
  name: string;
  /** Needs a Kubernetes cluster and Prometheus (the simulated ones unless KUBECONFIG / PROMETHEUS_URL are set). */
  needsCluster?: boolean;
  create(deps: ServiceDeps): EmbeddedService;
}

/** Every service that has landed; the launcher starts them in this order. */
export const services: ServiceEntry[] = [
  { name: 'planning', create: (deps) => createPlanningService(deps) },
  {
    name: 'gates',
    create: (deps) => {
      const gates = createGatesService({ ...deps, connection: deps.mongo.connection });
      return { listen: (port, host) => gates.listen(port, host), stop: () => gates.close() };
    },
  },
  {
    name: 'deployment',
    needsCluster: true,
    create: ({ cluster, ...deps }) => {
      if (!cluster) throw new Error('the deployment service needs a cluster');
      return createDeploymentService({ ...deps, kubeconfig: cluster.kubeconfig, prometheusUrl: cluster.prometheusUrl });
    },
  },
  { name: 'analytics', create: (deps) => createAnalyticsService(deps) },
];
