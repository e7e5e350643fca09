import { expect } from 'vitest';
import { gql, startSmtpSink, type SmtpSink } from '@flightdeck/testing';
import { createRelease, startStack, type ReleaseInput, type Stack } from './stack.js';

export interface Delivery {
  id: string;
  event: string;
  title: string;
  status: string;
}

export interface MailStack {
  stack: Stack;
  smtp: SmtpSink;
  /** A GraphQL call through the gateway as a RELEASE_MANAGER (rita); it must answer without errors. */
  call<T>(query: string, variables: Record<string, unknown>): Promise<T>;
  /** Creates a release through the gateway as rita; answers its id. */
  createRelease(input: ReleaseInput): Promise<string>;
  /** The notification deliveries recorded for `release` (product@version). */
  deliveries(release: string): Promise<Delivery[]>;
  stop(): Promise<void>;
}

/**
 * The planning stack mailing an SMTP sink, on the clock `now` the test sets, its outbox and schedule polled every
 * 100 ms: what the scheduled-notification tests (daily digest, weekly status) start from.
 */
export async function startMailStack(name: string, now: () => Date): Promise<MailStack> {
  const smtp = await startSmtpSink();
  let stack: Stack;
  try {
    stack = await startStack(name, {
      now,
      notify: {
        smtp: { url: smtp.url, from: 'Flightdeck <flightdeck@example.com>', timeoutMs: 5_000 },
        pollMs: 100,
        scheduleMs: 100,
      },
    });
  } catch (err) {
    await smtp.stop();
    throw err;
  }
  const manager = await stack.token(['RELEASE_MANAGER'], 'rita');
  const call = async <T>(query: string, variables: Record<string, unknown>) => {
    const r = await gql<T>(stack.gatewayUrl, query, variables, manager);
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  return {
    stack,
    smtp,
    call,
    createRelease: (input) => createRelease(stack.gatewayUrl, manager, input),
    deliveries: async (release) =>
      (
        await call<{ notificationDeliveries: Delivery[] }>(
          'query($r: String!) { notificationDeliveries(release: $r) { id event title status } }',
          { r: release },
        )
      ).notificationDeliveries,
    async stop() {
      await stack.stop();
      await smtp.stop();
    },
  };
}
