import { z } from 'zod';
import type { BenchmarkSummary } from '../../domain/evidence.js';
import { EvidenceParseError, type ReportSource } from './evidence-error.js';

const LIMIT = 4 * 1024 * 1024;

/**
 * The benchmark result format: `{ "benchmarks": [{ "name": "p95_latency_ms", "value": 182.5, "unit": "ms" }, …] }`.
 * Names are what performance criteria refer to.
 */
export const benchmarkFileSchema = z.object({
  benchmarks: z
    .array(z.object({ name: z.string().min(1), value: z.number().finite(), unit: z.string().optional() }))
    .min(1, 'list at least one benchmark'),
});

export async function parseBenchmark(file: string, source: ReportSource): Promise<BenchmarkSummary> {
  let text = '';
  for await (const chunk of source) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.length > LIMIT) throw new EvidenceParseError(file, `a benchmark result file is at most ${LIMIT} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EvidenceParseError(file, `malformed JSON: ${(err as Error).message}`);
  }
  const parsed = benchmarkFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new EvidenceParseError(file, `not a benchmark result: ${issues}; expected {"benchmarks":[{"name":"…","value":1.5,"unit":"ms"}]}`);
  }
  const metrics: BenchmarkSummary['metrics'] = {};
  for (const b of parsed.data.benchmarks) metrics[b.name] = { value: b.value, ...(b.unit ? { unit: b.unit } : {}) };
  return { metrics };
}
