/**
 * The short chaos run of the suite: 1.5 minutes of releases and faults on the whole stack, then every invariant.
 * A fixed seed, printed with the summary, so a failure replays with
 * `npx tsx tools/chaos/src/main.ts --seed 18 --minutes 1.5 --lanes 2`. The first injector loop's first four faults
 * take Prometheus away, restart nats-server, stop the MongoDB-wire server and freeze deployment; the second loop
 * kills and freezes services too.
 */
import { describe, expect, it } from 'vitest';
import { runChaos, summarize } from '../src/index.js';

const SEED = 18;

describe('whole-stack chaos, short run', () => {
  it(`keeps every invariant while services, nats-server, the MongoDB-wire server and Prometheus fail (seed ${SEED})`, async () => {
    const report = await runChaos({
      seed: SEED,
      minutes: 1.5,
      lanes: 2,
      releaseTimeoutMs: 240_000,
      settleTimeoutMs: 180_000,
      log: (line) => console.log(line),
    });
    const summary = summarize(report);
    console.log(summary);
    // The run did something: faults of several kinds landed and releases went all the way through them.
    expect(
      report.faults
        .filter((f) => f.loop === 0)
        .slice(0, 4)
        .map((f) => f.kind),
      summary,
    ).toEqual(['stop-prometheus', 'restart-nats', 'stop-mongo', 'freeze-service']);
    expect(report.releases.filter((r) => !r.error && r.phase).length, summary).toBeGreaterThanOrEqual(2);
    expect(
      report.faults.filter((f) => f.error),
      summary,
    ).toEqual([]);
    for (const invariant of report.invariants) {
      expect(invariant.checked, `${invariant.name}: ${invariant.notChecked}`).toBe(true);
      expect(invariant.violations, `${invariant.name} (seed ${SEED})\n${summary}`).toEqual([]);
    }
  });
});
