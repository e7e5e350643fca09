import { z } from 'zod';
import { defineEvent } from '../catalog.js';

const releaseType = z.enum(['MAJOR', 'MINOR', 'PATCH', 'HOTFIX']);
const releaseStatus = z.enum([
  'PLANNED',
  'IN_PROGRESS',
  'FEATURE_COMPLETE',
  'CODE_FREEZE',
  'ALPHA',
  'BETA',
  'RELEASE_CANDIDATE',
  'RELEASED',
  'CANCELLED',
]);

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

// Planning service events, version 2 onwards: the service's real lifecycle and payloads.
const lifecycleStatus = z.enum([
  'PLANNING',
  'IN_DEVELOPMENT',
  'FEATURE_COMPLETE',
  'CODE_FREEZE',
  'ALPHA',
  'BETA',
  'RELEASE_CANDIDATE',
  'RELEASED',
  'CLOSED',
  'CANCELLED',
]);
const featureStatus = z.enum(['TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE', 'DROPPED']);
const timestamp = z.iso.datetime({ offset: true });

export const releaseCreatedV2 = defineEvent({
  type: 'flightdeck.planning.release.created',
  version: 2,
  schema: z.object({
    releaseId: z.string().min(1),
    product: z.string().min(1),
    version: z.string().min(1),
    releaseType,
    theme: z.string(),
    owner: z.string(),
    targetDate: timestamp,
    createdBy: z.string().min(1),
    baseVersion: z.string().optional(),
    hotfixReason: z.string().optional(),
  }),
});

export const releaseStatusChangedV2 = defineEvent({
  type: 'flightdeck.planning.release.status_changed',
  version: 2,
  schema: z.object({
    releaseId: z.string().min(1),
    product: z.string().min(1),
    version: z.string().min(1),
    releaseType,
    from: lifecycleStatus,
    to: lifecycleStatus,
    by: z.string().min(1),
    at: timestamp,
    reason: z.string(),
  }),
});

export const releaseScopeChanged = defineEvent({
  type: 'flightdeck.planning.release.scope_changed',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    kind: z.enum(['ADDED', 'UPDATED', 'REMOVED', 'STATUS_CHANGED']),
    featureId: z.string().min(1),
    title: z.string().min(1),
    fields: z.array(z.string()),
    by: z.string().min(1),
    at: timestamp,
    reason: z.string().optional(),
    /** Scope after the change: features and story points in scope. */
    featureCount: z.number().int().nonnegative(),
    totalPoints: z.number().nonnegative(),
  }),
});

export const featureStatusChanged = defineEvent({
  type: 'flightdeck.planning.feature.status_changed',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    featureId: z.string().min(1),
    title: z.string().min(1),
    from: featureStatus,
    to: featureStatus,
    effort: z.number().nonnegative(),
    by: z.string().min(1),
    at: timestamp,
  }),
});

export const timelineForecasted = defineEvent({
  type: 'flightdeck.planning.timeline.forecasted',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    targetDate: timestamp,
    featureComplete: timestamp,
    p50: timestamp,
    p85: timestamp,
    p95: timestamp,
    probabilityOnTime: z.number().min(0).max(1),
    remainingPoints: z.number().nonnegative(),
    runs: z.number().int().positive(),
    basis: z.enum(['HISTORY', 'PLANNED_VELOCITY']),
    /** The prediction the forecast was recorded as, for measuring its accuracy later. */
    predictionId: z.string().optional(),
    /** Who answered the timeline-risk advice given with the forecast: the AI or the deterministic baseline. */
    adviceSource: z.enum(['ai', 'deterministic']).optional(),
    /** Whether that advice named a risk of HIGH likelihood: its prediction that the date slips. */
    adviceFlagsSlip: z.boolean().optional(),
  }),
});

/** The scope a prioritisation advice proposed, so its accuracy can be measured against what was delivered. */
export const scopeRecommended = defineEvent({
  type: 'flightdeck.planning.scope.recommended',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    product: z.string().min(1),
    /** Who proposed it: the AI, or the deterministic baseline when no AI answered. */
    source: z.enum(['ai', 'deterministic']),
    /** The prediction the advice was recorded as. */
    predictionId: z.string().min(1),
    /** Feature ids proposed for the release, in the proposed order. */
    recommended: z.array(z.string().min(1)),
    /** The release's other feature ids. */
    leftOut: z.array(z.string().min(1)),
    /** Story points the proposal was made for. */
    capacity: z.number().nonnegative(),
    at: timestamp,
  }),
});

/**
 * A progress assessment of a release: its chance to make feature complete by the date the timeline gives, so analytics
 * can score it against when the release actually reached feature complete.
 */
export const progressAssessed = defineEvent({
  type: 'flightdeck.planning.progress.assessed',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    product: z.string().min(1),
    /** The feature-complete date the chance is about. */
    featureCompleteBy: timestamp,
    probabilityOnTime: z.number().min(0).max(1),
    /** Who answered: the AI, or the deterministic baseline when no AI answered. */
    source: z.enum(['ai', 'deterministic']),
    /** The prediction the assessment was recorded as. */
    predictionId: z.string().min(1),
    at: timestamp,
  }),
});

/** A release manager let one change into a release during its code freeze; kept with who and why for the audit. */
export const freezeExceptionApproved = defineEvent({
  type: 'flightdeck.planning.freeze.exception_approved',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    product: z.string().min(1),
    version: z.string().min(1),
    /** The release's status when the exception was made (one of the frozen ones). */
    status: z.string().min(1),
    /** A commit id, or a pull/merge request named by its host, e.g. github:acme/shop#42. */
    changeId: z.string().min(1),
    reason: z.string().min(1),
    by: z.string().min(1),
    at: timestamp,
  }),
});

/** What the planning service publishes (registered next to the version-1 list above). */
export const planningServiceEvents = [
  releaseCreatedV2,
  releaseStatusChangedV2,
  releaseScopeChanged,
  featureStatusChanged,
  timelineForecasted,
  scopeRecommended,
  freezeExceptionApproved,
  progressAssessed,
];
