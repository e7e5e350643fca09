import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { analyticsConfigSchema } from '@flightdeck/analytics/config';
import { deploymentConfigSchema } from '@flightdeck/deployment/config';
import { gatesConfigSchema } from '@flightdeck/gates/config';
import { defaultSupergraphPath, gatewayConfigSchema, supergraphSubgraphs } from '@flightdeck/gateway';
import { planningConfigSchema } from '@flightdeck/planning/config';

/** The subgraphs the gateway's supergraph was composed from: its main builds its schema from the same list. */
export const subgraphNames = supergraphSubgraphs(readFileSync(defaultSupergraphPath, 'utf8')).map((s) => s.name);

/** Each component of the install, with the schema its main loads its environment with. */
export const components: { name: string; schema: z.ZodObject }[] = [
  { name: 'gateway', schema: gatewayConfigSchema(subgraphNames) },
  { name: 'planning', schema: planningConfigSchema },
  { name: 'gates', schema: gatesConfigSchema },
  { name: 'deployment', schema: deploymentConfigSchema },
  { name: 'analytics', schema: analyticsConfigSchema },
];
