/**
 * The timer both controllers run on: a pass every `tickMs`, never two at once, and `wake` to run the next pass now
 * (or right after the pass under way) instead of at the next tick.
 */
export class ReconcileLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pass: Promise<void> | undefined;
  private wakeRequested = false;

  constructor(
    private readonly runPass: () => Promise<void>,
    private readonly tickMs: number,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Resolves once the pass under way, if any, has finished. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.pass;
  }

  wake(): void {
    if (!this.running) return;
    if (this.pass) this.wakeRequested = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.pass = this.runPass().finally(() => {
        this.pass = undefined;
        if (this.running) this.schedule(this.wakeRequested ? 0 : this.tickMs);
        this.wakeRequested = false;
      });
    }, ms);
  }
}
