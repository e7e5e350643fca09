import { Command } from 'commander';
import { createAdvisorFromEnv, MongoosePredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo } from '@flightdeck/persistence';
import { createLogger, createMetrics, createShutdown } from '@flightdeck/telemetry';
import { gatesConfigSchema } from './config.js';
import { createGatesService } from './service.js';

new Command('gates')
  .description('Flightdeck gates subgraph: quality gates from evidence, approvals, audit trail and readiness, at /graphql (plus /healthz, /readyz, /metrics).')
  .addHelpText('after', `\n${formatEnvHelp(gatesConfigSchema)}`)
  .parse();

const config = loadConfigOrExit(gatesConfigSchema, { service: 'gates' });
const logger = createLogger({ service: 'gates', level: config.LOG_LEVEL });
const metrics = createMetrics({ service: 'gates' });
const verifier = createTokenVerifier({ secret: config.AUTH_JWT_SECRET, jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
const mongo = await connectMongo({ uri: config.MONGODB_URI, logger });
const bus = await JetStreamBus.connect({ servers: config.NATS_URL, name: 'gates', logger });
const advisor = createAdvisorFromEnv(process.env, { recorder: new MongoosePredictionStore(mongo.connection), logger });

const service = createGatesService({
  connection: mongo.connection,
  bus,
  verifier,
  logger,
  metrics,
  advisor,
  prometheusUrl: config.PROMETHEUS_URL,
  maxEvidenceBytes: config.EVIDENCE_MAX_BYTES,
  consumerName: config.GATES_CONSUMER,
});

createShutdown({
  logger,
  deadlineMs: config.SHUTDOWN_DEADLINE_MS,
  steps: [
    { name: 'stop intake, the consumer and the outbox relay', run: () => service.close() },
    { name: 'drain NATS', run: () => bus.close() },
    { name: 'close MongoDB', run: () => mongo.close() },
  ],
}).install();

const { graphqlUrl } = await service.listen(config.PORT, config.HOST);
logger.info({ graphqlUrl }, `gates serving GraphQL at ${graphqlUrl}`);
