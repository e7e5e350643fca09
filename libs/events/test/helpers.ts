import { releaseCreated, type CloudEvent } from '../src/index.js';

/** Polls until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let n = 0;
export function aRelease(overrides: Partial<{ id: string; releaseId: string }> = {}): CloudEvent {
  n++;
  return releaseCreated.create({
    source: '/flightdeck/planning',
    subject: overrides.releaseId ?? `rel-${n}`,
    id: overrides.id,
    data: { releaseId: overrides.releaseId ?? `rel-${n}`, name: `Release ${n}`, version: `1.${n}.0`, releaseType: 'MINOR' },
  });
}
