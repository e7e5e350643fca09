import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { OutboxRelay, registerOutboxMetrics, withEventMetrics, type Subscription } from '@flightdeck/events';
import { createSubgraphService, type ServiceDeps, type SubgraphService } from '@flightdeck/subgraph';
import { createGates, type Gates } from './application/gates.js';
import type { MetricsSource } from './application/ports.js';
import { resolvers, type GatesContext } from './adapters/graphql/resolvers.js';
import { gatesModels } from './adapters/mongo/models.js';
import { MongoGatesStore } from './adapters/mongo/mongo-gates-store.js';
import { consumePlanningEvents, PLANNING_DURABLE } from './adapters/nats/planning-consumer.js';
import { parseEvidence } from './adapters/parsers/index.js';
import { PrometheusMetrics } from './adapters/prometheus/prometheus-metrics.js';

export const DEFAULT_MAX_EVIDENCE_BYTES = 16 * 1024 * 1024;

/** The shared dependencies (`durable` names the consumer of planning's events, default gates-planning), and: */
export interface GatesServiceDeps extends ServiceDeps {
  /** Prometheus for SLO and PromQL performance criteria; without it those criteria fail saying so. */
  prometheusUrl?: string;
  /** Or any other source of PromQL values. */
  metricsSource?: MetricsSource;
  /** Largest evidence file accepted, after decompression; default 16 MB. */
  maxEvidenceBytes?: number;
}

export interface GatesService extends SubgraphService {
  gates: Gates;
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
  const models = gatesModels(deps.mongo.connection);
  const store = new MongoGatesStore(models, () => relay.kick());
  // Consumers count their dead letters and report their lag; the outbox its backlog.
  const bus = withEventMetrics(deps.bus, deps.metrics.registry);
  const relay = new OutboxRelay({ bus, models: [models.states, models.releases], logger });
  registerOutboxMetrics(deps.metrics.registry, relay);
  const metricsSource =
    deps.metricsSource ?? (deps.prometheusUrl ? new PrometheusMetrics(deps.prometheusUrl) : undefined);
  const gates = createGates({
    store,
    readEvidence: parseEvidence,
    metrics: metricsSource,
    advisor: deps.advisor,
    clock: deps.clock ?? { now: () => new Date() },
    ids: deps.newId ?? randomUUID,
  });
  const maxEvidenceBytes = deps.maxEvidenceBytes ?? DEFAULT_MAX_EVIDENCE_BYTES;

  let subscription: Subscription | undefined;
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
    readiness: (graphql) => [
      { name: 'mongodb', check: () => deps.mongo.isReady() },
      graphql,
      { name: 'events', check: () => subscription !== undefined },
    ],
    async onStart() {
      await Promise.all([models.definitions.init(), models.states.init(), models.releases.init()]);
      subscription = await consumePlanningEvents(
        bus,
        store,
        logger,
        deps.durable ?? PLANNING_DURABLE,
        (releaseId, why) => gates.evidence.scopeChanged(releaseId, why),
      );
      relay.start();
      logger.info({ prometheus: deps.prometheusUrl ?? null, maxEvidenceBytes }, 'gates started');
    },
    async onStop() {
      await subscription?.stop();
      subscription = undefined;
      await relay.stop();
    },
  });

  return { ...shell, gates };
}
