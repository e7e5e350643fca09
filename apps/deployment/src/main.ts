import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { createAdvisorFromEnv, MongoosePredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo } from '@flightdeck/persistence';
import { createLogger, createMetrics, createShutdown } from '@flightdeck/telemetry';
import { deploymentConfigSchema } from './config.js';
import { createDeploymentService } from './service.js';

new Command('deployment')
  .description('Flightdeck deployment subgraph: progressive rollouts through the Kubernetes API with Prometheus analysis and automatic rollback, at /graphql (plus /healthz, /readyz, /metrics).')
  .addHelpText('after', `\n${formatEnvHelp(deploymentConfigSchema)}`)
  .parse();

const config = loadConfigOrExit(deploymentConfigSchema, { service: 'deployment' });
const logger = createLogger({ service: 'deployment', level: config.LOG_LEVEL });
const metrics = createMetrics({ service: 'deployment' });
const verifier = createTokenVerifier({ secret: config.AUTH_JWT_SECRET, jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
const kubeconfig = new KubeConfig();
if (config.KUBECONFIG) kubeconfig.loadFromFile(config.KUBECONFIG);
else kubeconfig.loadFromDefault();
const mongo = await connectMongo({ uri: config.MONGODB_URI, logger });
const bus = await JetStreamBus.connect({ servers: config.NATS_URL, name: 'deployment', logger });
const advisor = createAdvisorFromEnv(process.env, { recorder: new MongoosePredictionStore(mongo.connection), logger });

const service = createDeploymentService({
  mongo,
  bus,
  logger,
  metrics,
  verifier,
  kubeconfig,
  prometheusUrl: config.PROMETHEUS_URL,
  advisor,
  lease: { namespace: config.LEASE_NAMESPACE, name: config.LEASE_NAME, identity: config.POD_NAME ?? `${hostname()}-${process.pid}`, leaseSeconds: config.LEASE_SECONDS },
  tickMs: config.CONTROLLER_TICK_MS,
  queryTimeoutMs: config.PROMETHEUS_TIMEOUT_MS,
  durable: config.DEPLOYMENT_CONSUMER,
});

createShutdown({
  logger,
  deadlineMs: config.SHUTDOWN_DEADLINE_MS,
  steps: [
    { name: 'stop intake, the controller, the lease, the consumer and the outbox relay', run: () => service.stop() },
    { name: 'drain NATS', run: () => bus.close() },
    { name: 'close MongoDB', run: () => mongo.close() },
  ],
}).install();

const { graphqlUrl } = await service.listen(config.PORT, config.HOST);
logger.info({ graphqlUrl }, `deployment serving GraphQL at ${graphqlUrl}`);
