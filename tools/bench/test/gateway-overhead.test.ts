import { describe, expect, it } from 'vitest';
import { runGatewayBench } from '../src/gateway-overhead.js';

describe('gateway-overhead benchmark', () => {
  it('runs end to end at a tiny size with every request answered', async () => {
    const result = await runGatewayBench({ durationSeconds: 1, connections: 2, rounds: 1 });
    expect(result.direct.non2xx + result.direct.errors).toBe(0);
    expect(result.gateway.non2xx + result.gateway.errors).toBe(0);
    expect(result.gateway.requests.average).toBeGreaterThan(0);
    expect(result.ratio).toBeGreaterThan(0);
  });
});
