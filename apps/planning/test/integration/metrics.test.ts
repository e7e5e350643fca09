import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEvaluationCompleted } from '@flightdeck/events';
import { eventually } from '@flightdeck/testing';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
const meta = { by: 'rita' };
const target = new Date('2031-03-01T12:00:00Z');

beforeAll(async () => {
  stack = await startStack('release-metrics');
});
afterAll(async () => {
  await stack?.stop();
});

/** The planning service's own /metrics, as Prometheus scrapes it. */
async function scrape(): Promise<string[]> {
  const text = await (await fetch(stack.planningUrl.replace(/\/graphql$/, '/metrics'))).text();
  return text.split('\n').filter((l) => l.startsWith('flightdeck_planning_release_'));
}

describe('release gauges on /metrics', () => {
  it("exports each open release's target date and its gates' latest outcomes, and drops a release once it is cancelled", async () => {
    const { release } = await stack.planning.planning.create(meta, {
      product: 'billing',
      version: '4.2.0',
      theme: 'Invoices',
      owner: 'rita',
      targetDate: target,
      team: { velocityHistory: [10] },
    });
    const labels = `release="${release.id}",product="billing",version="4.2.0"`;
    // What gates publishes when the Production gate fails: planning records it as the release's latest outcome.
    await stack.bus.publish(
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId: release.id,
          evaluationId: 'ev-1',
          gate: 'PRODUCTION',
          outcome: 'FAIL',
          evaluatedAt: new Date().toISOString(),
        },
      }),
    );
    await eventually('planning to record the failed gate', async () =>
      (await stack.planning.planning.get(release.id)).release.signals.gates.PRODUCTION === 'FAIL' ? true : undefined,
    );
    const lines = await scrape();
    expect(lines).toContain(
      `flightdeck_planning_release_target_timestamp_seconds{${labels},status="PLANNING",service="planning"} ${target.getTime() / 1000}`,
    );
    expect(lines).toContain(
      `flightdeck_planning_release_gate_outcome{${labels},gate="PRODUCTION",outcome="FAIL",service="planning"} 1`,
    );

    await stack.planning.planning.transition(meta, release.id, 'CANCELLED', 'dropped from the roadmap');
    await eventually(
      'the cancelled release to leave /metrics (gauges are read at most every 5 s)',
      async () => ((await scrape()).some((x) => x.includes(release.id)) ? undefined : true),
      15_000,
    );
  });
});
