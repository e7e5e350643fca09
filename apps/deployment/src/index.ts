export { createDeploymentService, type DeploymentService, type DeploymentServiceDeps } from './service.js';
export { schemaPath } from './adapters/graphql/schema.js';
export { PrometheusMetricProvider } from './adapters/prometheus/prometheus-provider.js';
export { KubernetesDeploymentTarget } from './adapters/kubernetes/deployment-target.js';
export { LeaseLeadership } from './adapters/kubernetes/lease-leadership.js';
export * as domain from './domain/index.js';
