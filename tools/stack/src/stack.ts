import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { createAdvisor, aiOptionsFromEnv, MongoosePredictionStore } from '@flightdeck/ai';
import { createTokenVerifier, ensureLocalSecret, mintToken } from '@flightdeck/auth';
import { InProcessBus, JetStreamBus, type EventBus } from '@flightdeck/events';
import { connectMongo, isStoreUnavailable, type MongoConnection } from '@flightdeck/persistence';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import type { DestinationStream } from 'pino';
import { createGatewayService, defaultSupergraphPath } from '@flightdeck/gateway';
import { buildExplorer } from '@flightdeck/gateway/explorer-build';
import { startMongoServer } from '@flightdeck/mongo-server';
import type { StackConfig } from './config.js';
import { stackCluster, type StackCluster, type StackClusterOptions } from './cluster.js';
import { ensureGitWebhookSecrets } from './git-webhooks.js';
import { services as allServices, type ServiceEntry } from './services.js';

export interface RunningStack {
  graphqlUrl: string;
  /** The gateway's base URL: the web console when one is served. */
  url: string;
  /** A token for the local user (LOCAL_USER), valid for 12 hours. */
  token: string;
  mongoUri: string;
  dataDir: string;
  /** Where the signing secret comes from: AUTH_JWT_SECRET, or the file in the data directory. */
  secretSource: 'AUTH_JWT_SECRET' | 'data directory';
  /** Planning's Git webhooks (code-freeze decisions), with where their secrets are; absent without planning. */
  gitWebhooks?: { github: string; gitlab: string; secrets: string };
  /** The cluster rollouts go to, when a service that needs one runs. */
  cluster?: Pick<StackCluster, 'simulatedKubeconfig' | 'analysis'>;
  /** The cluster rollouts go to (the simulated one unless KUBECONFIG is set); absent without the deployment service. */
  kubeconfig?: KubeConfig;
  stop(): Promise<void>;
}

/** Who the printed token is for: one person holding every role a release needs, so one can try every step. */
export const LOCAL_USER = {
  subject: 'local-admin',
  name: 'Local release manager',
  roles: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD', 'PRODUCT_OWNER', 'SRE'] as const,
};

