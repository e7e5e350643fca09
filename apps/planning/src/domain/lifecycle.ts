import { RuleError } from '@flightdeck/kernel';
import type { ReleaseType } from './release-type.js';

export const RELEASE_STATUSES = [
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
] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export const GATE_KINDS = ['FEATURE_COMPLETE', 'ALPHA', 'BETA', 'PRODUCTION'] as const;
export type GateKind = (typeof GATE_KINDS)[number];
export type GateOutcome = 'PASS' | 'FAIL' | 'CONDITIONAL';

/** What planning knows about a release's gates and rollouts, learned from the other services' events. */
export interface ReleaseSignals {
  /** The latest outcome of each gate evaluated for this release. */
  gates: Partial<Record<string, GateOutcome>>;
  /** A production rollout of this release completed successfully and was not rolled back since. */
  productionRolloutSucceeded: boolean;
}

export interface StatusTransition {
  from: ReleaseStatus;
  to: ReleaseStatus;
  /** The subject of whoever moved the release (or the service that did); `byName` is their display name. */
  by: string;
  byName?: string;
  at: Date;
  reason: string;
}

/**
 * The development window: from planning until the Feature Complete gate lets the release into code freeze (a
 * hotfix, which has no feature complete, until its release candidate).
 */
export const DEVELOPMENT_STATUSES: ReleaseStatus[] = ['PLANNING', 'IN_DEVELOPMENT', 'FEATURE_COMPLETE'];

const OPEN_END: ReleaseStatus[] = ['RELEASED', 'CLOSED', 'CANCELLED'];

/** The regular path; a hotfix skips the alpha and beta stages (minimal tests, docs/ARCHITECTURE.md, "Hotfix"). */
export function pathFor(type: ReleaseType): ReleaseStatus[] {
  if (type === 'HOTFIX') return ['PLANNING', 'IN_DEVELOPMENT', 'RELEASE_CANDIDATE', 'RELEASED', 'CLOSED'];
  return [
    'PLANNING',
    'IN_DEVELOPMENT',
    'FEATURE_COMPLETE',
    'CODE_FREEZE',
    'ALPHA',
    'BETA',
    'RELEASE_CANDIDATE',
    'RELEASED',
    'CLOSED',
  ];
}

/** The gate that must have passed to move past a status (leaving FEATURE_COMPLETE needs the Feature Complete gate…). */
export function gateToLeave(status: ReleaseStatus, type: ReleaseType): GateKind | undefined {
  if (type === 'HOTFIX') return status === 'RELEASE_CANDIDATE' ? 'PRODUCTION' : undefined;
  switch (status) {
    case 'FEATURE_COMPLETE':
      return 'FEATURE_COMPLETE';
    case 'ALPHA':
      return 'ALPHA';
    case 'BETA':
      return 'BETA';
    case 'RELEASE_CANDIDATE':
      return 'PRODUCTION';
    default:
      return undefined;
  }
}

export function isOpen(status: ReleaseStatus): boolean {
  return !OPEN_END.includes(status);
}

export function allowedNext(status: ReleaseStatus, type: ReleaseType): ReleaseStatus[] {
  const path = pathFor(type);
  const i = path.indexOf(status);
  const next: ReleaseStatus[] = i >= 0 && i < path.length - 1 ? [path[i + 1]!] : [];
  if (isOpen(status)) next.push('CANCELLED');
  return next;
}

function passed(outcome: GateOutcome | undefined): boolean {
  return outcome === 'PASS' || outcome === 'CONDITIONAL';
}

/**
 * Checks one status change against the lifecycle and its gates and returns the record to keep.
 * Gates count as passed on PASS or CONDITIONAL (the conditions are tracked by the gates service).
 */
export function transition(
  current: { status: ReleaseStatus; type: ReleaseType },
  to: ReleaseStatus,
  signals: ReleaseSignals,
  who: { by: string; byName?: string; at: Date; reason: string },
): StatusTransition {
  const allowed = allowedNext(current.status, current.type);
  if (!allowed.includes(to)) {
    const options = allowed.length ? allowed.join(' or ') : 'nothing (the release is finished)';
    throw new RuleError(
      `a ${current.type} release in ${current.status} cannot move to ${to}; it can move to ${options}`,
      'to',
    );
  }
  if (to === 'CANCELLED' && who.reason.trim().length === 0) {
    throw new RuleError('cancelling a release needs a reason', 'reason');
  }
  if (to !== 'CANCELLED') {
    const gate = gateToLeave(current.status, current.type);
    if (gate && !passed(signals.gates[gate])) {
      const seen = signals.gates[gate];
      throw new RuleError(
        `moving from ${current.status} to ${to} needs the ${gate} gate to have passed; it ${seen ? `was last evaluated ${seen}` : 'has not been evaluated yet'}`,
        'to',
      );
    }
    if (to === 'RELEASED' && !signals.productionRolloutSucceeded) {
      throw new RuleError(
        'RELEASED follows a successful production rollout, and none has been reported for this release yet',
        'to',
      );
    }
  }
  return {
    from: current.status,
    to,
    by: who.by,
    ...(who.byName ? { byName: who.byName } : {}),
    at: who.at,
    reason: who.reason.trim(),
  };
}
