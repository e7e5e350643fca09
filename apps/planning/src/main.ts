import { runService } from '@flightdeck/subgraph';
import { planningConfigSchema } from './config.js';
import { createPlanningService } from './service.js';

await runService({
  name: 'planning',
  description: 'Flightdeck planning service: the GraphQL subgraph for releases, scope, prioritisation, timeline and health, at /graphql, plus /healthz, /readyz and /metrics.',
  config: planningConfigSchema,
  create: (deps, config) => createPlanningService({ ...deps, durable: config.PLANNING_CONSUMER }),
});
