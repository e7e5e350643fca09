import { z } from 'zod';
import { envInt, envString, loggingEnv, mongoEnv, natsEnv } from '@flightdeck/config';
import { serviceEnv } from '@flightdeck/subgraph';

/** Everything the analytics service reads from its environment when it runs on its own. */
export const analyticsConfigSchema = z.object({
  ...serviceEnv(4004),
  ANALYTICS_CONSUMER: envString(
    'Durable JetStream consumer name for the projections (every flightdeck.> event)',
  ).default('analytics-projections'),
  ANALYTICS_REFRESH_INTERVAL_MS: envInt(
    'Milliseconds between catch-ups of the metrics with the projections (each rebuilds only the products whose records changed, including other replicas’ writes)',
    {
      min: 100,
      max: 600_000,
    },
  ).default(1000),
  ALERTMANAGER_WEBHOOK_TOKEN: envString(
    'Bearer token the Alertmanager webhook must send (http_config.authorization.credentials); unset: the receiver takes unauthenticated posts',
    {
      minLength: 16,
    },
  ).optional(),
});

/** The replay command needs only the stores. */
export const replayConfigSchema = z.object({ ...loggingEnv, ...mongoEnv, ...natsEnv });
