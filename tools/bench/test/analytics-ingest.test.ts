import { describe, expect, it } from 'vitest';
import { organisationEvents, runIngestBench } from '../src/analytics-ingest.js';

describe('analytics ingest benchmark', () => {
  it.each(['memory', 'mongo'] as const)(
    'runs end to end at a tiny size on the %s store: every event ingested, both reads measured, queries timed, live changes counted',
    async (store) => {
      const r = await runIngestBench({ events: 2000, services: 20, products: 4, queries: 3, changes: 3, store });
      expect(r.events).toBe(2000);
      // every published event read by the raw consumer and handled by the projector, once each
      expect(r.consumed).toEqual({ raw: 2000, projected: 2000 });
      expect(r.entities.rollout).toBeGreaterThan(100);
      expect(r.entities.release).toBeGreaterThan(0);
      // the indexed query and the full recomputation agree, for one product and for all
      expect(r.query.oneProduct.identical).toBe(true);
      expect(r.query.all.identical).toBe(true);
      // each live rollout rebuilt one product's partition and was then counted
      expect(r.live.refresh.rebuiltPerRefresh).toBe(1);
      expect(r.live.visible).toBe(true);
    },
  );

  it('generates valid catalog events in time order per product, stopping at the size asked for', () => {
    const events = [
      ...organisationEvents({ events: 500, services: 10, products: 2, queries: 1, changes: 1, store: 'memory' }),
    ];
    expect(events).toHaveLength(500);
    expect(new Set(events.map((e) => e.id)).size).toBe(500);
    expect(events.filter((e) => e.type === 'flightdeck.deployment.rollout.rolled_back').length).toBeGreaterThan(0);
  });
});
