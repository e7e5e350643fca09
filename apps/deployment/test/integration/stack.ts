// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import type { V1Deployment } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { gateEvaluationCompleted, JetStreamBus, type CloudEvent, type Subscription } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { databaseUri, DEADLINES, eventually, tokensFor } from '@flightdeck/testing';
import { startTestGateway, type TestGateway } from '@flightdeck/testing/stack';
import {
  createDeploymentService,
  schemaPath,
  type DeploymentService,
  type DeploymentServiceDeps,
} from '../../src/index.js';
import { NAMESPACE, startCluster as startProjectCluster, type Cluster, type ClusterOptions } from './cluster.js';

export type { Cluster } from './cluster.js';

export const SECRET = 'deployment-integration-test-secret-0123456789';

/** Images the clusters know: a good version, a bad one (30% errors, slow) and one that never starts. */
export const BEHAVIOURS = {
  default: { rps: 20, errorRatio: 0.001, p99Seconds: 0.2, startSeconds: 2 },
  'shop/web:1.0.0': { rps: 20, errorRatio: 0.001, p99Seconds: 0.2 },
  'shop/web:2.0.0': { rps: 20, errorRatio: 0.002, p99Seconds: 0.25 },
  'shop/web:3.0.0-bad': { rps: 20, errorRatio: 0.3, p99Seconds: 1.5 },
  'shop/web:4.0.0-crash': { crash: true },
};

/** The cluster of this vitest project (kube-sim or kube-local, see cluster.ts) with the images above. */
export function startCluster(opts: Omit<ClusterOptions, 'behaviours'> = {}): Promise<Cluster> {
  return startProjectCluster({ behaviours: BEHAVIOURS, ...opts });
}

export function deployment(name: string, image: string, replicas = 4): V1Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

export async function createWorkload(c: Cluster, name: string, image = 'shop/web:1.0.0', replicas = 4): Promise<void> {
  await c.apps.createNamespacedDeployment({ namespace: NAMESPACE, body: deployment(name, image, replicas) });
  await eventually(
    `${name} ready`,
    async () => {
      const d = await c.apps.readNamespacedDeployment({ name, namespace: NAMESPACE });
      return (d.status?.readyReplicas ?? 0) === replicas ? d : undefined;
    },
    DEADLINES.cluster,
  );
}

export interface Service {
  service: DeploymentService;
  mongo: MongoConnection;
  bus: JetStreamBus;
  url: string;
  stop(opts?: { releaseLease?: boolean }): Promise<void>;
}

export async function startService(
  c: Cluster,
  dbUri: string,
  over: Partial<DeploymentServiceDeps> = {},
): Promise<Service> {
  const mongo = await connectMongo({ uri: dbUri, retries: 2 });
  const bus = await JetStreamBus.connect({
    servers: inject('natsUrl'),
    name: `deployment-test-${randomUUID().slice(0, 6)}`,
  });
  const service = createDeploymentService({
    mongo,
    bus,
    logger: createLogger({ service: 'deployment', level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' }),
    metrics: createMetrics({ service: 'deployment' }),
    verifier: createTokenVerifier({ secret: SECRET }),
    kubeconfig: c.kc,
    prometheusUrl: c.prom.url,
    durable: `deployment-test-${randomUUID().slice(0, 8)}`,
    tickMs: 100,
    advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
    ...over,
  });
  const { graphqlUrl } = await service.listen(0);
  return {
    service,
    mongo,
    bus,
    url: graphqlUrl,
    async stop(opts) {
      await service.stop(opts);
      await bus.close();
      await mongo.close();
    },
  };
}

export const dbFor = (name: string) => databaseUri(inject('mongoUri'), name);

export function startGateway(subgraphUrl: string): Promise<TestGateway> {
  return startTestGateway([{ name: 'deployment', schema: schemaPath(), url: subgraphUrl }], { secret: SECRET });
}

/** A token for `subject`; `name` puts a display name in it, as identity providers and `npm start` do. */
export const token = tokensFor(SECRET, 'sam');

/** Publishes the gates event that clears a release for production, and waits until deployment has it. */
export async function clearRelease(s: Service, releaseId: string, outcome: 'PASS' | 'FAIL' = 'PASS'): Promise<void> {
  await s.bus.publish(
    gateEvaluationCompleted.create({
      source: 'flightdeck/gates',
      data: {
        releaseId,
        evaluationId: randomUUID(),
        gate: 'PRODUCTION',
        outcome,
        evaluatedAt: new Date().toISOString(),
      },
    }),
  );
  await eventually(`the gate of ${releaseId} projected`, async () =>
    (await s.mongo.connection.collection('release_gates').findOne({ _id: releaseId as never })) ? true : undefined,
  );
}

/** Collects the deployment events published on the bus. */
export async function collectEvents(bus: JetStreamBus): Promise<{ events: CloudEvent[]; sub: Subscription }> {
  const events: CloudEvent[] = [];
  const sub = await bus.subscribe({
    durable: `deployment-events-${randomUUID().slice(0, 8)}`,
    filter: 'flightdeck.deployment.>',
    handler: (e) => void events.push(e),
  });
  return { events, sub };
}
