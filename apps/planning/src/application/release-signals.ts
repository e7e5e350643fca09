import { gateEvaluationCompleted, rolloutRolledBack, rolloutSucceeded, type CloudEvent } from '@flightdeck/events';
import type { Logger } from 'pino';
import { retryOnConflict } from '@flightdeck/kernel';
import {
  automaticNextStatus,
  changeStatus,
  recordGateResult,
  recordProductionRollout,
  type Release,
} from '../domain/release.js';
import { statusChangedEvent } from './events.js';
import type { Clock, ReleaseRepository } from './ports.js';

export type SignalOutcome = 'applied' | 'duplicate' | 'unknown-release' | 'ignored';

const PRODUCTION = /^prod(uction)?$/i;

/**
 * Applies the gates and deployment services' events to the releases they concern (planning's local
 * projection of them). Idempotent: an event id already applied to a release changes nothing, and
 * the projection, any status change and its event are stored in one write.
 */
export class ReleaseSignals {
  constructor(private readonly deps: { releases: ReleaseRepository; clock: Clock; logger: Logger }) {}

  async handle(event: CloudEvent): Promise<SignalOutcome> {
    if (gateEvaluationCompleted.is(event)) {
      const d = event.data;
      return this.apply(
        event,
        d.releaseId,
        (r) =>
          recordGateResult(r, {
            gate: d.gate,
            outcome: d.outcome,
            evaluationId: d.evaluationId,
            at: new Date(d.evaluatedAt),
            ...(d.reasons?.length ? { reasons: d.reasons } : {}),
          }),
        'flightdeck-gates',
        `${d.gate} gate ${d.outcome === 'CONDITIONAL' ? 'passed with conditions' : d.outcome === 'PASS' ? 'passed' : 'failed'} (evaluation ${d.evaluationId})`,
      );
    }
    if (rolloutSucceeded.is(event)) {
      const d = event.data;
      if (!PRODUCTION.test(d.environment)) return 'ignored';
      return this.apply(
        event,
        d.releaseId,
        (r) => recordProductionRollout(r, { rolloutId: d.rolloutId, succeeded: true, at: new Date(d.completedAt) }),
        'flightdeck-deployment',
        `production rollout ${d.rolloutId} succeeded`,
      );
    }
    if (rolloutRolledBack.is(event)) {
      const d = event.data;
      if (!PRODUCTION.test(d.environment)) return 'ignored';
      return this.apply(
        event,
        d.releaseId,
        (r) =>
          r.status === 'RELEASED' || r.status === 'CLOSED'
            ? r
            : recordProductionRollout(r, { rolloutId: d.rolloutId, succeeded: false, at: new Date(d.rolledBackAt) }),
        'flightdeck-deployment',
        '',
      );
    }
    return 'ignored';
  }

  /** Applies the event to the release as it is now; a write that lost a race to another is applied again on a fresh read. */
  private apply(
    event: CloudEvent,
    releaseId: string,
    record: (r: Release) => Release,
    by: string,
    why: string,
  ): Promise<SignalOutcome> {
    return retryOnConflict(async () => {
      const stored = await this.deps.releases.get(releaseId);
      if (!stored) {
        this.deps.logger.warn(
          { eventId: event.id, type: event.type, releaseId },
          'event names a release planning does not know; ignored',
        );
        return 'unknown-release';
      }
      if (stored.processedEvents.includes(event.id)) return 'duplicate';
      const now = this.deps.clock.now();
      let release = { ...record(stored.release), updatedAt: now };
      const events: CloudEvent[] = [];
      const next = automaticNextStatus(release);
      if (next) {
        const meta = { by, ...(event.correlationid ? { correlationId: event.correlationid } : {}) };
        const result = changeStatus(release, next, { by, at: now }, why);
        release = result.release;
        events.push(statusChangedEvent(release, result.transition, meta));
        this.deps.logger.info(
          { releaseId, from: result.transition.from, to: next, eventId: event.id },
          `release moved to ${next}: ${why}`,
        );
      }
      await this.deps.releases.update(release, stored.revision, events, { processedEvent: event.id });
      return 'applied';
    });
  }
}

/** The subjects this service consumes. */
export const CONSUMED_EVENT_TYPES = [gateEvaluationCompleted.type, rolloutSucceeded.type, rolloutRolledBack.type];