/** Starts every service in this process behind the gateway, on embedded infrastructure unless real ones are configured. */
export async function startStack(
  config: StackConfig,
  logger: Logger,
  opts: {
    services?: ServiceEntry[];
    supergraphPath?: string;
    /** The built web console, served by the gateway at /. */
    consoleDir?: string;
    /** The services' clock (the demo sets it back to replay history); default the real time. */
    clock?: { now(): Date };
    /** The simulated cluster's workload behaviours, time scale and scrape interval (tests, the demo). */
    cluster?: StackClusterOptions;
    /** Where the services' and the gateway's logs go (npm start: stackLogs); default JSON to stdout. */
    logDestination?: DestinationStream;
  } = {},
): Promise<RunningStack> {
  const logTo = opts.logDestination ? { destination: opts.logDestination } : {};
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err: unknown) => logger.error({ err }, 'stopping the stack: a part failed to stop'));
  };
  try {
    const dataDir = resolve(config.FLIGHTDECK_DATA_DIR);
    let mongoUri = config.MONGODB_URI?.replace(/\/+$/, '');
    if (!mongoUri) {
      const mongo = await startMongoServer({
        port: 0,
        dbpath: join(dataDir, 'mongo'),
        logger: logger.child({ part: 'mongo-server' }),
      });
      stops.push(() => mongo.stop());
      mongoUri = mongo.uri;
      logger.info({ dbpath: join(dataDir, 'mongo') }, `embedded MongoDB-wire server at ${mongo.uri}`);
    }

    let bus: EventBus;
    if (config.NATS_URL) {
      bus = await JetStreamBus.connect({
        servers: config.NATS_URL.split(',').map((s) => s.trim()),
        name: 'flightdeck',
        logger,
        isUnavailable: isStoreUnavailable,
      });
    } else {
      bus = new InProcessBus({ logger, isUnavailable: isStoreUnavailable });
      logger.info('in-process event bus (set NATS_URL to use NATS JetStream)');
    }
    stops.push(() => bus.close());

    const secret = config.AUTH_JWT_SECRET ?? ensureLocalSecret(dataDir);
    const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });
    const ai = aiOptionsFromEnv(config);

    const entries = opts.services ?? allServices;
    let cluster: StackCluster | undefined;
    if (entries.some((e) => e.needsCluster)) {
      cluster = await stackCluster(config, dataDir, logger, opts.cluster);
      stops.push(() => cluster!.stop());
    }

    const gitWebhooks = ensureGitWebhookSecrets(dataDir, config);
    const urls: Record<string, string> = {};
    for (const entry of entries) {
      const serviceLogger = createLogger({ service: entry.name, level: config.LOG_LEVEL, ...logTo });
      const mongo: MongoConnection = await connectMongo({
        uri: `${mongoUri}/flightdeck-${entry.name}`,
        logger: serviceLogger,
        appName: `flightdeck-${entry.name}`,
      });
      stops.push(() => mongo.close());
      const advisor = createAdvisor(
        ai,
        { recorder: new MongoosePredictionStore(mongo.connection), logger: serviceLogger },
        'no AI endpoint is configured (AI_BASE_URL is not set)',
      );
      const service = entry.create({
        mongo,
        bus,
        advisor,
        logger: serviceLogger,
        metrics: createMetrics({ service: entry.name }),
        verifier,
        prometheusUrl: config.PROMETHEUS_URL,
        cluster,
        gitWebhooks: { github: gitWebhooks.github, gitlab: gitWebhooks.gitlab },
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
      const { graphqlUrl } = await service.listen(0, '127.0.0.1');
      stops.push(() => service.stop());
      urls[entry.name] = graphqlUrl;
    }

    const explorer = await buildExplorer(join(dataDir, 'explorer'));
    if (explorer.built) logger.info({ dir: explorer.dir }, 'bundled the GraphQL explorer (GraphiQL) from node_modules');
    const gateway = createGatewayService({
      supergraphSdl: readFileSync(opts.supergraphPath ?? defaultSupergraphPath, 'utf8'),
      verifier,
      logger: createLogger({ service: 'gateway', level: config.LOG_LEVEL, ...logTo }),
      metrics: createMetrics({ service: 'gateway' }),
      subgraphUrls: urls,
      introspection: true,
      explorerDir: explorer.dir,
      consoleDir: opts.consoleDir,
    });
    const { graphqlUrl, url } = await gateway.listen(config.PORT, config.HOST);
    stops.push(() => gateway.close());

    const token = await mintToken({
      secret,
      subject: LOCAL_USER.subject,
      name: LOCAL_USER.name,
      roles: [...LOCAL_USER.roles],
      expiresIn: '12h',
    });
    return {
      graphqlUrl,
      url: `${url.replace(/\/$/, '')}/`,
      token,
      mongoUri,
      dataDir,
      secretSource: config.AUTH_JWT_SECRET ? 'AUTH_JWT_SECRET' : 'data directory',
      ...(urls.planning
        ? {
            gitWebhooks: {
              github: urls.planning.replace(/\/graphql$/, '/webhooks/git/github'),
              gitlab: urls.planning.replace(/\/graphql$/, '/webhooks/git/gitlab'),
              secrets:
                config.GITHUB_WEBHOOK_SECRET && config.GITLAB_WEBHOOK_TOKEN
                  ? 'GITHUB_WEBHOOK_SECRET and GITLAB_WEBHOOK_TOKEN'
                  : gitWebhooks.file,
            },
          }
        : {}),
      ...(cluster
        ? {
            cluster: { simulatedKubeconfig: cluster.simulatedKubeconfig, analysis: cluster.analysis },
            kubeconfig: cluster.kubeconfig,
          }
        : {}),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
