import type { KubeConfig } from '@kubernetes/client-node';
import type { RunnableService, ServiceDeps } from '@flightdeck/subgraph';
import { createAnalyticsService } from '@flightdeck/analytics';
import { createDeploymentService } from '@flightdeck/deployment';
import { createGatesService } from '@flightdeck/gates';
import { createPlanningService } from '@flightdeck/planning';

/** What the launcher gives every service: the shared dependencies every `createXService` takes, and: */
export interface EmbeddedServiceDeps extends ServiceDeps {
  /** Prometheus for PromQL criteria and rollout analysis, when one is configured. */
  prometheusUrl?: string;
  /** The cluster rollouts go to; given to entries that ask for it. */
  cluster?: { kubeconfig: KubeConfig; prometheusUrl: string };
  /** The secrets of planning's Git webhooks (code-freeze decisions for GitHub and GitLab). */
  gitWebhooks?: { github?: string; gitlab?: string };
}

export interface ServiceEntry {
  /** The subgraph's name in the supergraph. */
  name: string;
  /** Needs a Kubernetes cluster and Prometheus (the simulated ones unless KUBECONFIG / PROMETHEUS_URL are set). */
  needsCluster?: boolean;
  create(deps: EmbeddedServiceDeps): RunnableService;
}

/** Every service that has landed; the launcher starts them in this order. */
export const services: ServiceEntry[] = [
  { name: 'planning', create: (deps) => createPlanningService(deps) },
  { name: 'gates', create: (deps) => createGatesService(deps) },
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
