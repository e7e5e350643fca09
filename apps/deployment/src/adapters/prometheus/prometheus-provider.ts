import { Counter, type Registry } from 'prom-client';
import type { MetricProvider } from '../../application/ports.js';
import type { QueryOutcome } from '../../domain/index.js';

interface ApiBody {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: { resultType: string; result: unknown };
}

/** What became of an analysis query: a value, or why there is none. */
export type QueryResult = 'value' | 'no_data' | 'unreachable' | 'refused' | 'unusable';
const QUERY_RESULTS: QueryResult[] = ['value', 'no_data', 'unreachable', 'refused', 'unusable'];
const QUERIES_METRIC = 'flightdeck_deployment_analysis_queries_total';

/** Prometheus over its HTTP API (`/api/v1/query`, `/api/v1/query_range`) with fetch. */
export class PrometheusMetricProvider implements MetricProvider {
  readonly name = 'Prometheus';
  private readonly base: string;
  private readonly queries: Counter<'result'> | undefined;

  /** With a registry, every analysis query is counted by result in `flightdeck_deployment_analysis_queries_total`. */
  constructor(
    baseUrl: string,
    private readonly timeoutMs = 3000,
    registry?: Registry,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
    if (registry) {
      this.queries =
        (registry.getSingleMetric(QUERIES_METRIC) as Counter<'result'> | undefined) ??
        new Counter({
          name: QUERIES_METRIC,
          help: 'Analysis queries sent to Prometheus, by result: value, no_data (empty vector), unreachable (no answer or a time-out), refused (an error answer), unusable (not one number)',
          labelNames: ['result'] as const,
          registers: [registry],
        });
      for (const result of QUERY_RESULTS) this.queries.inc({ result }, 0);
    }
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<QueryOutcome> {
    const { outcome, result } = await this.instant(query, signal);
    this.queries?.inc({ result });
    return outcome;
  }

  private async instant(query: string, signal?: AbortSignal): Promise<{ outcome: QueryOutcome; result: QueryResult }> {
    const body = await this.call('/api/v1/query', { query }, signal);
    if (!body.ok)
      return { outcome: { ok: false, reason: body.reason }, result: body.answered ? 'refused' : 'unreachable' };
    const { resultType, result } = body.data;
    const unusable = (reason: string) => ({ outcome: { ok: false as const, reason }, result: 'unusable' as const });
    if (resultType === 'scalar')
      return { outcome: { ok: true, value: Number((result as [number, string])[1]) }, result: 'value' };
    if (resultType !== 'vector')
      return unusable(`the query returned a ${resultType}; analysis takes an instant vector or scalar`);
    const samples = result as { metric: Record<string, string>; value: [number, string] }[];
    if (samples.length === 0)
      return {
        outcome: {
          ok: false,
          reason: 'no data: the query returned an empty vector (no such series yet, or no traffic)',
        },
        result: 'no_data',
      };
    if (samples.length > 1)
      return unusable(`the query returned ${samples.length} series; aggregate it to one (e.g. with sum)`);
    return { outcome: { ok: true, value: Number(samples[0]!.value[1]) }, result: 'value' };
  }

  /** A range query's values (for charts and the AI's view of a trend). */
  async queryRange(
    query: string,
    start: Date,
    end: Date,
    stepSeconds: number,
    signal?: AbortSignal,
  ): Promise<
    | { ok: true; series: { metric: Record<string, string>; values: [number, number][] }[] }
    | { ok: false; reason: string }
  > {
    const body = await this.call(
      '/api/v1/query_range',
      { query, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(stepSeconds) },
      signal,
    );
    if (!body.ok) return { ok: false, reason: body.reason };
    const series = (body.data.result as { metric: Record<string, string>; values: [number, string][] }[]).map((s) => ({
      metric: s.metric,
      values: s.values.map(([t, v]) => [t, Number(v)] as [number, number]),
    }));
    return { ok: true, series };
  }

  async isOnline(): Promise<boolean> {
    try {
      return (await fetch(`${this.base}/-/ready`, { signal: AbortSignal.timeout(this.timeoutMs) })).ok;
    } catch {
      return false;
    }
  }

  /** `answered` tells a refusal by Prometheus from no answer at all. */
  private async call(
    path: string,
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<{ ok: true; data: NonNullable<ApiBody['data']> } | { ok: false; reason: string; answered: boolean }> {
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
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        return { ok: false, reason: `Prometheus at ${this.base} did not answer in time`, answered: false };
      return {
        ok: false,
        reason: `Prometheus at ${this.base} is unreachable: ${e.cause?.code ?? e.message}`,
        answered: false,
      };
    }
    let body: ApiBody;
    try {
      body = (await res.json()) as ApiBody;
    } catch {
      return { ok: false, reason: `Prometheus answered ${res.status} without a JSON body`, answered: true };
    }
    if (body.status !== 'success' || !body.data)
      return {
        ok: false,
        reason: `Prometheus refused the query (${res.status} ${body.errorType ?? ''}): ${body.error ?? res.statusText}`,
        answered: true,
      };
    return { ok: true, data: body.data };
  }
}
