/**
 * The services' clock in the demo: the real time plus an offset the demo sets, so months of history are lived
 * through the services' own APIs with dates in the past. Only ever moved between steps, never while a rollout runs.
 */
export class DemoClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on the services' now is `at` (and runs on from there). */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  /** Back to the real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}
