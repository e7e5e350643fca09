import { z } from 'zod';
import { addCrossRule, envInt, envString, envUrl } from '@flightdeck/config';
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
  NOTIFY_SMTP_URL: envUrl(
    'SMTP server for e-mail notifications: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465; unset: e-mail subscriptions are accepted but their deliveries fail saying e-mail is not configured',
    ['smtp:', 'smtps:'],
  ).optional(),
  NOTIFY_EMAIL_FROM: envString(
    'From address of e-mail notifications, e.g. "Flightdeck <flightdeck@example.com>"; required with NOTIFY_SMTP_URL',
  ).optional(),
  NOTIFY_LINK_BASE_URL: envUrl(
    'Public URL of the console (the gateway), e.g. https://flightdeck.example.com; notifications link to the release there; unset: no link',
    ['http:', 'https:'],
  ).optional(),
  NOTIFY_TIMEOUT_MS: envInt(
    'Milliseconds one delivery attempt (an HTTP POST or an SMTP exchange) may take; a delivery left by a crashed process is taken again after twice this and 5 s',
    { min: 100, max: 300_000 },
  ).default(10_000),
  NOTIFY_MAX_ATTEMPTS: envInt(
    'Attempts of one notification delivery, the first included, before it is reported FAILED',
    {
      min: 1,
      max: 50,
    },
  ).default(6),
  NOTIFY_RETRY_BASE_MS: envInt(
    'Milliseconds before the second attempt of a failed delivery; doubling after each further failure, at most an hour',
    { min: 10, max: 3_600_000 },
  ).default(30_000),
});

addCrossRule({
  members: {
    NOTIFY_SMTP_URL: planningConfigSchema.shape.NOTIFY_SMTP_URL,
    NOTIFY_EMAIL_FROM: planningConfigSchema.shape.NOTIFY_EMAIL_FROM,
  },
  check: (values) =>
    values.NOTIFY_SMTP_URL !== undefined && values.NOTIFY_EMAIL_FROM === undefined
      ? [
          {
            variable: 'NOTIFY_EMAIL_FROM',
            problem: 'missing, and NOTIFY_SMTP_URL is set',
            expected: 'the From address of e-mail notifications, e.g. "Flightdeck <flightdeck@example.com>"',
          },
        ]
      : [],
});

export type PlanningConfig = z.output<typeof planningConfigSchema>;
