import { EventCatalog } from '../catalog.js';
import { analyticsEvents } from './analytics.js';
import { deploymentEvents } from './deployment.js';
import { gatesEvents } from './gates.js';
import { planningEvents, planningServiceEvents } from './planning.js';
import { releaseRolloutEvents } from './release-rollout.js';

export * from './planning.js';
export * from './gates.js';
export * from './deployment.js';
export * from './analytics.js';
export * from './release-rollout.js';

/** The platform's catalog: every service adds its file under catalog/ and its list here. */
export const eventCatalog = new EventCatalog([
  ...planningEvents,
  ...planningServiceEvents,
  ...gatesEvents,
  ...deploymentEvents,
  ...analyticsEvents,
  ...releaseRolloutEvents,
]);
