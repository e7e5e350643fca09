import type { MetricsSource } from '../../application/ports.js';

interface QueryResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: 'vector' | 'scalar' | 'matrix' | 'string'; result: unknown };
}

/** Instant queries against the Prometheus HTTP API (`/api/v1/query`), each reduced to one number. */
export class PrometheusMetrics implements MetricsSource {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async value(promql: string, at: Date): Promise<number> {
    const url = `${this.baseUrl.replace(/\/$/, '')}/api/v1/query?${new URLSearchParams({ query: promql, time: String(at.getTime() / 1000) })}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new Error(`Prometheus at ${this.baseUrl} did not answer: ${(err as Error).message}`);
    }
    const body = (await res
      .json()
      .catch(() => ({ status: 'error', error: `HTTP ${res.status} with a body that is not JSON` }))) as QueryResponse;
    if (body.status !== 'success' || !body.data)
      throw new Error(`Prometheus rejected ${promql}: ${body.error ?? `HTTP ${res.status}`}`);
    const { resultType, result } = body.data;
    let raw: string;
    if (resultType === 'scalar') raw = (result as [number, string])[1];
    else if (resultType === 'vector') {
      const samples = result as { value: [number, string] }[];
      if (samples.length === 0) throw new Error(`${promql} returned no data at ${at.toISOString()}`);
      if (samples.length > 1)
        throw new Error(`${promql} returned ${samples.length} series; aggregate it to one (sum, avg, max …)`);
      raw = samples[0]!.value[1];
    } else
      throw new Error(
        `${promql} returned a ${resultType}; an SLO query must give an instant vector of one series or a scalar`,
      );
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error(`${promql} returned ${raw}, not a finite number`);
    return n;
  }
}
