import { z } from 'zod';
import { aiEnv } from '@flightdeck/ai';
import { authEnv, envString, httpEnv, loggingEnv, mongoEnv, natsEnv, shutdownEnv } from '@flightdeck/config';

/** Everything the planning service reads from its environment when it runs on its own. */
export const planningConfigSchema = z.object({
  ...httpEnv,
  PORT: httpEnv.PORT.default(4001),
  ...loggingEnv,
  ...mongoEnv,
  ...natsEnv,
  ...authEnv,
  ...shutdownEnv,
  ...aiEnv,
  PLANNING_CONSUMER: envString('Durable JetStream consumer name for the gates and deployment events a release learns from').default('planning-release-signals'),
});

export type PlanningConfig = z.output<typeof planningConfigSchema>;
