import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { runService } from '@flightdeck/subgraph';
import { deploymentConfigSchema, type DeploymentConfig } from './config.js';
import { createDeploymentService } from './service.js';

/** KUBECONFIG when set; otherwise the in-cluster configuration, else ~/.kube/config. */
function kubeconfigOf(config: DeploymentConfig): KubeConfig {
  const kubeconfig = new KubeConfig();
  if (config.KUBECONFIG) kubeconfig.loadFromFile(config.KUBECONFIG);
  else kubeconfig.loadFromDefault();
  return kubeconfig;
}

await runService({
  name: 'deployment',
  description:
    'Flightdeck deployment subgraph: progressive rollouts through the Kubernetes API with Prometheus analysis and automatic rollback, at /graphql (plus POST /webhooks/alertmanager for alerts that abort rollouts, /healthz, /readyz, /metrics).',
  config: deploymentConfigSchema,
  create: (deps, config) =>
    createDeploymentService({
      ...deps,
      kubeconfig: kubeconfigOf(config),
      prometheusUrl: config.PROMETHEUS_URL,
      lease: {
        namespace: config.LEASE_NAMESPACE,
        name: config.LEASE_NAME,
        identity: config.POD_NAME ?? `${hostname()}-${process.pid}`,
        leaseSeconds: config.LEASE_SECONDS,
      },
      tickMs: config.CONTROLLER_TICK_MS,
      queryTimeoutMs: config.PROMETHEUS_TIMEOUT_MS,
      durable: config.DEPLOYMENT_CONSUMER,
      ...(config.ALERTMANAGER_WEBHOOK_TOKEN ? { webhookToken: config.ALERTMANAGER_WEBHOOK_TOKEN } : {}),
    }),
});
