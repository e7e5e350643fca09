import type { Logger } from 'pino';
import type { Notifications } from '../../application/notifications.js';

/** Sends due deliveries one after another, then waits `intervalMs` (or until `kick()`) before looking again. */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;

  constructor(
    private readonly notifications: Notifications,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.kick();
  }

  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((err: unknown) => this.logger.error({ err }, 'notification delivery pass failed; will retry'))
      .finally(() => {
        this.running = undefined;
        if (!this.started) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.timer = setTimeout(() => this.kick(), this.intervalMs);
      });
  }

  private async drain(): Promise<void> {
    while (this.started && (await this.notifications.deliverOne()));
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }
}
