// Brings in the typing of inject('natsUrl') and inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo } from '@flightdeck/persistence';
import { createPlanningService, schemaPath, type PlanningServiceDeps } from '@flightdeck/planning';
import { createMetrics } from '@flightdeck/telemetry';
import { databaseUri, tokensFor } from '@flightdeck/testing';
import { startTestGateway } from '@flightdeck/testing/stack';

const SECRET = 'cli-planning-test-secret-0123456789abcdef';

export interface PlanningStack {
  /** The gateway's GraphQL URL, FLIGHTDECK_URL for the CLI. */
  url: string;
  /** The real NATS bus, to publish what other services would. */
  bus: JetStreamBus;
  /** Mints a token the gateway and planning accept. */
  token: ReturnType<typeof tokensFor>;
  stop(): Promise<void>;
}

/** Planning on its own database (`name`) and the real NATS, behind a real gateway: what the CLI talks to. */
export async function startPlanningStack(
  name: string,
  opts: { notify?: PlanningServiceDeps['notify'] } = {},
): Promise<PlanningStack> {
  const mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), name), retries: 2 });
  const bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: `${name}-test` });
  const verifier = createTokenVerifier({ secret: SECRET, issuer: 'flightdeck', audience: 'flightdeck' });
  const planning = createPlanningService({
    mongo,
    bus,
    verifier,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ service: 'planning' }),
    advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
    durable: `${name}-${randomUUID().slice(0, 8)}`,
    ...(opts.notify ? { notify: opts.notify } : {}),
  });
  const { graphqlUrl } = await planning.listen(0);
  const gateway = await startTestGateway([{ name: 'planning', schema: schemaPath(), url: graphqlUrl }], { verifier });
  return {
    url: gateway.url,
    bus,
    token: tokensFor(SECRET),
    async stop() {
      await gateway.stop();
      await planning.stop();
      await bus.close();
      await mongo.close();
    },
  };
}
