import type { Logger } from 'pino';
import type { Notifier } from '../application/ports.js';
import type { Rollout } from '../domain/index.js';

/** Raises what needs a person (failed, stuck, paused, rolled back) at warn, the rest at info. */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}
  notify(r: Rollout, kind: string, message: string, details: Record<string, unknown> = {}): void {
    const raise = kind === 'failed' || kind === 'stuck' || kind === 'paused' || kind === 'rolled_back';
    this.logger[raise ? 'warn' : 'info'](
      { rolloutId: r.id, releaseId: r.releaseId, event: kind, phase: r.phase, ...details },
      `rollout ${r.id} ${kind.replace('_', ' ')}: ${message}`,
    );
  }
}
