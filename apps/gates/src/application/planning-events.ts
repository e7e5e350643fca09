import {
  featureChanged,
  featureStatusChanged,
  releaseCreated,
  releaseCreatedV2,
  releaseScopeChanged,
  releaseStatusChanged,
  releaseStatusChangedV2,
  type CloudEvent,
} from '@flightdeck/events';
import type { GatesStore, ReleaseChange } from './ports.js';

/** The planning events gates keeps its release projection from. */
export const CONSUMED_EVENT_TYPES = [
  ...new Set([
    releaseCreatedV2.type,
    releaseStatusChangedV2.type,
    releaseScopeChanged.type,
    featureStatusChanged.type,
    featureChanged.type,
  ]),
];

function changeOf(event: CloudEvent): { releaseId: string; change: ReleaseChange } | undefined {
  if (releaseCreatedV2.is(event)) {
    const d = event.data;
    return {
      releaseId: d.releaseId,
      change: {
        kind: 'created',
        release: {
          id: d.releaseId,
          product: d.product,
          version: d.version,
          type: d.releaseType,
          requestedBy: d.createdBy,
          status: 'PLANNING',
        },
      },
    };
  }
  if (releaseCreated.is(event)) {
    const d = event.data;
    return {
      releaseId: d.releaseId,
      change: {
        kind: 'created',
        release: {
          id: d.releaseId,
          product: d.name,
          version: d.version,
          type: d.releaseType,
          ...(d.createdBy ? { requestedBy: d.createdBy } : {}),
          status: 'PLANNED',
        },
      },
    };
  }
  if (releaseStatusChangedV2.is(event) || releaseStatusChanged.is(event))
    return { releaseId: event.data.releaseId, change: { kind: 'status', status: event.data.to } };
  if (releaseScopeChanged.is(event)) {
    const d = event.data;
    if (d.kind === 'REMOVED')
      return {
        releaseId: d.releaseId,
        change: { kind: 'feature', featureId: d.featureId, title: d.title, removed: true },
      };
    if (d.kind === 'ADDED')
      return {
        releaseId: d.releaseId,
        change: { kind: 'feature', featureId: d.featureId, title: d.title, status: 'TODO' },
      };
    return { releaseId: d.releaseId, change: { kind: 'feature', featureId: d.featureId, title: d.title } };
  }
  if (featureStatusChanged.is(event) || featureChanged.is(event)) {
    const d = event.data;
    return {
      releaseId: d.releaseId,
      change: { kind: 'feature', featureId: d.featureId, title: d.title, status: 'to' in d ? d.to : d.status },
    };
  }
  return undefined;
}

/**
 * Applies a planning event to the projection; a redelivered event changes nothing twice. A scope change
 * that was applied is handed to `onScopeChanged` (gates re-evaluates its scope criteria).
 */
export async function applyPlanningEvent(
  store: GatesStore,
  event: CloudEvent,
  onScopeChanged?: (releaseId: string, why: string) => Promise<unknown>,
): Promise<'applied' | 'duplicate' | 'ignored'> {
  const c = changeOf(event);
  if (!c) return 'ignored';
  const result = await store.applyToRelease(event.id, c.releaseId, c.change);
  if (result === 'applied' && c.change.kind === 'feature' && onScopeChanged) {
    const what = c.change.removed ? 'removed from the scope' : c.change.status ? `now ${c.change.status}` : 'changed';
    await onScopeChanged(c.releaseId, `planning: feature "${c.change.title}" ${what}`);
  }
  return result;
}
