import { runService } from '@flightdeck/subgraph';
import { planningConfigSchema } from './config.js';
import { createPlanningService } from './service.js';

await runService({
  name: 'planning',
  description:
    'Flightdeck planning service: the GraphQL subgraph for releases, scope, prioritisation, timeline and health, at /graphql, plus /healthz, /readyz and /metrics; the Git hosts’ webhooks at POST /webhooks/git/github and /webhooks/git/gitlab answer whether a change may land during the code freeze.',
  config: planningConfigSchema,
  create: (deps, config) =>
    createPlanningService({
      ...deps,
      durable: config.PLANNING_CONSUMER,
      gitWebhooks: {
        ...(config.GITHUB_WEBHOOK_SECRET ? { github: config.GITHUB_WEBHOOK_SECRET } : {}),
        ...(config.GITLAB_WEBHOOK_TOKEN ? { gitlab: config.GITLAB_WEBHOOK_TOKEN } : {}),
      },
    }),
});
