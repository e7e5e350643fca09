import { describe, expect, it } from 'vitest';
import { runGatewayBench } from '../src/gateway-overhead.js';

describe('gateway-overhead benchmark', () => {
  it('runs end to end at a tiny size, the subgraph and the gateway as processes, every request answered with the releases', async () => {
    const result = await runGatewayBench({ durationSeconds: 1, connections: 2, rate: 20, rounds: 1 });
    const { direct, gateway } = result.targets;
    for (const side of [direct.saturation, gateway.saturation, direct.fixedRate, gateway.fixedRate]) {
      expect(side.requests.total).toBeGreaterThan(0);
      expect({ non2xx: side.non2xx, errors: side.errors, wrongBodies: side.mismatches }).toEqual({
        non2xx: 0,
        errors: 0,
        wrongBodies: 0,
      });
    }
    // The fixed rate is an open loop (vegeta): exactly rate × duration requests, whatever the answers' latencies.
    expect([direct.fixedRate.requests.total, gateway.fixedRate.requests.total]).toEqual([20, 20]);
    // The gateway run went through the gateway process: it spent CPU on it (the direct run did not need it).
    expect(gateway.saturation.cpuMsPerRequest.gateway).toBeGreaterThan(0);
  });
});
