import { Command } from 'commander';
import type { z } from 'zod';
import { aiOptionsFromEnv, createAdvisor, MongoosePredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { formatEnvHelp, loadConfigOrExit, natsServers } from '@flightdeck/config';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo, isStoreUnavailable } from '@flightdeck/persistence';
import { createLogger, createMetrics, createShutdown } from '@flightdeck/telemetry';
import type { ServiceDeps, serviceEnv } from './service-deps.js';

/** The variables `serviceEnv` defines, as loaded. */
type ServiceConfig = z.output<z.ZodObject<ReturnType<typeof serviceEnv>>>;

export interface RunnableService {
  listen(port: number, host?: string): Promise<{ graphqlUrl: string }>;
  /** Stops intake, the consumers, relays and background work; leaves MongoDB and the bus to runService. */
  stop(): Promise<void>;
}

export interface RunServiceOptions<S extends z.ZodObject<ReturnType<typeof serviceEnv>>> {
  /** The service's name: its logger, metrics, NATS and MongoDB client name. */
  name: string;
  /** What `--help` says the service is. */
  description: string;
  /** The service's environment: `z.object({ ...serviceEnv(port), …its own variables })`. */
  config: S;
  /** Builds the service from the shared dependencies and its own settings. */
  create(deps: ServiceDeps, config: z.output<S>): RunnableService;
}

/**
 * A subgraph service as its own process, the same way for every service: `--help` lists the environment; the
 * configuration is loaded (a bad one exits 1 naming every variable); MongoDB, NATS JetStream, the token verifier and
 * the advisor are set up; the service is created and listens; SIGTERM or SIGINT stops it gracefully (intake and the
 * service's own work, then NATS drained, then MongoDB closed) within SHUTDOWN_DEADLINE_MS.
 */
export async function runService<S extends z.ZodObject<ReturnType<typeof serviceEnv>>>(
  options: RunServiceOptions<S>,
): Promise<void> {
  const { name } = options;
  new Command(name)
    .description(options.description)
    .addHelpText('after', `\n${formatEnvHelp(options.config)}`)
    .parse();

  const config = loadConfigOrExit(options.config, { service: name }) as z.output<S> & ServiceConfig;
  const logger = createLogger({ service: name, level: config.LOG_LEVEL });
  const metrics = createMetrics({ service: name });
  const verifier = createTokenVerifier({
    secret: config.AUTH_JWT_SECRET,
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
  });
  const mongo = await connectMongo({ uri: config.MONGODB_URI, logger, appName: `flightdeck-${name}` });
  // An event whose handler found MongoDB away is held until it is back, not dead-lettered.
  const bus = await JetStreamBus.connect({
    servers: natsServers(config.NATS_URL),
    name,
    logger,
    isUnavailable: isStoreUnavailable,
  });
  const ai = aiOptionsFromEnv(config);
  const advisor = createAdvisor(
    ai,
    { recorder: new MongoosePredictionStore(mongo.connection), logger },
    'no AI endpoint is configured (AI_BASE_URL is not set)',
  );
  const service = options.create({ mongo, bus, advisor, logger, metrics, verifier }, config);

  createShutdown({
    logger,
    deadlineMs: config.SHUTDOWN_DEADLINE_MS,
    steps: [
      { name: `stop ${name}: intake, event consumers, outbox relay and background work`, run: () => service.stop() },
      { name: 'drain NATS', run: () => bus.close() },
      { name: 'close MongoDB', run: () => mongo.close() },
    ],
  }).install();

  const { graphqlUrl } = await service.listen(config.PORT, config.HOST);
  logger.info({ graphqlUrl, ai: ai ? ai.model : 'deterministic' }, `${name} serving GraphQL at ${graphqlUrl}`);
}
