/**
 * The short chaos run of the suite: about 1.5 minutes of releases and faults on the whole stack, then every
 * invariant. A fixed seed, printed with the summary, so a failure replays with
 * `npx tsx tools/chaos/src/main.ts --seed <seed> --minutes 1.5 --lanes 2`.
 */
import { describe, expect, it } from 'vitest';
import { runChaos, summarize } from '../src/index.js';

const SEED = 20261204;

describe('whole-stack chaos, short run', () => {
  it(`keeps every invariant while services, nats-server, the MongoDB-wire server and Prometheus fail (seed ${SEED})`, async () => {
    const report = await runChaos({ seed: SEED, minutes: 1.5, lanes: 2, releaseTimeoutMs: 240_000, settleTimeoutMs: 180_000, log: (line) => console.log(line) });
    const summary = summarize(report);
    console.log(summary);
    // The run did something: faults of several kinds landed and releases went all the way through them.
    expect(report.faults.length, summary).toBeGreaterThanOrEqual(5);
    expect(new Set(report.faults.map((f) => f.kind)).size, summary).toBeGreaterThanOrEqual(3);
    expect(report.releases.filter((r) => !r.error && r.phase).length, summary).toBeGreaterThanOrEqual(2);
    expect(report.faults.filter((f) => f.error), summary).toEqual([]);
    for (const invariant of report.invariants) {
      expect(invariant.checked, `${invariant.name}: ${invariant.notChecked}`).toBe(true);
      expect(invariant.violations, `${invariant.name} (seed ${SEED})\n${summary}`).toEqual([]);
    }
  });
});
