export {
  createPlanningService,
  type NotifySettings,
  type PlanningService,
  type PlanningServiceDeps,
} from './service.js';
export { schemaPath } from './adapters/graphql/schema.js';
export * as domain from './domain/index.js';
