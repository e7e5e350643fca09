import { EventCatalog } from '../catalog.js';
import { deploymentEvents } from './deployment.js';
import { gatesEvents } from './gates.js';
import { planningEvents, planningServiceEvents } from './planning.js';

export * from './planning.js';
export * from './gates.js';
export * from './deployment.js';

/** The platform's catalog: every service adds its file under catalog/ and its list here. */
export const eventCatalog = new EventCatalog([...planningEvents, ...planningServiceEvents, ...gatesEvents, ...deploymentEvents]);
