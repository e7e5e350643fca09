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
      notify: {
        ...(config.NOTIFY_SMTP_URL && config.NOTIFY_EMAIL_FROM
          ? {
              smtp: {
                url: config.NOTIFY_SMTP_URL,
                from: config.NOTIFY_EMAIL_FROM,
                timeoutMs: config.NOTIFY_TIMEOUT_MS,
              },
            }
          : {}),
        ...(config.NOTIFY_LINK_BASE_URL ? { linkBaseUrl: config.NOTIFY_LINK_BASE_URL } : {}),
        timeoutMs: config.NOTIFY_TIMEOUT_MS,
        retry: {
          maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
          baseDelayMs: config.NOTIFY_RETRY_BASE_MS,
          maxDelayMs: 3_600_000,
        },
      },
    }),
});
