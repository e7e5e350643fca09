import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { AnalyticsQueries } from '../../src/application/queries.js';
import { registerReleaseIncidentGauges } from '../../src/adapters/prometheus/release-incident-gauges.js';
import { historyOf, Story } from '../domain/history-builder.js';

const NOW = new Date('2026-03-31T00:00:00Z');

/** A month of shop: an old release, one in production 3 days ago with a critical incident 5 h later and a warning, one in production yesterday. */
function story(): Story {
  return new Story()
    .release('old', '2026-03-01T00:00:00Z', { version: '1.0.0' })
    .rollout('old', 'ro-old', '2026-03-02T10:00:00Z', { succeededAt: '2026-03-02T11:00:00Z' }, { deployment: 'web' })
    .release('r1', '2026-03-20T00:00:00Z', { version: '1.1.0' })
    .rollout('r1', 'ro1', '2026-03-28T10:00:00Z', { succeededAt: '2026-03-28T11:00:00Z' }, { deployment: 'web' })
    .incident('i1', '2026-03-28T16:00:00Z', { severity: 'critical', workload: 'shop/web', rolloutId: 'ro1' })
    .incident('i2', '2026-03-28T17:00:00Z', { severity: 'warning', workload: 'shop/web', rolloutId: 'ro1' })
    .release('r2', '2026-03-25T00:00:00Z', { version: '1.2.0' })
    .rollout('r2', 'ro2', '2026-03-30T10:00:00Z', { succeededAt: '2026-03-30T11:00:00Z' }, { deployment: 'cart' });
}

describe('registerReleaseIncidentGauges', () => {
  it('exports, per release in production in the last 7 days, when it got there and its critical incidents of the first 48 h', async () => {
    const history = historyOf(story().events);
    const queries = { products: async () => ['shop'], history: async () => history } as unknown as AnalyticsQueries;
    const registry = new Registry();
    registerReleaseIncidentGauges(registry, queries, () => NOW, 0);
    const lines = (await registry.metrics()).split('\n').filter((l) => /^flightdeck_analytics_release_/.test(l));
    expect(lines.sort()).toEqual(
      [
        `flightdeck_analytics_release_critical_incidents{product="shop",release="r1",version="1.1.0"} 1`,
        `flightdeck_analytics_release_critical_incidents{product="shop",release="r2",version="1.2.0"} 0`,
        `flightdeck_analytics_release_production_timestamp_seconds{product="shop",release="r1",version="1.1.0"} ${Date.parse('2026-03-28T11:00:00Z') / 1000}`,
        `flightdeck_analytics_release_production_timestamp_seconds{product="shop",release="r2",version="1.2.0"} ${Date.parse('2026-03-30T11:00:00Z') / 1000}`,
      ].sort(),
    );
  });
});
