/**
 * How long a test waits for something that happens asynchronously, by what it waits for. Generous on purpose: they
 * bound a wait on a busy CI machine (2 cores, several test processes), they are not what is measured.
 */
export const DEADLINES = {
  /** An event published, consumed and applied by another service (one hop on the bus), or a process's state settling. */
  event: 20_000,
  /** A whole-stack effect: several services and processes, a rollout step or an analysis on a simulated cluster. */
  stack: 30_000,
  /** A real control plane or cluster catching up (kube-local: pods scheduled, controllers reconciling). */
  cluster: 60_000,
} as const;

/**
 * Polls `probe` every `intervalMs` until it returns a value (anything but undefined or false: a probe may answer
 * with a condition), for effects that arrive by events. A probe that throws is tried again; when the deadline passes, the error says what did not happen, within
 * how long, and the probe's last error.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number = DEADLINES.event,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what} did not happen within ${timeoutMs} ms${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
