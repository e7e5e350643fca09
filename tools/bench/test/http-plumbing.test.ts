import { describe, expect, it } from 'vitest';
import { runHttpPlumbingBench } from '../src/http-plumbing.js';

describe('http-plumbing benchmark', () => {
  it('runs end to end at a tiny size with every request answered', async () => {
    const result = await runHttpPlumbingBench({ durationSeconds: 1, connections: 2 });
    expect(result.bare.non2xx + result.bare.errors).toBe(0);
    expect(result.telemetry.non2xx + result.telemetry.errors).toBe(0);
    expect(result.telemetry.requests.average).toBeGreaterThan(0);
    expect(result.ratio).toBeGreaterThan(0);
  });
});
