import { z } from 'zod';
import { aiEnv } from '@flightdeck/ai';
import { authEnv, envInt, envString, httpEnv, loggingEnv, mongoEnv, natsEnv, shutdownEnv } from '@flightdeck/config';

export const analyticsConfigSchema = z.object({
  ...httpEnv,
  PORT: httpEnv.PORT.default(4004),
  ...loggingEnv,
  ...mongoEnv,
  ...natsEnv,
  ...authEnv,
  ...shutdownEnv,
  ...aiEnv,
  ANALYTICS_CONSUMER: envString('Durable JetStream consumer name for the projections (every flightdeck.> event)').default('analytics-projections'),
  ANALYTICS_REFRESH_INTERVAL_MS: envInt('Milliseconds between catch-ups of the metrics with the projections (each rebuilds only the products whose records changed, including other replicas’ writes)', {
    min: 100,
    max: 600_000,
  }).default(1000),
  ALERTMANAGER_WEBHOOK_TOKEN: envString('Bearer token the Alertmanager webhook must send (http_config.authorization.credentials); unset: the receiver takes unauthenticated posts', {
    minLength: 16,
  }).optional(),
});

/** The replay command needs only the stores. */
export const replayConfigSchema = z.object({ ...loggingEnv, ...mongoEnv, ...natsEnv });
