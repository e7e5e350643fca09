/**
 * Simulated time: it starts at the real time and runs `timeScale` times faster, so a rollout that takes
 * minutes in a real cluster takes seconds in a test. Every timestamp and delay in the simulator uses it.
 */
export class SimClock {
  private readonly realStart = Date.now();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly timeScale = 1) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale))
      throw new Error(`the time scale must be a positive number, got ${timeScale}`);
  }

  now(): Date {
    return new Date(this.realStart + (Date.now() - this.realStart) * this.timeScale);
  }

  /** Kubernetes `Time`: RFC 3339 with whole seconds. */
  timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  /** Kubernetes `MicroTime`. */
  microTimestamp(): string {
    return this.now().toISOString().replace(/Z$/, '000Z');
  }

  /** Runs `fn` after `simSeconds` of simulated time. */
  after(simSeconds: number, fn: () => void): () => void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      Math.max(0, (simSeconds * 1000) / this.timeScale),
    );
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
