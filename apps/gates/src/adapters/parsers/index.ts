import { summariseCoverage, type EvidenceKind, type EvidenceSummary } from '../../domain/evidence.js';
import { parseBenchmark } from './benchmark.js';
import { parseCobertura } from './cobertura.js';
import type { ReportSource } from './evidence-error.js';
import { parseJUnit } from './junit.js';
import { parseLcov } from './lcov.js';
import { parseSarif } from './sarif.js';
import { parseSbom } from './sbom.js';
import { parseArtifactRecord } from './artifact.js';

export { EvidenceParseError, type ReportSource } from './evidence-error.js';
export { parseJUnit, parseLcov, parseCobertura, parseSarif, parseBenchmark, parseSbom, parseArtifactRecord };
export { DEFAULT_SARIF_LIMIT } from './sarif.js';
export { summariseCoverage };

/** Reads one report of the given kind into the summary kept as evidence. */
export async function parseEvidence(
  kind: EvidenceKind,
  file: string,
  source: ReportSource,
  opts: { changedFiles?: string[] } = {},
): Promise<EvidenceSummary> {
  switch (kind) {
    case 'JUNIT':
      return { kind, tests: await parseJUnit(file, source) };
    case 'LCOV':
      return { kind, coverage: summariseCoverage('lcov', await parseLcov(file, source), opts.changedFiles) };
    case 'COBERTURA':
      return { kind, coverage: summariseCoverage('cobertura', await parseCobertura(file, source), opts.changedFiles) };
    case 'SARIF':
      return { kind, security: await parseSarif(file, source) };
    case 'BENCHMARK':
      return { kind, benchmark: await parseBenchmark(file, source) };
    case 'SBOM':
      return { kind, sbom: await parseSbom(file, source) };
    case 'ARTIFACT':
      return { kind, artifact: await parseArtifactRecord(file, source) };
  }
}
export type { BenchmarkSummary, FileCoverage, SecuritySummary, TestSummary } from '../../domain/evidence.js';
export type { ArtifactRecord } from '../../domain/artifact.js';
export type { SbomSummary } from '../../domain/sbom.js';
