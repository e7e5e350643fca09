import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Advisor } from '@flightdeck/ai';
import type { TokenVerifier } from '@flightdeck/auth';
import type { EventBus } from '@flightdeck/events';
import type { ServiceMetrics } from '@flightdeck/telemetry';
import { createGatesService } from '@flightdeck/gates';
import { createPlanningService } from '@flightdeck/planning';

/** What every subgraph service takes from the launcher. */
export interface ServiceDeps {
  mongo: { connection: Connection; isReady(): boolean };
  bus: EventBus;
  /** Prometheus for PromQL criteria and rollout analysis, when one is configured. */
  prometheusUrl?: string;
  advisor: Advisor;
  logger: Logger;
  metrics: ServiceMetrics;
  verifier: TokenVerifier;
}

export interface EmbeddedService {
  listen(port: number, host?: string): Promise<{ graphqlUrl: string }>;
  stop(): Promise<void>;
}

export interface ServiceEntry {
  /** The subgraph's name in the supergraph. */
  name: string;
  create(deps: ServiceDeps): EmbeddedService;
}

/** Every service that has landed; the launcher starts them in this order. */
export const services: ServiceEntry[] = [
  { name: 'planning', create: (deps) => createPlanningService(deps) },
  {
    name: 'gates',
    create: (deps) => {
      const gates = createGatesService({ ...deps, connection: deps.mongo.connection });
      return { listen: (port, host) => gates.listen(port, host), stop: () => gates.close() };
    },
  },
];
