import { z } from 'zod';
import { aiEnv } from '@flightdeck/ai';
import { envEnum, envString, envUrl, envUrlList, httpEnv, LOG_LEVELS, shutdownEnv } from '@flightdeck/config';

/** The embedded stack's settings: every one optional, so `npm start` works on a fresh machine. */
export const stackConfigSchema = z.object({
  ...httpEnv,
  PORT: httpEnv.PORT.default(4000),
  LOG_LEVEL: envEnum(
    `Lowest log level written as JSON to FLIGHTDECK_DATA_DIR/flightdeck.log (warnings and errors also show in the terminal, one readable line each): ${LOG_LEVELS.join(', ')}`,
    LOG_LEVELS,
  ).default('info'),
  ...shutdownEnv,
  FLIGHTDECK_DATA_DIR: envString(
    'Directory of the embedded stack: MongoDB-wire data files and the local signing secret',
  ).default('.flightdeck'),
  MONGODB_URI: envUrl(
    'A real MongoDB to use instead of the embedded MongoDB-wire server (each service gets its own database on it)',
    ['mongodb:', 'mongodb+srv:'],
  ).optional(),
  NATS_URL: envUrlList('A real NATS server with JetStream to use instead of the in-process event bus', [
    'nats:',
    'tls:',
    'ws:',
    'wss:',
  ]).optional(),
  PROMETHEUS_URL: envUrl(
    'Prometheus HTTP API the services query (SLO gate criteria, rollout analysis); unset: those criteria fail saying so',
    ['http:', 'https:'],
  ).optional(),
  KUBECONFIG: envString(
    'kubeconfig of the cluster rollouts go to; unset: a simulated cluster (state in FLIGHTDECK_DATA_DIR, with a local prometheus scraping it when one is on PATH)',
  ).optional(),
  AUTH_JWT_SECRET: envString(
    'HS256 secret for local tokens; unset: one is generated once and kept in FLIGHTDECK_DATA_DIR/jwt-secret',
    {
      minLength: 32,
    },
  ).optional(),
  GITHUB_WEBHOOK_SECRET: envString(
    "Secret of planning's GitHub webhook (code-freeze decisions); unset: one is generated once and kept in FLIGHTDECK_DATA_DIR/git-webhook-secrets.json",
    { minLength: 16 },
  ).optional(),
  GITLAB_WEBHOOK_TOKEN: envString(
    "Secret token of planning's GitLab webhook (code-freeze decisions); unset: one is generated once and kept in FLIGHTDECK_DATA_DIR/git-webhook-secrets.json",
    { minLength: 16 },
  ).optional(),
  ...aiEnv,
});

export type StackConfig = z.output<typeof stackConfigSchema>;
