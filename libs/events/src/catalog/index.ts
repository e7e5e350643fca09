import { EventCatalog } from '../catalog.js';
import { planningEvents } from './planning.js';

export * from './planning.js';

/** The platform's catalog: every service adds its file under catalog/ and its list here. */
export const eventCatalog = new EventCatalog([...planningEvents]);
