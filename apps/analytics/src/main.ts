import { Command } from 'commander';
import { createAdvisorFromEnv, MongoosePredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo } from '@flightdeck/persistence';
import { createLogger, createMetrics, createShutdown } from '@flightdeck/telemetry';
import { analyticsConfigSchema } from './config.js';
import { createAnalyticsService } from './service.js';

new Command('analytics')
  .description('Flightdeck analytics subgraph: DORA metrics, release KPIs, AI effectiveness, incidents (POST /webhooks/alertmanager), release analysis and retrospectives, at /graphql (plus /healthz, /readyz, /metrics).')
  .addHelpText('after', `\n${formatEnvHelp(analyticsConfigSchema)}`)
  .parse();

const config = loadConfigOrExit(analyticsConfigSchema, { service: 'analytics' });
const logger = createLogger({ service: 'analytics', level: config.LOG_LEVEL });
const metrics = createMetrics({ service: 'analytics' });
const verifier = createTokenVerifier({ secret: config.AUTH_JWT_SECRET, jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
const mongo = await connectMongo({ uri: config.MONGODB_URI, logger });
const bus = await JetStreamBus.connect({ servers: config.NATS_URL, name: 'analytics', logger });
const advisor = createAdvisorFromEnv(process.env, { recorder: new MongoosePredictionStore(mongo.connection), logger });

const service = createAnalyticsService({
  mongo,
  bus,
  advisor,
  logger,
  metrics,
  verifier,
  durable: config.ANALYTICS_CONSUMER,
  refreshIntervalMs: config.ANALYTICS_REFRESH_INTERVAL_MS,
  ...(config.ALERTMANAGER_WEBHOOK_TOKEN ? { webhookToken: config.ALERTMANAGER_WEBHOOK_TOKEN } : {}),
});

createShutdown({
  logger,
  deadlineMs: config.SHUTDOWN_DEADLINE_MS,
  steps: [
    { name: 'stop intake, the consumer and the outbox relay', run: () => service.stop() },
    { name: 'drain NATS', run: () => bus.close() },
    { name: 'close MongoDB', run: () => mongo.close() },
  ],
}).install();

const { graphqlUrl } = await service.listen(config.PORT, config.HOST);
logger.info({ graphqlUrl }, `analytics serving GraphQL at ${graphqlUrl}`);
