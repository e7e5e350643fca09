import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEvaluationCompleted } from '@flightdeck/events';
import { eventually, freePort, gql } from '@flightdeck/testing';
import { createRelease, startStack, type Stack } from './stack.js';

let stack: Stack;
let manager: string;
let smtpPort: number;

beforeAll(async () => {
  smtpPort = await freePort(); // nothing listens there
  stack = await startStack('notify-smtp-down', {
    notify: {
      smtp: { url: `smtp://127.0.0.1:${smtpPort}`, from: 'Flightdeck <flightdeck@example.com>', timeoutMs: 2_000 },
      retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 },
      pollMs: 100,
      timeoutMs: 2_000,
    },
  });
  manager = await stack.token(['RELEASE_MANAGER'], 'rita');
});

afterAll(async () => {
  await stack?.stop();
});

describe('an unreachable SMTP server', () => {
  it('is retried, then reported FAILED naming the server; the release is unaffected', async () => {
    const call = async <T>(query: string, variables: Record<string, unknown>) => {
      const r = await gql<T>(stack.gatewayUrl, query, variables, manager);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    await call('mutation($i: SubscribeInput!) { subscribe(input: $i) { id } }', {
      i: { product: 'smtp-down', audience: 'QA', channel: { kind: 'EMAIL', to: ['qa@example.com'] } },
    });
    const releaseId = await createRelease(stack.gatewayUrl, manager, {
      product: 'smtp-down',
      version: '1.0.0',
      theme: 'mail down',
    });
    await stack.bus.publish(
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId,
          evaluationId: 'alpha-1',
          gate: 'ALPHA',
          outcome: 'FAIL',
          evaluatedAt: new Date().toISOString(),
        },
      }),
    );
    const failed = await eventually('the e-mail delivery to be reported FAILED', async () => {
      const { notificationDeliveries: d } = await call<{
        notificationDeliveries: { status: string; attempts: number; lastError: string | null }[];
      }>('query($r: String!) { notificationDeliveries(release: $r) { status attempts lastError } }', {
        r: 'smtp-down@1.0.0',
      });
      return d.length === 1 && d[0]!.status === 'FAILED' ? d[0]! : undefined;
    });
    expect(failed.attempts).toBe(2);
    expect(failed.lastError).toContain(`could not reach the SMTP server 127.0.0.1:${smtpPort}`);

    // The gate result reached the release all the same.
    const { release } = await call<{ release: { gateOutcomes: { gate: string; outcome: string }[] } }>(
      'query($id: ID!) { release(id: $id) { gateOutcomes { gate outcome } } }',
      { id: releaseId },
    );
    expect(release.gateOutcomes).toContainEqual({ gate: 'ALPHA', outcome: 'FAIL' });
  });
});
