import { releaseStatusChangedV2, type CloudEvent } from '@flightdeck/events';
import type { Logger } from 'pino';
import { factsOf } from './project-event.js';
import type { ProjectionStore } from './ports.js';
import type { Retrospectives } from './retrospectives.js';

/** Applies events to the projections; safe to run concurrently and in any order, since facts commute. */
export class Projector {
  constructor(private readonly deps: { store: ProjectionStore; retrospectives: Retrospectives; logger: Logger }) {}

  async handle(event: CloudEvent): Promise<'applied' | 'ignored'> {
    const updates = factsOf(event);
    for (const u of updates) await this.deps.store.apply(u);
    if (releaseStatusChangedV2.is(event) && event.data.to === 'RELEASED' && event.data.releaseType === 'HOTFIX') {
      await this.deps.retrospectives.openForHotfix(event.data.releaseId, new Date(event.data.at));
    }
    return updates.length ? 'applied' : 'ignored';
  }
}
