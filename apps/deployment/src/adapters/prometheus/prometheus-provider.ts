import type { MetricProvider } from '../../application/ports.js';
import type { QueryOutcome } from '../../domain/index.js';

interface ApiBody {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: { resultType: string; result: unknown };
}

/** Prometheus over its HTTP API (`/api/v1/query`, `/api/v1/query_range`) with fetch. */
export class PrometheusMetricProvider implements MetricProvider {
  readonly name = 'Prometheus';
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 3000,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<QueryOutcome> {
    const body = await this.call('/api/v1/query', { query }, signal);
    if (!body.ok) return body;
    const { resultType, result } = body.data;
    if (resultType === 'scalar') return { ok: true, value: Number((result as [number, string])[1]) };
    if (resultType !== 'vector') return { ok: false, reason: `the query returned a ${resultType}; analysis takes an instant vector or scalar` };
    const samples = result as { metric: Record<string, string>; value: [number, string] }[];
    if (samples.length === 0) return { ok: false, reason: 'no data: the query returned an empty vector (no such series yet, or no traffic)' };
    if (samples.length > 1) return { ok: false, reason: `the query returned ${samples.length} series; aggregate it to one (e.g. with sum)` };
    return { ok: true, value: Number(samples[0]!.value[1]) };
  }

  /** A range query's values (for charts and the AI's view of a trend). */
  async queryRange(query: string, start: Date, end: Date, stepSeconds: number, signal?: AbortSignal): Promise<{ ok: true; series: { metric: Record<string, string>; values: [number, number][] }[] } | { ok: false; reason: string }> {
    const body = await this.call('/api/v1/query_range', { query, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(stepSeconds) }, signal);
    if (!body.ok) return body;
    const series = (body.data.result as { metric: Record<string, string>; values: [number, string][] }[]).map((s) => ({ metric: s.metric, values: s.values.map(([t, v]) => [t, Number(v)] as [number, number]) }));
    return { ok: true, series };
  }

  async isOnline(): Promise<boolean> {
    try {
      return (await fetch(`${this.base}/-/ready`, { signal: AbortSignal.timeout(this.timeoutMs) })).ok;
    } catch {
      return false;
    }
  }

  private async call(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<{ ok: true; data: NonNullable<ApiBody['data']> } | { ok: false; reason: string }> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') return { ok: false, reason: `Prometheus at ${this.base} did not answer in time` };
      return { ok: false, reason: `Prometheus at ${this.base} is unreachable: ${e.cause?.code ?? e.message}` };
    }
    let body: ApiBody;
    try {
      body = (await res.json()) as ApiBody;
    } catch {
      return { ok: false, reason: `Prometheus answered ${res.status} without a JSON body` };
    }
    if (body.status !== 'success' || !body.data) return { ok: false, reason: `Prometheus refused the query (${res.status} ${body.errorType ?? ''}): ${body.error ?? res.statusText}` };
    return { ok: true, data: body.data };
  }
}
