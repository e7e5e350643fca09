import { describe, expect, it } from 'vitest';
import { runSoak } from '../src/soak.js';

// Needs nats-server (with JetStream) and prometheus on PATH (.ci/run installs them). Every service, the gateway,
// the MongoDB-wire server and kube-sim run as processes, as in e2e/. Latencies are printed by the script, never asserted.
describe('soak', () => {
  it('runs a minute of mixed GraphQL traffic through the gateway and 1,000 events/s on the bus without an error, every heap after GC within the bound', async () => {
    const r = await runSoak({
      seconds: 60,
      rate: 20,
      eventsPerSecond: 1000,
      warmupSeconds: 15,
      heapSampleSeconds: 5,
      heapGrowthBoundMb: 32,
    });
    expect(r.graphql.errorSamples).toEqual([]);
    expect(r.graphql.errors).toBe(0);
    // Every operation of the mix ran, and rollouts went through to PROMOTED.
    expect(Object.keys(r.graphql.operations).length).toBeGreaterThanOrEqual(16);
    for (const [name, op] of Object.entries(r.graphql.operations))
      expect(op.count + op.errors, name).toBeGreaterThan(0);
    expect(r.graphql.rolloutsPromoted).toBeGreaterThan(0);
    expect({ errors: r.events.errors, samples: r.events.errorSamples }).toEqual({ errors: 0, samples: [] });
    expect(r.events.published).toBeGreaterThan(0);
    expect(r.heapOverBound).toEqual([]);
  }, 600_000);
});
