import { describe, expect, it } from 'vitest';
import { runPlanningReleasesBench } from '../src/planning-releases.js';

describe('planning-releases benchmark', () => {
  it('runs end to end at a tiny size with every request answered', async () => {
    const r = await runPlanningReleasesBench({ releases: 3, durationSeconds: 1, connections: 2, rounds: 1 });
    expect(r.direct.non2xx + r.direct.errors).toBe(0);
    expect(r.gateway.non2xx + r.gateway.errors).toBe(0);
    expect(r.gateway.requests.average).toBeGreaterThan(0);
    expect(r.ratio).toBeGreaterThan(0);
  });
});
