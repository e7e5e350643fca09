import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Advisor } from '@flightdeck/ai';
import type { TokenVerifier } from '@flightdeck/auth';
import type { EventBus } from '@flightdeck/events';
import type { ServiceMetrics } from '@flightdeck/telemetry';
import { createPlanningService } from '@flightdeck/planning';

/** What every subgraph service takes from the launcher. */
export interface ServiceDeps {
  mongo: { connection: Connection; isReady(): boolean };
  bus: EventBus;
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
export const services: ServiceEntry[] = [{ name: 'planning', create: (deps) => createPlanningService(deps) }];
