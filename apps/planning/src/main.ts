import { Command } from 'commander';
import { createAdvisor, aiOptionsFromEnv, MongoosePredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo } from '@flightdeck/persistence';
import { createLogger, createMetrics, createShutdown } from '@flightdeck/telemetry';
import { planningConfigSchema } from './config.js';
import { createPlanningService } from './service.js';

new Command('planning')
  .description('Flightdeck planning service: the GraphQL subgraph for releases, scope, prioritisation, timeline and health, at /graphql, plus /healthz, /readyz and /metrics.')
  .addHelpText('after', `\n${formatEnvHelp(planningConfigSchema)}`)
  .parse();

const config = loadConfigOrExit(planningConfigSchema, { service: 'planning' });
const logger = createLogger({ service: 'planning', level: config.LOG_LEVEL });
const metrics = createMetrics({ service: 'planning' });
const verifier = createTokenVerifier({ secret: config.AUTH_JWT_SECRET, jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });

const mongo = await connectMongo({ uri: config.MONGODB_URI, logger, appName: 'flightdeck-planning' });
const bus = await JetStreamBus.connect({ servers: config.NATS_URL.split(',').map((s) => s.trim()), name: 'planning', logger });
const ai = aiOptionsFromEnv(config);
const advisor = createAdvisor(ai, { recorder: new MongoosePredictionStore(mongo.connection), logger }, 'no AI endpoint is configured (AI_BASE_URL is not set)');
const service = createPlanningService({ mongo, bus, advisor, logger, metrics, verifier, durable: config.PLANNING_CONSUMER });

createShutdown({
  logger,
  deadlineMs: config.SHUTDOWN_DEADLINE_MS,
  steps: [
    { name: 'stop intake, the event consumer and the outbox relay', run: () => service.stop() },
    { name: 'drain NATS', run: () => bus.close() },
    { name: 'close MongoDB', run: () => mongo.close() },
  ],
}).install();

const { graphqlUrl } = await service.listen(config.PORT, config.HOST);
logger.info({ graphqlUrl, ai: ai ? ai.model : 'deterministic' }, `planning serving GraphQL at ${graphqlUrl}`);
