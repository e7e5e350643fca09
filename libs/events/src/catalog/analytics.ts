import { z } from 'zod';
import { defineEvent } from '../catalog.js';

const timestamp = z.iso.datetime({ offset: true });

/** An incident was opened: by an Alertmanager alert that started firing, or by a person through the API. */
export const incidentOpened = defineEvent({
  type: 'flightdeck.analytics.incident.opened',
  version: 1,
  schema: z.object({
    incidentId: z.string().min(1),
    title: z.string().min(1),
    /** critical, warning or info (Alertmanager's `severity` label); critical ones count against a release's quality. */
    severity: z.enum(['critical', 'warning', 'info']),
    source: z.enum(['alertmanager', 'api']),
    product: z.string().min(1).optional(),
    /** The Kubernetes workload the alert is about, as namespace/name. */
    workload: z.string().min(1).optional(),
    /** Set when the reporter named the rollout; otherwise analytics links the rollout live for the workload at openedAt. */
    rolloutId: z.string().min(1).optional(),
    openedAt: timestamp,
    by: z.string().min(1),
  }),
});

/** An incident was resolved: its alert stopped firing, or a person closed it. */
export const incidentResolved = defineEvent({
  type: 'flightdeck.analytics.incident.resolved',
  version: 1,
  schema: z.object({
    incidentId: z.string().min(1),
    resolvedAt: timestamp,
    by: z.string().min(1),
    resolution: z.string().optional(),
  }),
});

/** A release's retrospective was closed, with what it decided. */
export const retrospectiveCompleted = defineEvent({
  type: 'flightdeck.analytics.retrospective.completed',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    retrospectiveId: z.string().min(1),
    items: z.number().int().nonnegative(),
    actionItems: z.array(
      z.object({ id: z.string().min(1), title: z.string().min(1), owner: z.string().min(1), dueDate: timestamp }),
    ),
    completedAt: timestamp,
    by: z.string().min(1),
  }),
});

export const analyticsEvents = [incidentOpened, incidentResolved, retrospectiveCompleted];
