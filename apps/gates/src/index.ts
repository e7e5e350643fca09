export {
  createGatesService,
  gatesSchemaSdl,
  DEFAULT_MAX_EVIDENCE_BYTES,
  type GatesService,
  type GatesServiceDeps,
} from './service.js';
export { createGates, type Gates, type GateView, type SubmitEvidenceInput } from './application/gates.js';
export type {
  Actor,
  AuditEntry,
  GateState,
  GatesStore,
  MetricsSource,
  Readiness,
  ReleaseView,
} from './application/ports.js';
export {
  parseEvidence,
  parseJUnit,
  parseLcov,
  parseCobertura,
  parseSarif,
  parseBenchmark,
  EvidenceParseError,
} from './adapters/parsers/index.js';
export * from './domain/index.js';
