import { describe, expect, it } from 'vitest';
import { runGatewayBench } from '../src/gateway-overhead.js';

describe('gateway-overhead benchmark', () => {
  it('runs end to end at a tiny size with every request answered with the releases, on both sides', async () => {
    const result = await runGatewayBench({ durationSeconds: 1, connections: 2, rounds: 1 });
    for (const side of [result.direct, result.gateway]) {
      expect(side.requests.total).toBeGreaterThan(0);
      expect({ non2xx: side.non2xx, errors: side.errors, wrongBodies: side.mismatches }).toEqual({ non2xx: 0, errors: 0, wrongBodies: 0 });
    }
  });
});
