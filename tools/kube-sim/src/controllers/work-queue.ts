import type { Logger } from 'pino';
import { ApiError } from '../api/errors.js';
import type { SimClock } from '../clock.js';

/**
 * A de-duplicating work queue like client-go's: keys added many times before the next run are reconciled once;
 * a reconcile that hits a conflict is retried shortly after.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly reconcile: (key: string) => void,
    private readonly clock: SimClock,
    private readonly log: Logger,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.run());
    }
  }

  /** Reconciles `key` again after `simSeconds` of simulated time. */
  addAfter(key: string, simSeconds: number): void {
    if (this.stopped) return;
    this.clock.after(simSeconds, () => this.add(key));
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }

  private run(): void {
    this.scheduled = false;
    if (this.stopped) return;
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) {
      try {
        this.reconcile(key);
      } catch (e) {
        if (e instanceof ApiError && (e.code === 409 || e.code === 404)) {
          setTimeout(() => this.add(key), 10);
          continue;
        }
        this.log.error({ err: e, controller: this.name, key }, 'reconcile failed');
        setTimeout(() => this.add(key), 200);
      }
    }
  }
}

export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
