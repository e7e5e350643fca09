import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Advisor } from '@flightdeck/ai';
import type { TokenVerifier } from '@flightdeck/auth';
import { OutboxRelay, registerOutboxMetrics, withEventMetrics, type EventBus, type Subscription } from '@flightdeck/events';
import { createSubgraphService, type SubgraphService } from '@flightdeck/subgraph';
import type { ServiceMetrics } from '@flightdeck/telemetry';
import { Gates } from './application/gates.js';
import type { Clock, MetricsSource } from './application/ports.js';
import { resolvers, type GatesContext } from './adapters/graphql/resolvers.js';
import { gatesModels } from './adapters/mongo/models.js';
import { MongoGatesStore } from './adapters/mongo/mongo-gates-store.js';
import { consumePlanningEvents } from './adapters/nats/planning-consumer.js';
import { parseEvidence } from './adapters/parsers/index.js';
import { PrometheusMetrics } from './adapters/prometheus/prometheus-metrics.js';

export const DEFAULT_MAX_EVIDENCE_BYTES = 16 * 1024 * 1024;

export interface GatesServiceDeps {
  connection: Connection;
  bus: EventBus;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: ServiceMetrics;
  advisor: Advisor;
  /** Prometheus for SLO and PromQL performance criteria; without it those criteria fail saying so. */
  prometheusUrl?: string;
  /** Or any other source of PromQL values. */
  metricsSource?: MetricsSource;
  clock?: Clock;
  /** Largest evidence file accepted, after decompression; default 16 MB. */
  maxEvidenceBytes?: number;
  /** Durable consumer name for planning's events; default gates-planning. */
  consumerName?: string;
}

export interface GatesService extends Omit<SubgraphService, 'stop'> {
  gates: Gates;
  close: SubgraphService['stop'];
}

let typeDefsCache: string | undefined;
/** The subgraph schema; the bundle carries it next to main.js, the sources read it from the project root. */
export function gatesSchemaSdl(): string {
  if (typeDefsCache) return typeDefsCache;
  for (const candidate of ['../schema.graphql', './schema.graphql']) {
    try {
      return (typeDefsCache = readFileSync(fileURLToPath(new URL(candidate, import.meta.url)), 'utf8'));
    } catch {
      // try the next place
    }
  }
  throw new Error('gates: schema.graphql not found next to the sources or the bundle');
}

export function createGatesService(deps: GatesServiceDeps): GatesService {
  const { logger } = deps;
  const models = gatesModels(deps.connection);
  const store = new MongoGatesStore(models, () => relay.kick());
  // Consumers count their dead letters and report their lag; the outbox its backlog.
  const bus = withEventMetrics(deps.bus, deps.metrics.registry);
  const relay = new OutboxRelay({ bus, models: [models.states, models.releases], logger });
  registerOutboxMetrics(deps.metrics.registry, relay);
  const metricsSource = deps.metricsSource ?? (deps.prometheusUrl ? new PrometheusMetrics(deps.prometheusUrl) : undefined);
  const gates = new Gates({ store, readEvidence: parseEvidence, metrics: metricsSource, advisor: deps.advisor, clock: deps.clock ?? { now: () => new Date() }, ids: randomUUID });
  const maxEvidenceBytes = deps.maxEvidenceBytes ?? DEFAULT_MAX_EVIDENCE_BYTES;

  let consumer: Subscription | undefined;
  const shell = createSubgraphService<GatesContext>({
    service: 'gates',
    typeDefs: parse(gatesSchemaSdl()),
    resolvers,
    logger,
    metrics: deps.metrics,
    verifier: deps.verifier,
    // Base64 of gzip, or plain text, plus the rest of the request.
    maxBodyBytes: Math.ceil(maxEvidenceBytes * 1.4) + 64 * 1024,
    context: () => ({ gates, maxEvidenceBytes }),
    readiness: () => [
      { name: 'mongodb', check: () => deps.connection.readyState === 1 },
      { name: 'planning-events', check: () => consumer !== undefined },
    ],
    async onStart() {
      await Promise.all([models.definitions.init(), models.states.init(), models.releases.init()]);
      consumer = await consumePlanningEvents(bus, store, logger, deps.consumerName, (releaseId, why) => gates.scopeChanged(releaseId, why));
      relay.start();
      logger.info({ prometheus: deps.prometheusUrl ?? null, maxEvidenceBytes }, 'gates service started');
    },
    async onStop() {
      await consumer?.stop();
      await relay.stop();
    },
  });

  return { gates, app: shell.app, start: shell.start, listen: shell.listen, close: shell.stop };
}
