import { z } from 'zod';
import { envString } from '@flightdeck/config';
import { serviceEnv } from '@flightdeck/subgraph';

/** Everything the planning service reads from its environment when it runs on its own. */
export const planningConfigSchema = z.object({
  ...serviceEnv(4001),
  PLANNING_CONSUMER: envString('Durable JetStream consumer name for the gates and deployment events a release learns from').default('planning-release-signals'),
});

export type PlanningConfig = z.output<typeof planningConfigSchema>;
