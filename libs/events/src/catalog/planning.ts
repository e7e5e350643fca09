import { z } from 'zod';
import { defineEvent } from '../catalog.js';

const releaseType = z.enum(['MAJOR', 'MINOR', 'PATCH', 'HOTFIX']);
const releaseStatus = z.enum(['PLANNED', 'IN_PROGRESS', 'FEATURE_COMPLETE', 'CODE_FREEZE', 'ALPHA', 'BETA', 'RELEASE_CANDIDATE', 'RELEASED', 'CANCELLED']);

export const releaseCreated = defineEvent({
  type: 'flightdeck.planning.release.created',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    name: z.string().min(1),
    version: z.string().min(1),
    releaseType,
    targetDate: z.iso.datetime({ offset: true }).optional(),
    createdBy: z.string().min(1).optional(),
  }),
});

export const releaseStatusChanged = defineEvent({
  type: 'flightdeck.planning.release.status_changed',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    from: releaseStatus,
    to: releaseStatus,
    reason: z.string().optional(),
  }),
});

export const featureChanged = defineEvent({
  type: 'flightdeck.planning.feature.changed',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    featureId: z.string().min(1),
    title: z.string().min(1),
    status: z.enum(['TODO', 'IN_PROGRESS', 'DONE', 'DROPPED']),
    priority: z.enum(['P0', 'P1', 'P2', 'P3']).optional(),
    storyPoints: z.number().nonnegative().optional(),
  }),
});

export const planningEvents = [releaseCreated, releaseStatusChanged, featureChanged];
