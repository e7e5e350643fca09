import type { ArtifactRecord } from './artifact.js';
import type { SbomSummary } from './sbom.js';
/** What a report says, reduced to the figures the criteria need (the raw file is not kept). */

export interface FailedCase {
  suite: string;
  classname: string;
  name: string;
  kind: 'failure' | 'error';
  message: string;
}

export interface TestSummary {
  tests: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  suites: number;
  durationSeconds: number;
  /** The first failed cases, for the explanation. */
  failed: FailedCase[];
  /** Things in the report that looked wrong but did not stop it being read. */
  warnings: string[];
}

/** A summary of no tests yet, to count a report (or several) into. */
export const noTests = (): TestSummary => ({
  tests: 0,
  passed: 0,
  failures: 0,
  errors: 0,
  skipped: 0,
  suites: 0,
  durationSeconds: 0,
  failed: [],
  warnings: [],
});

export interface Ratio {
  covered: number;
  total: number;
}

export interface FileCoverage {
  lines: Ratio;
  branches: Ratio;
}

export interface CoverageSummary {
  format: 'lcov' | 'cobertura';
  files: number;
  lines: Ratio;
  branches: Ratio;
  /** Coverage of the changed files named with the evidence, when given. */
  changed?: { files: number; lines: Ratio; branches: Ratio; notInReport: string[] };
}

export const SARIF_LEVELS = ['error', 'warning', 'note', 'none'] as const;
export type SarifLevel = (typeof SARIF_LEVELS)[number];

export interface SecuritySummary {
  runs: number;
  tools: string[];
  /** Unsuppressed results per level. */
  byLevel: Record<SarifLevel, number>;
  /** Unsuppressed results per security-severity band (CVSS-like score on the rule or result). */
  bySeverity: { critical: number; high: number; medium: number; low: number };
  suppressed: number;
  total: number;
}

/** One measured value of a benchmark result file. */
export interface BenchmarkSummary {
  metrics: Record<string, { value: number; unit?: string }>;
}

export type EvidenceKind = 'JUNIT' | 'LCOV' | 'COBERTURA' | 'SARIF' | 'BENCHMARK' | 'SBOM' | 'ARTIFACT';

export type EvidenceSummary =
  | { kind: 'JUNIT'; tests: TestSummary }
  | { kind: 'LCOV' | 'COBERTURA'; coverage: CoverageSummary }
  | { kind: 'SARIF'; security: SecuritySummary }
  | { kind: 'BENCHMARK'; benchmark: BenchmarkSummary }
  | { kind: 'SBOM'; sbom: SbomSummary }
  | { kind: 'ARTIFACT'; artifact: ArtifactRecord };

export interface Evidence {
  id: string;
  kind: EvidenceKind;
  /** The file name the pipeline gave. */
  name: string;
  summary: EvidenceSummary;
  submittedBy: string;
  submittedByName?: string;
  submittedAt: Date;
  bytes: number;
}

export function ratio(r: Ratio): number | undefined {
  return r.total === 0 ? undefined : (100 * r.covered) / r.total;
}

function normalise(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

function samePath(a: string, b: string): boolean {
  const x = normalise(a);
  const y = normalise(b);
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/** Totals over every file, and over the changed files when named (matched by path suffix: reports hold absolute or relative paths). */
export function summariseCoverage(
  format: CoverageSummary['format'],
  files: Map<string, FileCoverage>,
  changedFiles?: string[],
): CoverageSummary {
  const sum = (list: Iterable<FileCoverage>) => {
    const out = { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
    for (const f of list) {
      out.lines.covered += f.lines.covered;
      out.lines.total += f.lines.total;
      out.branches.covered += f.branches.covered;
      out.branches.total += f.branches.total;
    }
    return out;
  };
  const summary: CoverageSummary = { format, files: files.size, ...sum(files.values()) };
  if (changedFiles && changedFiles.length) {
    const found: FileCoverage[] = [];
    const notInReport: string[] = [];
    const paths = [...files.keys()];
    for (const c of changedFiles) {
      const hit = paths.find((p) => samePath(p, c));
      if (hit) found.push(files.get(hit)!);
      else notInReport.push(c);
    }
    summary.changed = { files: found.length, ...sum(found), notInReport };
  }
  return summary;
}
