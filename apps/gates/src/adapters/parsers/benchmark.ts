import { z } from 'zod';
import type { BenchmarkSummary } from '../../domain/evidence.js';
import { EvidenceParseError, textChunks, type ReportSource } from './evidence-error.js';
import { pathText, syntaxError, valuePosition } from './json-position.js';

const LIMIT = 4 * 1024 * 1024;

/**
 * The benchmark result format: `{ "benchmarks": [{ "name": "p95_latency_ms", "value": 182.5, "unit": "ms" }, …] }`.
 * Names are what performance criteria refer to; `__proto__` is not one (as a key of the summary it would vanish).
 */
export const benchmarkFileSchema = z.object({
  benchmarks: z
    .array(
      z.object({
        name: z
          .string()
          .min(1)
          .refine((n) => n !== '__proto__', '"__proto__" cannot name a benchmark; rename it'),
        value: z.number().finite(),
        unit: z.string().optional(),
      }),
    )
    .min(1, 'list at least one benchmark'),
});

export async function parseBenchmark(file: string, source: ReportSource): Promise<BenchmarkSummary> {
  let text = '';
  let bytes = 0;
  for await (const chunk of textChunks(source)) {
    bytes += Buffer.byteLength(chunk);
    if (bytes > LIMIT) throw new EvidenceParseError(file, `a benchmark result file is at most ${LIMIT} bytes`);
    text += chunk;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const { problem, at } = syntaxError(text);
    throw new EvidenceParseError(file, `malformed JSON: ${problem}`, at?.line, at?.column);
  }
  const parsed = benchmarkFileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const path = first.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const at = valuePosition(text, path);
    const issues = parsed.error.issues
      .map((i) => `${pathText(i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)))}: ${i.message}`)
      .join('; ');
    throw new EvidenceParseError(
      file,
      `not a benchmark result: ${issues}; expected {"benchmarks":[{"name":"…","value":1.5,"unit":"ms"}]}`,
      at?.line,
      at?.column,
    );
  }
  const metrics: BenchmarkSummary['metrics'] = {};
  for (const b of parsed.data.benchmarks) metrics[b.name] = { value: b.value, ...(b.unit ? { unit: b.unit } : {}) };
  return { metrics };
}
