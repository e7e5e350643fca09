import type { JetStreamManager } from '@nats-io/jetstream';
import { EVENTS_STREAM, releaseCreated, type CloudEvent } from '../src/index.js';

/** Polls until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the test buses' UnavailableCheck blames on a dependency being away (a database outage, in a service). */
export class DependencyDown extends Error {
  override readonly name = 'DependencyDown';
}
export const isDependencyDown = (err: unknown) => err instanceof DependencyDown;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let n = 0;
export function aRelease(overrides: Partial<{ id: string; releaseId: string }> = {}): CloudEvent {
  n++;
  return releaseCreated.create({
    source: '/flightdeck/planning',
    subject: overrides.releaseId ?? `rel-${n}`,
    id: overrides.id,
    data: {
      releaseId: overrides.releaseId ?? `rel-${n}`,
      name: `Release ${n}`,
      version: `1.${n}.0`,
      releaseType: 'MINOR',
    },
  });
}

/**
 * Publishes a marker event after everything a test sent so far. A consumer gets a stream's messages in order, so once
 * it has the marker it has had every message stored before it: "nothing else arrived" is then a fact, not a guess
 * after a sleep.
 */
export async function publishMarker(bus: { publish(e: CloudEvent): Promise<unknown> }): Promise<CloudEvent> {
  const marker = aRelease({ releaseId: `marker-${++n}` });
  await bus.publish(marker);
  return marker;
}

/** How many messages in the event stream carry this Nats-Msg-Id. */
export async function storedCopies(jsm: JetStreamManager, eventId: string): Promise<number> {
  const info = await jsm.streams.info(EVENTS_STREAM);
  let copies = 0;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
    const m = await jsm.streams.getMessage(EVENTS_STREAM, { seq }).catch(() => null);
    if (m?.header.get('Nats-Msg-Id') === eventId) copies++;
  }
  return copies;
}
