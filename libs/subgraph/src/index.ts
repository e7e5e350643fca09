export {
  createSubgraph,
  type Subgraph,
  type SubgraphContext,
  type SubgraphOptions,
  type SubgraphResolvers,
} from './create-subgraph.js';
export { createSubgraphService, type SubgraphService, type SubgraphServiceOptions } from './subgraph-service.js';
export { toGraphQLError, mapped } from './domain-errors.js';
export { authenticate, identityOf } from './authenticate.js';
export { requestActor, type RequestActor } from './request-actor.js';
export { bodyLimit, formatBytes } from './body-limit.js';
export { sendGraphQLError } from './graphql-error-response.js';
export { DateTime } from './date-time.js';
export { findSchemaFile, loadSchemaFile } from './schema-file.js';
export { runService, type RunnableService, type RunServiceOptions } from './run-service.js';
export { serviceEnv, type ServiceDeps } from './service-deps.js';
export {
  ALERTMANAGER_WEBHOOK_PATH,
  alertmanagerWebhook,
  type AlertmanagerWebhookOptions,
} from './alertmanager-webhook.js';
