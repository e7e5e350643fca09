import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { eventually, startPrometheus, type PrometheusHandle } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, rolloutComplete, startCluster, watchDeploymentUntil, type Cluster } from './helpers.js';

const errorRatio = (window: string) =>
  `sum by (version) (increase(http_requests_total{deployment="shop",code="500"}[${window}])) / sum by (version) (increase(http_requests_total{deployment="shop"}[${window}]))`;

// startPrometheus needs the real prometheus binary (Debian package prometheus, installed by .ci/run).
describe('a real Prometheus scraping the simulated workloads', () => {
  let c: Cluster;
  let prom: PrometheusHandle;
  beforeAll(async () => {
    c = await startCluster({
      timeScale: 20,
      behaviours: {
        'shop/web:1.0.0': { rps: 40, errorRatio: 0.01, p99Seconds: 0.2 },
        'shop/web:2.0.0': { rps: 40, errorRatio: 0.3, p99Seconds: 1.5 },
      },
    });
    prom = await startPrometheus({ scrapeTargets: [c.sim.metricsUrl], scrapeIntervalSeconds: 0.5 });
  }, 40_000);
  afterAll(async () => {
    await prom?.stop();
    await c?.sim.stop();
  });

  it('sees the error ratio and latency of a bad version rise above its good predecessor after an image change', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('shop', 'shop/web:1.0.0', { replicas: 2 }),
    });
    await watchDeploymentUntil(c, 'default', 'shop', rolloutComplete);
    const good = await eventually(
      'the good version in Prometheus',
      async () => {
        const r = await prom.query(errorRatio('10s'));
        return r.find((s) => s.metric.version === '1.0.0' && Number.isFinite(Number(s.value[1])));
      },
      20_000,
    );
    expect(Number(good.value[1])).toBeLessThan(0.05);

    await c.apps.patchNamespacedDeployment(
      {
        name: 'shop',
        namespace: 'default',
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/web:2.0.0' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await watchDeploymentUntil(c, 'default', 'shop', (d) => rolloutComplete(d) && d.metadata?.generation === 2);
    const ratios = await eventually(
      'both versions with the bad one worse',
      async () => {
        const r = await prom.query(errorRatio('30s'));
        const by = Object.fromEntries(r.map((s) => [s.metric.version, Number(s.value[1])]));
        return by['1.0.0'] !== undefined && by['2.0.0'] !== undefined && by['2.0.0'] > by['1.0.0'] ? by : undefined;
      },
      20_000,
    );
    expect(ratios['2.0.0']).toBeGreaterThan(0.2);
    expect(ratios['1.0.0']).toBeLessThan(0.05);

    const p99 = await prom.query(
      'histogram_quantile(0.99, sum by (le, version) (rate(http_request_duration_seconds_bucket{deployment="shop"}[30s])))',
    );
    const byVersion = Object.fromEntries(p99.map((s) => [s.metric.version, Number(s.value[1])]));
    expect(byVersion['2.0.0']).toBeGreaterThan(1);
    expect(byVersion['1.0.0']).toBeLessThan(0.5);
  });
});
