import { describe, expect, it } from 'vitest';
import { runEventsBench } from '../src/events.js';

describe('events benchmark', () => {
  it('runs end to end at a tiny size, every event consumed on both sides', async () => {
    const r = await runEventsBench({ events: 300, rounds: 1, rate: 200, seconds: 0.5, concurrency: 1, window: 32 });
    expect(r.throughput.raw).toHaveLength(1);
    expect(r.throughput.library).toHaveLength(1);
    expect(r.throughput.ratio).toBeGreaterThan(0);
    expect(r.latency.raw.count).toBe(100);
    expect(r.latency.library.count).toBe(100);
    expect(r.latency.library.p99).toBeGreaterThanOrEqual(r.latency.library.p50);
  });
});
