// Brings in the typing of inject('natsUrl') and inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { pino } from 'pino';
import { createAdvisor, InMemoryPredictionStore, type OpenAIAdvisorOptions } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import {
  featureStatusChanged,
  JetStreamBus,
  releaseCreatedV2,
  releaseScopeChanged,
  type CloudEvent,
} from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createMetrics } from '@flightdeck/telemetry';
import { databaseUri, gql, type PrometheusHandle, startPrometheus, tokensFor } from '@flightdeck/testing';
import { startTestGateway } from '@flightdeck/testing/stack';
import { createGatesService, type GatesService } from '../../src/index.js';

const SECRET = 'gates-integration-test-secret-0123456789';
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Stack {
  gatewayUrl: string;
  subgraphUrl: string;
  bus: JetStreamBus;
  prometheus?: PrometheusHandle;
  predictions: InMemoryPredictionStore;
  /** A token for `subject`; `name` puts a display name in it, as identity providers and `npm start` do. */
  token: ReturnType<typeof tokensFor>;
  /** Publishes planning's events for a new release with its features, and waits until gates knows it. */
  createRelease(opts: {
    product: string;
    version: string;
    type?: 'MAJOR' | 'MINOR' | 'PATCH' | 'HOTFIX';
    createdBy: string;
    features?: { title: string; done: boolean }[];
  }): Promise<string>;
  stop(): Promise<void>;
}

/** A tiny /metrics endpoint with fixed series, for Prometheus to scrape. */
function metricsEndpoint(body: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics` }),
    ),
  );
}

/** `ai`: an OpenAI-compatible endpoint for the advisor (the baseline alone without); `database`: default `gates`. */
export async function startStack(
  opts: { prometheusSeries?: string; ai?: OpenAIAdvisorOptions; database?: string } = {},
): Promise<Stack> {
  const logger = pino({ level: 'silent' });
  const mongo: MongoConnection = await connectMongo({
    uri: databaseUri(inject('mongoUri'), opts.database ?? 'gates'),
    retries: 2,
  });
  const bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: 'gates-test' });
  const verifier = createTokenVerifier({ secret: SECRET, issuer: 'flightdeck', audience: 'flightdeck' });
  const predictions = new InMemoryPredictionStore();
  let endpoint: { server: Server; url: string } | undefined;
  let prometheus: PrometheusHandle | undefined;
  if (opts.prometheusSeries) {
    endpoint = await metricsEndpoint(opts.prometheusSeries);
    prometheus = await startPrometheus({ scrapeTargets: [endpoint.url], scrapeIntervalSeconds: 1 });
  }
  const service: GatesService = createGatesService({
    mongo,
    bus,
    verifier,
    logger,
    metrics: createMetrics({ service: 'gates' }),
    advisor: createAdvisor(opts.ai, { recorder: predictions }),
    prometheusUrl: prometheus?.url,
    durable: `gates-test-${randomUUID().slice(0, 8)}`,
    maxEvidenceBytes: 256 * 1024,
  });
  const { graphqlUrl: subgraphUrl } = await service.listen(0);
  const gateway = await startTestGateway(
    [{ name: 'gates', schema: 'apps/gates/schema.graphql', url: subgraphUrl }],
    { verifier },
    { root: repoRoot, maxBodyBytes: 1024 * 1024 },
  );
  const gatewayUrl = gateway.url;

  const publish = (e: CloudEvent) => bus.publish(e);
  const source = 'flightdeck/planning';

  return {
    gatewayUrl,
    subgraphUrl,
    bus,
    prometheus,
    predictions,
    token: tokensFor(SECRET),
    async createRelease({ product, version, type = 'MINOR', createdBy, features = [] }) {
      const releaseId = randomUUID();
      const at = new Date().toISOString();
      await publish(
        releaseCreatedV2.create({
          source,
          subject: releaseId,
          data: {
            releaseId,
            product,
            version,
            releaseType: type,
            theme: 'test',
            owner: createdBy,
            targetDate: at,
            createdBy,
          },
        }),
      );
      let count = 0;
      for (const f of features) {
        const featureId = randomUUID();
        count++;
        await publish(
          releaseScopeChanged.create({
            source,
            data: {
              releaseId,
              kind: 'ADDED',
              featureId,
              title: f.title,
              fields: [],
              by: createdBy,
              at,
              featureCount: count,
              totalPoints: count,
            },
          }),
        );
        if (f.done)
          await publish(
            featureStatusChanged.create({
              source,
              data: {
                releaseId,
                featureId,
                title: f.title,
                from: 'IN_REVIEW',
                to: 'DONE',
                effort: 1,
                by: createdBy,
                at,
              },
            }),
          );
      }
      const viewer = await tokensFor(SECRET)(['VIEWER'], 'viewer');
      // Bounded wait for the consumer to apply planning's events.
      for (let i = 0; i < 100; i++) {
        const r = await gql<{ releaseGates: unknown[] }>(
          gatewayUrl,
          'query($r: String!) { releaseGates(release: $r) { name } }',
          { r: `${product}@${version}` },
          viewer,
        );
        const state = await mongo.connection.collection('releases').findOne({ _id: releaseId as never });
        const known = Object.keys((state?.features as object | undefined) ?? {}).length;
        const done = Object.values((state?.features as Record<string, { status: string }> | undefined) ?? {}).filter(
          (x) => x.status === 'DONE',
        ).length;
        if (r.data?.releaseGates && known === features.length && done === features.filter((f) => f.done).length)
          return releaseId;
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error(`gates did not learn release ${product}@${version} from planning's events within 10 s`);
    },
    async stop() {
      await gateway.stop();
      await service.stop();
      await bus.close();
      await mongo.close();
      await prometheus?.stop();
      await new Promise((res) => endpoint?.server.close(res) ?? res(undefined));
    },
  };
}

/** A JUnit report with `passed` passing and `failed` failing cases. */
export function junit(passed: number, failed = 0): string {
  const cases = [
    ...Array.from({ length: passed }, (_, i) => `<testcase classname="shop.Checkout" name="passes ${i}" time="0.01"/>`),
    ...Array.from(
      { length: failed },
      (_, i) =>
        `<testcase classname="shop.Checkout" name="fails ${i}" time="0.01"><failure message="expected 200, got 500">stack</failure></testcase>`,
    ),
  ];
  return `<?xml version="1.0"?>\n<testsuites><testsuite name="checkout" tests="${passed + failed}" failures="${failed}">\n${cases.join('\n')}\n</testsuite></testsuites>\n`;
}
