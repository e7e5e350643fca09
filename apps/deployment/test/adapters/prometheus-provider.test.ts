import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPrometheus, type PrometheusHandle } from '@flightdeck/testing';
import { PrometheusMetricProvider } from '../../src/adapters/prometheus/prometheus-provider.js';

// A real prometheus (Debian package prometheus) with no targets: every answer below is its own.
let prom: PrometheusHandle;
beforeAll(async () => {
  prom = await startPrometheus({ scrapeTargets: [], waitForFirstScrape: false });
});
afterAll(async () => {
  await prom?.stop();
});

describe('PrometheusMetricProvider: flightdeck_deployment_analysis_queries_total', () => {
  it('counts every analysis query by what became of it, each result at 0 from the start', async () => {
    const registry = new Registry();
    const provider = new PrometheusMetricProvider(prom.url, 3000, registry);
    const count = async (result: string) =>
      Number(
        new RegExp(`^flightdeck_deployment_analysis_queries_total\\{result="${result}"\\} (\\S+)$`, 'm').exec(
          await registry.metrics(),
        )?.[1],
      );
    for (const result of ['value', 'no_data', 'unreachable', 'refused', 'unusable'])
      expect(await count(result)).toBe(0);

    expect(await provider.runQuery('vector(0.99)')).toEqual({ ok: true, value: 0.99 });
    expect(await provider.runQuery('absent_metric_for_the_test')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^no data/),
    });
    expect(await provider.runQuery('sum(')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Prometheus refused the query \(400 bad_data\)/),
    });
    expect(await provider.runQuery('vector(1) or label_replace(vector(2), "x", "y", "", "")')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/returned 2 series/),
    });
    const closed = new PrometheusMetricProvider(`http://127.0.0.1:${await freePort()}`, 3000, registry); // the same registry: one counter
    expect(await closed.runQuery('vector(1)')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/is unreachable/),
    });

    expect(await count('value')).toBe(1);
    expect(await count('no_data')).toBe(1);
    expect(await count('refused')).toBe(1);
    expect(await count('unusable')).toBe(1);
    expect(await count('unreachable')).toBe(1);
  });
});
