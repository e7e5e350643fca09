import { describe, expect, it } from 'vitest';
import { runPlanningReleasesBench } from '../src/planning-releases.js';

describe('planning-releases benchmark', () => {
  it('runs end to end at a tiny size with every request answered with every seeded release, direct and through the gateway', async () => {
    const r = await runPlanningReleasesBench({ releases: 3, durationSeconds: 1, connections: 2, rounds: 1 });
    for (const side of [r.direct, r.gateway]) {
      expect(side.requests.total).toBeGreaterThan(0);
      expect({ non2xx: side.non2xx, errors: side.errors, wrongBodies: side.mismatches }).toEqual({
        non2xx: 0,
        errors: 0,
        wrongBodies: 0,
      });
    }
  });
});
