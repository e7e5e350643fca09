import { canonicalJson, clone, deepEqual, isPlainObject, type KubeObject } from '../api/types.js';
import { scaledValue } from '../kinds/validation.js';

/** Helpers the deployment controller shares with Kubernetes' deployment/util package. */

export const annotations = {
  revision: 'deployment.kubernetes.io/revision',
  revisionHistory: 'deployment.kubernetes.io/revision-history',
  desiredReplicas: 'deployment.kubernetes.io/desired-replicas',
  maxReplicas: 'deployment.kubernetes.io/max-replicas',
  lastApplied: 'kubectl.kubernetes.io/last-applied-configuration',
} as const;

export const templateHashLabel = 'pod-template-hash';

type Rec = Record<string, unknown>;
export const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
export const num = (v: unknown, fallback = 0): number => (typeof v === 'number' ? v : fallback);

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The pod-template-hash: FNV-32a of the template (and collision count), spelled in Kubernetes' safe alphabet. */
export function templateHash(template: unknown, collisionCount?: number): string {
  const digits = String(fnv32a(canonicalJson(template) + (collisionCount !== undefined ? String(collisionCount) : '')));
  return [...digits].map((d) => safeAlphabet[d.charCodeAt(0) % safeAlphabet.length]).join('');
}

function withoutHash(template: unknown): unknown {
  const t = clone(rec(template));
  const labels = rec(rec(t.metadata).labels);
  delete labels[templateHashLabel];
  return t;
}

export function equalIgnoringHash(a: unknown, b: unknown): boolean {
  return deepEqual(withoutHash(a), withoutHash(b));
}

export function revisionOf(obj: KubeObject): number {
  const r = Number(obj.metadata.annotations?.[annotations.revision] ?? 0);
  return Number.isFinite(r) ? r : 0;
}

export function replicasOf(rs: KubeObject): number {
  return num(rec(rs.spec).replicas);
}

export function statusCount(rs: KubeObject, field: string): number {
  return num(rec(rs.status)[field]);
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return !!obj.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid);
}

export function isRollingUpdate(d: KubeObject): boolean {
  return rec(rec(d.spec).strategy).type !== 'Recreate';
}

/** maxSurge and maxUnavailable resolved against spec.replicas (surge rounds up, unavailable down, never both 0). */
export function fenceposts(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const replicas = num(rec(d.spec).replicas, 1);
  if (!isRollingUpdate(d)) return { maxSurge: 0, maxUnavailable: 0 };
  const ru = rec(rec(rec(d.spec).strategy).rollingUpdate);
  const maxSurge = scaledValue(ru.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = scaledValue(ru.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: replicas === 0 ? 0 : Math.min(maxUnavailable, replicas) };
}

export function getCondition(status: Rec, type: string): Condition | undefined {
  return (Array.isArray(status.conditions) ? (status.conditions as Condition[]) : []).find((c) => c.type === type);
}

/** SetDeploymentCondition: same status and reason changes nothing; same status keeps lastTransitionTime. */
export function setCondition(status: Rec, next: Condition): void {
  const current = getCondition(status, next.type);
  if (current && current.status === next.status && current.reason === next.reason) return;
  if (current && current.status === next.status) next.lastTransitionTime = current.lastTransitionTime;
  removeCondition(status, next.type);
  status.conditions = [...((status.conditions as Condition[] | undefined) ?? []), next];
}

export function removeCondition(status: Rec, type: string): void {
  status.conditions = ((status.conditions as Condition[] | undefined) ?? []).filter((c) => c.type !== type);
}

export function condition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  now: string,
): Condition {
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}
