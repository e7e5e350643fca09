// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier, mintToken } from '@flightdeck/auth';
import { JetStreamBus } from '@flightdeck/events';
import { composeSupergraph, createGatewayService, type GatewayService } from '@flightdeck/gateway';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { databaseUri } from '@flightdeck/testing';
import type { Role } from '@flightdeck/kernel';
import { createAnalyticsService, schemaPath, type AnalyticsService } from '../../src/index.js';

export const SECRET = 'analytics-integration-test-secret-0123456789';
export const WEBHOOK_TOKEN = 'alertmanager-token-0123456789';

export interface Stack {
  analytics: AnalyticsService;
  gateway: GatewayService;
  bus: JetStreamBus;
  mongo: MongoConnection;
  predictions: InMemoryPredictionStore;
  gatewayUrl: string;
  analyticsUrl: string;
  baseUrl: string;
  /** A token for `subject`; `name` puts a display name in it, as identity providers and `npm start` do. */
  token(roles: Role[], subject?: string, machine?: boolean, name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Analytics on its own database and a real NATS, behind a real gateway composed from its schema.graphql. */
export async function startStack(name: string, opts: { now?: () => Date; natsUrl?: string; database?: string } = {}): Promise<Stack> {
  const logger = createLogger({ service: 'analytics', level: 'silent' });
  const verifier = createTokenVerifier({ secret: SECRET });
  const mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), opts.database ?? `analytics-${name}-${randomUUID().slice(0, 8)}`), retries: 2 });
  const bus = await JetStreamBus.connect({ servers: opts.natsUrl ?? inject('natsUrl'), name: `analytics-test-${name}` });
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
  const composed = composeSupergraph([{ name: 'analytics', schema: schemaPath(), url: address.graphqlUrl }], '/');
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  const gateway = createGatewayService({ supergraphSdl: composed.supergraphSdl, verifier, logger: createLogger({ service: 'gateway', level: 'silent' }), metrics: createMetrics({ service: 'gateway' }) });
  const { graphqlUrl: gatewayUrl } = await gateway.listen(0);
  return {
    analytics,
    gateway,
    bus,
    mongo,
    predictions,
    gatewayUrl,
    analyticsUrl: address.graphqlUrl,
    baseUrl: address.url.replace(/\/$/, ''),
    token: (roles, subject = 'alice', machine = false, name) => mintToken({ secret: SECRET, subject, roles, machine, ...(name ? { name } : {}) }),
    async stop() {
      await gateway.close();
      await analytics.stop();
      await bus.close();
      await mongo.close();
    },
  };
}

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Variables are written into the query text by the callers: the gateway's cost rule validates without them (see apps/planning/test/integration/stack.ts). */
export async function gql<T = Record<string, unknown>>(url: string, query: string, token?: string): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as GraphQLResult<T>;
}

/** Polls until `check` returns a value, for effects of events that arrive asynchronously (bounded). */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
