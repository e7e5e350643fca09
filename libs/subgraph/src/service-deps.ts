import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Advisor } from '@flightdeck/ai';
import { aiEnv } from '@flightdeck/ai';
import type { TokenVerifier } from '@flightdeck/auth';
import { authEnv, httpEnv, loggingEnv, mongoEnv, natsEnv, shutdownEnv } from '@flightdeck/config';
import type { EventBus } from '@flightdeck/events';
import type { ServiceMetrics } from '@flightdeck/telemetry';

/**
 * What every `createXService(deps)` takes: the same names in all four services, whoever composes them (the service's
 * own main through `runService`, `npm start`, the tests). A service adds its own settings beside these.
 */
export interface ServiceDeps {
  /** The service's own MongoDB database; the caller opens and closes it. */
  mongo: { connection: Connection; isReady(): boolean };
  /** The event bus; the caller connects and closes it. */
  bus: EventBus;
  advisor: Advisor;
  logger: Logger;
  metrics: ServiceMetrics;
  verifier: TokenVerifier;
  /** Absent: the real time. */
  clock?: { now(): Date };
  /** Absent: random UUIDs. */
  newId?: () => string;
  /** Name of the service's durable JetStream consumer; absent: the service's default. */
  durable?: string;
  /** Schema introspection on /graphql (npm start's explorer); default off. */
  introspection?: boolean;
}

/**
 * Every variable a subgraph service reads when it runs on its own, in the order `--help` and the README list them:
 * spread into the service's schema, `z.object({ ...serviceEnv(4001), PLANNING_CONSUMER: … })`.
 */
export function serviceEnv(defaultPort: number) {
  return {
    ...httpEnv,
    PORT: httpEnv.PORT.default(defaultPort),
    ...loggingEnv,
    ...mongoEnv,
    ...natsEnv,
    ...authEnv,
    ...shutdownEnv,
    ...aiEnv,
  };
}
