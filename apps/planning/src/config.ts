import { z } from 'zod';
import { envString } from '@flightdeck/config';
import { serviceEnv } from '@flightdeck/subgraph';

/** Everything the planning service reads from its environment when it runs on its own. */
export const planningConfigSchema = z.object({
  ...serviceEnv(4001),
  PLANNING_CONSUMER: envString(
    'Durable JetStream consumer name for the gates and deployment events a release learns from',
  ).default('planning-release-signals'),
  GITHUB_WEBHOOK_SECRET: envString(
    'Secret of the GitHub webhook (push, pull_request) POSTed to /webhooks/git/github?release=<product@version>; every body must carry its X-Hub-Signature-256; unset: that receiver answers 503',
    {
      minLength: 16,
    },
  ).optional(),
  GITLAB_WEBHOOK_TOKEN: envString(
    'Secret token of the GitLab webhook (push, merge request) POSTed to /webhooks/git/gitlab?release=<product@version>, sent as X-Gitlab-Token; unset: that receiver answers 503',
    {
      minLength: 16,
    },
  ).optional(),
});

export type PlanningConfig = z.output<typeof planningConfigSchema>;
