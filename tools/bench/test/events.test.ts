import { describe, expect, it } from 'vitest';
import { runEventsBench } from '../src/events.js';

describe('events benchmark', () => {
  it('runs end to end at a tiny size, every event handled exactly once on both sides in every run', async () => {
    const r = await runEventsBench({ events: 300, rounds: 1, rate: 200, seconds: 0.5, concurrency: 1, window: 32 });
    expect(r.throughput.raw).toHaveLength(1);
    expect(r.throughput.library).toHaveLength(1);
    expect(r.handled).toEqual([
      { side: 'raw', run: 'throughput', events: 300, received: 300, distinct: 300 },
      { side: 'library', run: 'throughput', events: 300, received: 300, distinct: 300 },
      { side: 'raw', run: 'latency', events: 100, received: 100, distinct: 100 },
      { side: 'library', run: 'latency', events: 100, received: 100, distinct: 100 },
    ]);
    expect(r.latency.raw.count).toBe(100);
    expect(r.latency.library.count).toBe(100);
  });
});
