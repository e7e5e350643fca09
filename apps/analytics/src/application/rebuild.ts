import type { CloudEvent } from '@flightdeck/events';
import type { ProjectionStore } from './ports.js';
import type { Projector } from './projector.js';

/** Empties the projections and feeds them every event of the stream again (`read` is e.g. replayStream). */
export async function rebuildProjections<R>(
  store: ProjectionStore,
  projector: Projector,
  read: (handle: (event: CloudEvent) => Promise<unknown>) => Promise<R>,
): Promise<R> {
  await store.clear();
  return read((event) => projector.handle(event));
}
