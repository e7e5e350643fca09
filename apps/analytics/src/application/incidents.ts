import { incidentOpened, incidentResolved, type CloudEvent } from '@flightdeck/events';
import { NotFoundError, RuleError } from '@flightdeck/kernel';
import { incidentsFromAlerts, type AlertmanagerPayload } from '../domain/alertmanager.js';
import type { Severity } from '../domain/facts.js';
import { factsOf } from './project-event.js';
import type { Clock, IdGenerator, ProjectionStore, RequestMeta } from './ports.js';

const SOURCE = '/flightdeck/analytics';

export interface OpenIncidentInput {
  title: string;
  severity: Severity;
  product?: string;
  workload?: string;
  rolloutId?: string;
  openedAt?: Date;
}

/** Records incidents as analytics' own events: stored with the projection's fact and published through the outbox. */
export class Incidents {
  /** `onRecorded`: after each write, so that the caller's next read includes it. */
  constructor(
    private readonly deps: { store: ProjectionStore; clock: Clock; newId: IdGenerator; onRecorded?: () => void },
  ) {}

  private async record(event: CloudEvent): Promise<void> {
    for (const u of factsOf(event)) await this.deps.store.apply(u, [event]);
    this.deps.onRecorded?.();
  }

  async open(meta: RequestMeta, input: OpenIncidentInput): Promise<string> {
    const title = input.title.trim();
    if (!title) throw new RuleError('title must not be empty', 'title');
    if (input.workload && !/^[^/\s]+\/[^/\s]+$/.test(input.workload))
      throw new RuleError(`workload '${input.workload}' must be namespace/name, e.g. shop/checkout-api`, 'workload');
    const openedAt = input.openedAt ?? this.deps.clock.now();
    if (openedAt.getTime() > this.deps.clock.now().getTime() + 60_000)
      throw new RuleError(`openedAt ${openedAt.toISOString()} is in the future`, 'openedAt');
    const incidentId = this.deps.newId();
    await this.record(
      incidentOpened.create({
        source: SOURCE,
        subject: incidentId,
        ...(meta.correlationId ? { correlationid: meta.correlationId } : {}),
        data: {
          incidentId,
          title,
          severity: input.severity,
          source: 'api',
          openedAt: openedAt.toISOString(),
          by: meta.by,
          ...(input.product ? { product: input.product } : {}),
          ...(input.workload ? { workload: input.workload } : {}),
          ...(input.rolloutId ? { rolloutId: input.rolloutId } : {}),
        },
      }),
    );
    return incidentId;
  }

  async resolve(meta: RequestMeta, incidentId: string, resolution?: string, resolvedAt?: Date): Promise<void> {
    const record = await this.deps.store.incident(incidentId);
    if (!record) throw new NotFoundError(`incident ${incidentId} does not exist`);
    const done = Object.values(record.facts).find((f) => f.k === 'resolved');
    if (done)
      throw new RuleError(`incident ${incidentId} was already resolved at ${done.at} by ${done.by}`, 'incidentId');
    const at = resolvedAt ?? this.deps.clock.now();
    const opened = Object.values(record.facts).find((f) => f.k === 'opened');
    if (opened && at.getTime() < Date.parse(opened.at))
      throw new RuleError(`resolvedAt ${at.toISOString()} is before the incident opened (${opened.at})`, 'resolvedAt');
    await this.record(
      incidentResolved.create({
        source: SOURCE,
        subject: incidentId,
        ...(meta.correlationId ? { correlationid: meta.correlationId } : {}),
        data: { incidentId, resolvedAt: at.toISOString(), by: meta.by, ...(resolution ? { resolution } : {}) },
      }),
    );
  }

  /**
   * Alertmanager resends firing alerts every repeat interval and may send a resolved one more than
   * once: event ids derive from the alert occurrence, so repeats are the same events and facts.
   */
  async receiveAlerts(payload: AlertmanagerPayload): Promise<{ opened: number; resolved: number; unchanged: number }> {
    const counts = { opened: 0, resolved: 0, unchanged: 0 };
    for (const alert of incidentsFromAlerts(payload)) {
      const record = await this.deps.store.incident(alert.incidentId);
      const facts = Object.values(record?.facts ?? {});
      let changed = false;
      if (!facts.some((f) => f.k === 'opened')) {
        await this.record(
          incidentOpened.create({
            id: `${alert.incidentId}-opened`,
            source: SOURCE,
            subject: alert.incidentId,
            time: alert.openedAt,
            data: {
              incidentId: alert.incidentId,
              title: alert.title,
              severity: alert.severity,
              source: 'alertmanager',
              openedAt: alert.openedAt.toISOString(),
              by: 'alertmanager',
              ...(alert.product ? { product: alert.product } : {}),
              ...(alert.workload ? { workload: alert.workload } : {}),
            },
          }),
        );
        counts.opened++;
        changed = true;
      }
      if (alert.resolvedAt && !facts.some((f) => f.k === 'resolved')) {
        await this.record(
          incidentResolved.create({
            id: `${alert.incidentId}-resolved`,
            source: SOURCE,
            subject: alert.incidentId,
            time: alert.resolvedAt,
            data: {
              incidentId: alert.incidentId,
              resolvedAt: alert.resolvedAt.toISOString(),
              by: 'alertmanager',
              resolution: 'the alert stopped firing',
            },
          }),
        );
        counts.resolved++;
        changed = true;
      }
      if (!changed) counts.unchanged++;
    }
    return counts;
  }
}
