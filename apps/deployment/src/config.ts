import { z } from 'zod';
import { envInt, envString, envUrl } from '@flightdeck/config';
import { serviceEnv } from '@flightdeck/subgraph';

/** Everything the deployment service reads from its environment when it runs on its own. */
export const deploymentConfigSchema = z.object({
  ...serviceEnv(4003),
  PROMETHEUS_URL: envUrl('Prometheus base URL the rollout analysis queries, e.g. http://127.0.0.1:9090', [
    'http:',
    'https:',
  ]),
  KUBECONFIG: envString(
    'Kubeconfig file with the clusters rollouts target (its contexts are the cluster names); unset: in-cluster configuration, else ~/.kube/config',
  ).optional(),
  LEASE_NAMESPACE: envString('Namespace of the coordination.k8s.io Lease for leader election').default('default'),
  LEASE_NAME: envString('Name of the Lease; replicas sharing it elect one leader that drives rollouts').default(
    'flightdeck-deployment',
  ),
  POD_NAME: envString("This replica's identity in the Lease (the pod name)").optional(),
  LEASE_SECONDS: envInt('Lease duration in seconds: how long a dead leader blocks the others', {
    min: 2,
    max: 300,
  }).default(15),
  CONTROLLER_TICK_MS: envInt('How often the controller looks at the active rollouts, in ms', {
    min: 50,
    max: 60_000,
  }).default(250),
  PROMETHEUS_TIMEOUT_MS: envInt('Time-out of one analysis query, in ms (a time-out is inconclusive)', {
    min: 100,
    max: 60_000,
  }).default(3000),
  ALERTMANAGER_WEBHOOK_TOKEN: envString(
    'Bearer token Alertmanager must send to POST /webhooks/alertmanager (alerts that abort rollouts; the same token as the analytics incident webhook); unset: the receiver takes unauthenticated posts',
    {
      minLength: 16,
    },
  ).optional(),
  DEPLOYMENT_CONSUMER: envString('Durable JetStream consumer name for gates events').default('deployment-gates'),
});

export type DeploymentConfig = z.output<typeof deploymentConfigSchema>;
