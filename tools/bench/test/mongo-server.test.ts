import { describe, expect, it } from 'vitest';
import { runMongoServerBench } from '../src/mongo-server.js';

describe('mongo-server benchmark', () => {
  it('runs end to end at a tiny size', async () => {
    const r = await runMongoServerBench({ docs: 2000, small: 500, large: 3000, batch: 250, lookups: 30 });
    expect(r.insert.memory).toBeGreaterThan(0);
    expect(r.insert.dbpath).toBeGreaterThan(0);
    expect(r.group.groups).toBe(100);
    for (const k of ['byId', 'byIndex', 'range'] as const) expect(r.growth.large[k]).toBeGreaterThan(0);
    expect(r.peakRssMb).toBeGreaterThan(0);
  });
});
