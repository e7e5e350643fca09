// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { databaseUri, tokensFor } from '@flightdeck/testing';
import { startTestGateway, type TestGateway } from '@flightdeck/testing/stack';
import { createAnalyticsService, schemaPath, type AnalyticsService } from '../../src/index.js';

export const SECRET = 'analytics-integration-test-secret-0123456789';
export const WEBHOOK_TOKEN = 'alertmanager-token-0123456789';

export interface Stack {
  analytics: AnalyticsService;
  gateway: TestGateway;
  bus: JetStreamBus;
  mongo: MongoConnection;
  predictions: InMemoryPredictionStore;
  gatewayUrl: string;
  analyticsUrl: string;
  baseUrl: string;
  /** A token for `subject`; `name` puts a display name in it, as identity providers and `npm start` do. */
  token: ReturnType<typeof tokensFor>;
  stop(): Promise<void>;
}

/** Analytics on its own database and a real NATS, behind a real gateway composed from its schema.graphql. */
export async function startStack(
  name: string,
  opts: { now?: () => Date; natsUrl?: string; database?: string } = {},
): Promise<Stack> {
  const logger = createLogger({ service: 'analytics', level: 'silent' });
  const verifier = createTokenVerifier({ secret: SECRET });
  const mongo = await connectMongo({
    uri: databaseUri(inject('mongoUri'), opts.database ?? `analytics-${name}-${randomUUID().slice(0, 8)}`),
    retries: 2,
  });
  const bus = await JetStreamBus.connect({
    servers: opts.natsUrl ?? inject('natsUrl'),
    name: `analytics-test-${name}`,
  });
  const predictions = new InMemoryPredictionStore();
  const metrics = createMetrics({ service: 'analytics' });
  const analytics = createAnalyticsService({
    mongo,
    bus,
    advisor: createAdvisor(undefined, { recorder: predictions }),
    logger,
    metrics,
    verifier,
    durable: `analytics-test-${name}-${randomUUID().slice(0, 8)}`,
    webhookToken: WEBHOOK_TOKEN,
    ...(opts.now ? { clock: { now: opts.now } } : {}),
  });
  const address = await analytics.listen(0);
  const gateway = await startTestGateway([{ name: 'analytics', schema: schemaPath(), url: address.graphqlUrl }], {
    verifier,
  });
  const gatewayUrl = gateway.url;
  return {
    analytics,
    gateway,
    bus,
    mongo,
    predictions,
    gatewayUrl,
    analyticsUrl: address.graphqlUrl,
    baseUrl: address.url.replace(/\/$/, ''),
    token: tokensFor(SECRET),
    async stop() {
      await gateway.stop();
      await analytics.stop();
      await bus.close();
      await mongo.close();
    },
  };
}
