import fc from 'fast-check';
import { parseUnderContract, ContractBroken } from './contract.js';
import { bombs, familyOf, garbage, mutated, type Format } from './hostile.js';
import { artifactReport } from './reports/artifact.js';
import { benchmarkReport } from './reports/benchmark.js';
import { coberturaReport, lcovReport } from './reports/coverage.js';
import { junitReport } from './reports/junit.js';
import { sarifReport } from './reports/sarif.js';
import { sbomReport } from './reports/sbom.js';
import { chunksAt, cuts } from './text.js';

export const FORMATS: Format[] = ['junit', 'cobertura', 'lcov', 'sarif', 'benchmark', 'sbom', 'artifact'];

export const validReports: Record<Format, fc.Arbitrary<{ text: string; expected: unknown }>> = {
  junit: junitReport,
  cobertura: coberturaReport,
  lcov: lcovReport,
  sarif: sarifReport,
  benchmark: benchmarkReport,
  sbom: sbomReport,
  artifact: artifactReport,
};

/** What a run saw, for the figures. */
export interface Tally {
  inputs: number;
  accepted: number;
  refused: number;
  slowestMs: number;
  largestBytes: number;
}

export const newTally = (): Tally => ({ inputs: 0, accepted: 0, refused: 0, slowestMs: 0, largestBytes: 0 });

function count(tally: Tally, bytes: number, outcome: { accepted: boolean; ms: number }): void {
  tally.inputs++;
  if (outcome.accepted) tally.accepted++;
  else tally.refused++;
  tally.slowestMs = Math.max(tally.slowestMs, outcome.ms);
  tally.largestBytes = Math.max(tally.largestBytes, bytes);
}

export type Kind = 'valid' | 'mutated' | 'garbage' | 'bombs';
export const KINDS: Kind[] = ['valid', 'mutated', 'garbage', 'bombs'];

/**
 * The property of one parser on one kind of input. Valid reports, cut into chunks anywhere (inside multi-byte
 * characters too), must give exactly the summary their generator put in; every other input must meet the contract
 * of parseUnderContract (a summary, or a clear EvidenceParseError with where, in bounded time).
 */
export function parserProperty(
  format: Format,
  kind: Kind,
  tally: Tally,
  scale = 1,
): fc.IAsyncPropertyWithHooks<[{ text: string; expected?: unknown }, number[]]> {
  const file = `reports/fuzz.${format}`;
  const input: fc.Arbitrary<{ text: string; expected?: unknown }> =
    kind === 'valid'
      ? validReports[format]
      : (kind === 'mutated'
          ? mutated(familyOf[format], validReports[format])
          : kind === 'garbage'
            ? garbage
            : bombs(format, scale)
        ).map((text) => ({ text }));
  return fc.asyncProperty(input, cuts, async (report, at) => {
    const chunks = chunksAt(report.text, at);
    const outcome = await parseUnderContract(format, file, chunks);
    count(tally, Buffer.byteLength(report.text), outcome);
    if (kind !== 'valid') return;
    if (!outcome.accepted) throw new ContractBroken(`a valid report was refused: ${outcome.error!.message}`);
    const got = outcome.summary instanceof Map ? new Map(outcome.summary) : outcome.summary;
    if (!fc.stringify(got) || !equal(got, report.expected)) {
      throw new ContractBroken(
        `summary differs from what the generator put in:\n  got      ${fc.stringify(got).slice(0, 800)}\n  expected ${fc.stringify(report.expected).slice(0, 800)}`,
      );
    }
  });
}

/** Structural equality of summaries (Maps by entries, objects by own keys in any order). */
function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Map && b instanceof Map)
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && equal(v, b.get(k)));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) => Object.hasOwn(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return false;
}
