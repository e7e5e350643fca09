import {
  EvidenceParseError,
  parseArtifactRecord,
  parseBenchmark,
  parseCobertura,
  parseJUnit,
  parseLcov,
  parseSarif,
  parseSbom,
  type ReportSource,
} from '@flightdeck/gates/parsers';
import type { Format } from './hostile.js';

export const parsers: Record<Format, (file: string, source: ReportSource) => Promise<unknown>> = {
  junit: parseJUnit,
  cobertura: parseCobertura,
  lcov: parseLcov,
  sarif: parseSarif,
  benchmark: parseBenchmark,
  sbom: parseSbom,
  artifact: parseArtifactRecord,
};

/** Problems that are about the whole file, so they have no line to point at. */
const WHOLE_FILE = /the file is empty|larger than the limit|is at most \d+ bytes/;

/** Longest message an error may carry: the problem (600) and the file name (200), with the position. */
const MAX_MESSAGE = 850;

/**
 * CPU time one input of at most a few MB may take before it counts as a hang: CPU, not wall-clock, so a loaded
 * machine or a niced run does not count as the parser's slowness (a 15 MB lcov file takes about 1 s).
 */
export const HANG_CPU_MS = 20_000;

/** Wall-clock time after which a parser that is not even busy (an await that never ends) counts as stuck. */
const STUCK_MS = 300_000;

export class ContractBroken extends Error {
  override readonly name = 'ContractBroken';
}

export interface Outcome {
  accepted: boolean;
  ms: number;
  /** The summary, when accepted. */
  summary?: unknown;
  error?: EvidenceParseError;
}

/** Every number of a summary is finite (GraphQL's Float cannot carry Infinity or NaN) and it holds no functions. */
function checkSerialisable(value: unknown, path = 'summary'): void {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new ContractBroken(`${path} is ${value}: a summary's numbers must be finite`);
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint')
    throw new ContractBroken(`${path} is a ${typeof value}`);
  if (value instanceof Map) for (const [k, v] of value) checkSerialisable(v, `${path}[${JSON.stringify(k)}]`);
  else if (Array.isArray(value)) value.forEach((v, i) => checkSerialisable(v, `${path}[${i}]`));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) checkSerialisable(v, `${path}.${k}`);
}

/**
 * Runs one parser on one input and checks the contract every input must meet: it ends within HANG_CPU_MS, either with
 * a summary whose numbers are all finite, or with an EvidenceParseError that names the file, says where (a line, and
 * a column when there is one) unless the problem is the whole file, and is of bounded length. Anything else (a
 * TypeError, a RangeError, a hang) breaks it.
 */
export async function parseUnderContract(
  format: Format,
  file: string,
  chunks: (Uint8Array | string)[],
): Promise<Outcome> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1000;
  };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ContractBroken(`no answer within ${STUCK_MS} ms`)), STUCK_MS);
  });
  try {
    const summary = await Promise.race([parsers[format](file, chunks), hang]);
    const ms = performance.now() - started;
    // A parser stuck in synchronous work blocks the timer: its time is checked once it is back.
    if (cpuMs() > HANG_CPU_MS) throw new ContractBroken(`took ${Math.round(cpuMs())} ms of CPU`);
    checkSerialisable(summary);
    return { accepted: true, ms, summary };
  } catch (err) {
    const ms = performance.now() - started;
    if (err instanceof ContractBroken) throw err;
    if (cpuMs() > HANG_CPU_MS) throw new ContractBroken(`took ${Math.round(cpuMs())} ms of CPU to refuse`);
    if (!(err instanceof EvidenceParseError))
      throw new ContractBroken(
        `threw ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 300)}` : String(err)} instead of an EvidenceParseError`,
      );
    if (err.message.length > MAX_MESSAGE)
      throw new ContractBroken(`message of ${err.message.length} characters: ${err.message.slice(0, 120)}…`);
    if (!err.message.startsWith(file.slice(0, 200)))
      throw new ContractBroken(`message does not start with the file name: ${err.message.slice(0, 200)}`);
    if (!WHOLE_FILE.test(err.problem)) {
      if (err.line === undefined || !Number.isInteger(err.line) || err.line < 1)
        throw new ContractBroken(`no line in: ${err.message.slice(0, 300)}`);
      if (err.column !== undefined && (!Number.isInteger(err.column) || err.column < 1))
        throw new ContractBroken(`column ${err.column} in: ${err.message.slice(0, 300)}`);
    }
    return { accepted: false, ms, error: err };
  } finally {
    clearTimeout(timer);
  }
}
