import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutRolledBack } from '@flightdeck/events';
import { eventually, gql, startHttpReceiver, type HttpReceiver } from '@flightdeck/testing';
import { createRelease, startStack, type Stack } from './stack.js';

const MAX_ATTEMPTS = 3;

let stack: Stack;
let manager: string;
let working: HttpReceiver;
let down: HttpReceiver;

beforeAll(async () => {
  [working, down] = await Promise.all([startHttpReceiver(), startHttpReceiver()]);
  stack = await startStack('notification-metrics', {
    // Retries an hour apart at most, so a delivery told to come back in an hour stays waiting through the test.
    notify: { retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 50, maxDelayMs: 3_600_000 }, pollMs: 100 },
  });
  manager = await stack.token(['RELEASE_MANAGER'], 'rita');
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([working?.stop(), down?.stop()]);
});

/** The planning service's own /metrics, as Prometheus scrapes it: the value of each notification series. */
async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${stack.planningBase}/metrics`)).text();
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(flightdeck_notification_\w+\{[^}]*\}) (\S+)$/.exec(line);
    if (m) series.set(m[1]!.replace(/,service="planning"/, ''), Number(m[2]));
  }
  return series;
}

const attempts = (channel: string, outcome: string) =>
  `flightdeck_notification_deliveries_total{channel="${channel}",outcome="${outcome}"}`;
const pending = (channel: string) => `flightdeck_notification_deliveries_pending{channel="${channel}"}`;

async function subscribe(product: string, audience: string, url: string): Promise<void> {
  const r = await gql(
    stack.gatewayUrl,
    'mutation($input: SubscribeInput!) { subscribe(input: $input) { id } }',
    { input: { product, audience, cadence: 'AS_IT_HAPPENS', channel: { kind: 'SLACK', url } } },
    manager,
  );
  expect(r.errors).toBeUndefined();
}

async function rollBack(product: string, version: string): Promise<void> {
  const releaseId = await createRelease(stack.gatewayUrl, manager, { product, version, theme: 'Metrics' });
  await stack.bus.publish(
    rolloutRolledBack.create({
      source: 'flightdeck/deployment',
      data: {
        releaseId,
        rolloutId: `r-${version}`,
        environment: 'production',
        reason: 'success-rate 0.71 below 0.99',
        rolledBackAt: new Date().toISOString(),
      },
    }),
  );
}

describe('notification delivery metrics on /metrics', () => {
  it('counts a delivered and a failed delivery with its retries per channel, and the deliveries still waiting', async () => {
    const before = await scrape();
    expect(before.get(attempts('SLACK', 'delivered'))).toBe(0);
    expect(before.get(attempts('SLACK', 'failed'))).toBe(0);
    expect(before.get(pending('SLACK'))).toBe(0);

    // Management's channel answers every attempt 503; the development team's takes its notice.
    down.failNext(MAX_ATTEMPTS + 5, 503);
    await subscribe('metrics-flaky', 'MANAGEMENT', `${down.url}/down`);
    await subscribe('metrics-flaky', 'DEVELOPMENT_TEAM', `${working.url}/dev`);
    await rollBack('metrics-flaky', '1.0.0');
    const settled = await eventually('one delivery sent and one failed, as /metrics counts them', async () => {
      const now = await scrape();
      return now.get(attempts('SLACK', 'delivered')) === 1 && now.get(attempts('SLACK', 'failed')) === 1
        ? now
        : undefined;
    });
    expect(settled.get(attempts('SLACK', 'retried'))).toBe(MAX_ATTEMPTS - 1);
    expect(settled.get(attempts('EMAIL', 'failed'))).toBe(0);
    expect(working.received.filter((r) => r.path === '/dev')).toHaveLength(1);

    // A channel asking to come back in an hour leaves its delivery waiting, as RETRYING.
    down.failNext(1, 503, 3_600);
    await subscribe('metrics-later', 'MANAGEMENT', `${down.url}/later`);
    await rollBack('metrics-later', '1.0.0');
    const waiting = await eventually(
      'the delivery told to come back later to be retried and counted as waiting (the gauge is read at most every 5 s)',
      async () => {
        const now = await scrape();
        return now.get(attempts('SLACK', 'retried')) === MAX_ATTEMPTS && now.get(pending('SLACK')) === 1
          ? now
          : undefined;
      },
      15_000,
    );
    expect(waiting.get(attempts('SLACK', 'delivered'))).toBe(1);
    expect(waiting.get(attempts('SLACK', 'failed'))).toBe(1);
    expect(waiting.get(pending('EMAIL'))).toBe(0);
  });
});
