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
import { createPlanningService, schemaPath, type PlanningService } from '../../src/index.js';

export const SECRET = 'planning-integration-test-secret-0123456789';

export interface Stack {
  planning: PlanningService;
  gateway: GatewayService;
  bus: JetStreamBus;
  mongo: MongoConnection;
  predictions: InMemoryPredictionStore;
  gatewayUrl: string;
  planningUrl: string;
  /** A token for `subject`; `name` puts a display name in it, as identity providers and `npm start` do. */
  token(roles: Role[], subject?: string, machine?: boolean, name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** The planning service on its own database and a real NATS, behind a real gateway composed from schema.graphql. */
export async function startStack(name: string, opts: { now?: () => Date } = {}): Promise<Stack> {
  const logger = createLogger({ service: 'planning', level: 'silent' });
  const verifier = createTokenVerifier({ secret: SECRET });
  const mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), name), retries: 2 });
  const bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: `planning-test-${name}` });
  const predictions = new InMemoryPredictionStore();
  const planning = createPlanningService({
    mongo,
    bus,
    advisor: createAdvisor(undefined, { recorder: predictions }),
    logger,
    metrics: createMetrics({ service: 'planning' }),
    verifier,
    durable: `planning-test-${name}-${randomUUID().slice(0, 8)}`,
    ...(opts.now ? { clock: { now: opts.now } } : {}),
  });
  const { graphqlUrl: planningUrl } = await planning.listen(0);
  const composed = composeSupergraph([{ name: 'planning', schema: schemaPath(), url: planningUrl }], '/');
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  const gateway = createGatewayService({ supergraphSdl: composed.supergraphSdl, verifier, logger: createLogger({ service: 'gateway', level: 'silent' }), metrics: createMetrics({ service: 'gateway' }) });
  const { graphqlUrl: gatewayUrl } = await gateway.listen(0);
  return {
    planning,
    gateway,
    bus,
    mongo,
    predictions,
    gatewayUrl,
    planningUrl,
    token: (roles, subject = 'alice', machine = false, name) => mintToken({ secret: SECRET, subject, roles, machine, ...(name ? { name } : {}) }),
    async stop() {
      await gateway.close();
      await planning.stop();
      await bus.close();
      await mongo.close();
    },
  };
}

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function gql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResult<T>;
}

/** Polls until `check` returns a value, for effects of events that arrive asynchronously (bounded). */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A GraphQL request through the gateway. */
export function viaGateway<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResult<T>> {
  return gql<T>(url, query, variables, token);
}
