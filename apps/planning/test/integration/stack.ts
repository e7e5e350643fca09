// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { expect, inject } from 'vitest';
import { createAdvisor, InMemoryPredictionStore, type OpenAIAdvisorOptions } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { databaseUri, gql, tokensFor } from '@flightdeck/testing';
import { startTestGateway, type TestGateway } from '@flightdeck/testing/stack';
import { createPlanningService, schemaPath, type PlanningService, type PlanningServiceDeps } from '../../src/index.js';

export const SECRET = 'planning-integration-test-secret-0123456789';

/** What a test gives createRelease: owner defaults to rita, the target date to 30 days from now. */
export interface ReleaseInput {
  product: string;
  version: string;
  theme: string;
  owner?: string;
  targetDate?: string;
  team?: { velocityHistory: number[] };
}

/**
 * Creates a release through the GraphQL API at `url` (the gateway's or the service's own) as the holder of `token`,
 * failing the test with the API's errors if it is refused; answers the new release's id.
 */
export async function createRelease(url: string, token: string, input: ReleaseInput): Promise<string> {
  const r = await gql<{ createRelease: { id: string } }>(
    url,
    'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
    { input: { owner: 'rita', targetDate: new Date(Date.now() + 30 * 86_400_000).toISOString(), ...input } },
    token,
  );
  expect(r.errors, `createRelease ${input.product}@${input.version}`).toBeUndefined();
  return r.data!.createRelease.id;
}

export interface Stack {
  planning: PlanningService;
  gateway: TestGateway;
  bus: JetStreamBus;
  mongo: MongoConnection;
  predictions: InMemoryPredictionStore;
  gatewayUrl: string;
  planningUrl: string;
  /** The planning service's own base URL (its webhooks), e.g. http://127.0.0.1:41234 */
  planningBase: string;
  /** A token for `subject`; `name` puts a display name in it, as identity providers and `npm start` do. */
  token: ReturnType<typeof tokensFor>;
  stop(): Promise<void>;
}

/**
 * The planning service on its own database and a real NATS, behind a real gateway composed from schema.graphql; the
 * CLI's tests use it too, as `@flightdeck/planning/testing`.
 */
export async function startStack(
  name: string,
  opts: {
    now?: () => Date;
    gitWebhooks?: PlanningServiceDeps['gitWebhooks'];
    notify?: PlanningServiceDeps['notify'];
    ai?: OpenAIAdvisorOptions;
  } = {},
): Promise<Stack> {
  const logger = createLogger({ service: 'planning', level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' });
  const verifier = createTokenVerifier({ secret: SECRET });
  const mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), name), retries: 2 });
  const bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: `planning-test-${name}` });
  const predictions = new InMemoryPredictionStore();
  const planning = createPlanningService({
    mongo,
    bus,
    advisor: createAdvisor(opts.ai, { recorder: predictions }),
    logger,
    metrics: createMetrics({ service: 'planning' }),
    verifier,
    durable: `planning-test-${name}-${randomUUID().slice(0, 8)}`,
    ...(opts.now ? { clock: { now: opts.now } } : {}),
    ...(opts.gitWebhooks ? { gitWebhooks: opts.gitWebhooks } : {}),
    ...(opts.notify ? { notify: opts.notify } : {}),
  });
  const { graphqlUrl: planningUrl, url: planningBase } = await planning.listen(0);
  const gateway = await startTestGateway([{ name: 'planning', schema: schemaPath(), url: planningUrl }], { verifier });
  const gatewayUrl = gateway.url;
  return {
    planning,
    gateway,
    bus,
    mongo,
    predictions,
    gatewayUrl,
    planningUrl,
    planningBase: planningBase.replace(/\/$/, ''),
    token: tokensFor(SECRET),
    async stop() {
      await gateway.stop();
      await planning.stop();
      await bus.close();
      await mongo.close();
    },
  };
}
