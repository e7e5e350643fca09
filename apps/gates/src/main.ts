import { runService } from '@flightdeck/subgraph';
import { gatesConfigSchema } from './config.js';
import { createGatesService } from './service.js';

await runService({
  name: 'gates',
  description:
    'Flightdeck gates subgraph: quality gates from evidence, approvals, audit trail and readiness, at /graphql (plus /healthz, /readyz, /metrics).',
  config: gatesConfigSchema,
  create: (deps, config) =>
    createGatesService({
      ...deps,
      prometheusUrl: config.PROMETHEUS_URL,
      maxEvidenceBytes: config.EVIDENCE_MAX_BYTES,
      durable: config.GATES_CONSUMER,
    }),
});
