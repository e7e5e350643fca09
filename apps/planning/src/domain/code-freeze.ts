import { RuleError } from '@flightdeck/kernel';
import type { ReleaseStatus } from './lifecycle.js';
import type { FreezeException, FreezeRecord, FreezeTick } from './freeze-record.js';
import type { Actor, Release } from './release.js';

export type { FreezeException, FreezeRecord, FreezeTick };

export type FreezePhase = 'PRE_FREEZE' | 'FREEZE' | 'STABILISATION';

/** The code-freeze checklist of the release process, every item, by phase (pre-freeze is the 48 h before the freeze). */
export const FREEZE_CHECKLIST: { id: string; phase: FreezePhase; title: string }[] = [
  { id: 'features-merged', phase: 'PRE_FREEZE', title: 'All planned features merged to the main branch' },
  { id: 'feature-flags', phase: 'PRE_FREEZE', title: 'Incomplete features hidden behind feature flags' },
  { id: 'migrations-tested', phase: 'PRE_FREEZE', title: 'Database migrations tested' },
  { id: 'api-docs', phase: 'PRE_FREEZE', title: 'API documentation updated' },
  { id: 'dependencies-scanned', phase: 'PRE_FREEZE', title: 'Dependencies updated and security-scanned' },
  { id: 'benchmarks-baseline', phase: 'PRE_FREEZE', title: 'Performance benchmarks established' },
  { id: 'branch-created', phase: 'FREEZE', title: 'Release branch created' },
  { id: 'branch-protected', phase: 'FREEZE', title: 'Branch protection rules enabled on the release branch' },
  { id: 'pipeline-configured', phase: 'FREEZE', title: 'CI/CD pipeline configured for the release branch' },
  { id: 'team-notified', phase: 'FREEZE', title: 'Team notified of the code freeze' },
  {
    id: 'exception-process',
    phase: 'FREEZE',
    title: 'Exception process communicated (critical fixes only, release manager approval)',
  },
  { id: 'bug-fixes-only', phase: 'STABILISATION', title: 'Only bug fixes go in' },
  { id: 'changes-approved', phase: 'STABILISATION', title: 'Every change approved by the release manager' },
  { id: 'daily-builds', phase: 'STABILISATION', title: 'Daily build and test runs' },
  { id: 'regression-tests', phase: 'STABILISATION', title: 'Regression testing done' },
  { id: 'performance-tests', phase: 'STABILISATION', title: 'Performance testing done' },
];

/** The statuses in which the code is frozen: from the code freeze until the release. */
export const FROZEN_STATUSES: readonly ReleaseStatus[] = ['CODE_FREEZE', 'ALPHA', 'BETA', 'RELEASE_CANDIDATE'];

export interface ChangeRequest {
  /** A commit id, or a pull/merge request named by its host, e.g. github:acme/shop#42. */
  id: string;
  critical: boolean;
  title?: string;
}

export interface FreezeDecision {
  allowed: boolean;
  frozen: boolean;
  /** One sentence for the pipeline's log. */
  reason: string;
  exception?: FreezeException;
}

/** Whether a change may go in now: always outside the freeze; during it a critical change, or one the release manager let in. */
export function decideChange(
  r: Pick<Release, 'product' | 'version' | 'status' | 'freeze'>,
  change: ChangeRequest,
): FreezeDecision {
  const name = `${r.product} ${r.version}`;
  if (!FROZEN_STATUSES.includes(r.status))
    return { allowed: true, frozen: false, reason: `${name} is ${r.status}: the code is not frozen` };
  if (change.critical)
    return {
      allowed: true,
      frozen: true,
      reason: `${name} is frozen (${r.status}); ${change.id} is marked critical and may go in`,
    };
  const exception = r.freeze?.exceptions.find((e) => e.changeId === change.id);
  if (exception)
    return {
      allowed: true,
      frozen: true,
      reason: `${name} is frozen (${r.status}); ${change.id} was let in by ${exception.byName ?? exception.by}: ${exception.reason}`,
      exception,
    };
  return {
    allowed: false,
    frozen: true,
    reason: `${name} is frozen (${r.status}): ${change.id} is not critical and no release manager let it in (approveFreezeException)`,
  };
}

function record(r: Release): FreezeRecord {
  return r.freeze ?? { ticks: [], exceptions: [] };
}

/** The release manager lets one change in during the freeze; the reason is kept with who and when. */
export function approveFreezeException(r: Release, changeId: string, reason: string, actor: Actor): Release {
  if (!FROZEN_STATUSES.includes(r.status))
    throw new RuleError(
      `${r.product} ${r.version} is ${r.status}: there is no freeze to make an exception to`,
      'release',
    );
  if (!changeId.trim()) throw new RuleError('changeId must name the commit or the pull/merge request', 'changeId');
  if (!reason.trim()) throw new RuleError('reason: say why this change must go in during the freeze', 'reason');
  const f = record(r);
  if (f.exceptions.length >= 500) throw new RuleError('a freeze holds at most 500 exceptions', 'changeId');
  const exception: FreezeException = {
    changeId: changeId.trim(),
    reason: reason.trim(),
    by: actor.by,
    ...(actor.byName ? { byName: actor.byName } : {}),
    at: actor.at,
  };
  return {
    ...r,
    freeze: { ...f, exceptions: [...f.exceptions.filter((e) => e.changeId !== exception.changeId), exception] },
    updatedAt: actor.at,
  };
}

/** The longest evidence text a tick keeps. */
export const MAX_EVIDENCE = 2000;

/** Ticks one checklist item with its evidence (ticking it again replaces the evidence). */
export function tickFreezeItem(r: Release, itemId: string, evidence: string, actor: Actor): Release {
  const item = FREEZE_CHECKLIST.find((i) => i.id === itemId);
  if (!item)
    throw new RuleError(
      `itemId "${itemId}" is not on the code-freeze checklist; it has: ${FREEZE_CHECKLIST.map((i) => i.id).join(', ')}`,
      'itemId',
    );
  if (!evidence.trim()) throw new RuleError('evidence: give a link or a sentence showing the item is done', 'evidence');
  if (evidence.trim().length > MAX_EVIDENCE)
    throw new RuleError(
      `evidence is ${evidence.trim().length} characters; give at most ${MAX_EVIDENCE} (a link to the rest)`,
      'evidence',
    );
  if (['RELEASED', 'CLOSED', 'CANCELLED'].includes(r.status))
    throw new RuleError(`${r.product} ${r.version} is ${r.status}; its checklist can no longer change`, 'release');
  const f = record(r);
  const tick: FreezeTick = {
    itemId,
    evidence: evidence.trim(),
    by: actor.by,
    ...(actor.byName ? { byName: actor.byName } : {}),
    at: actor.at,
  };
  return { ...r, freeze: { ...f, ticks: [...f.ticks.filter((t) => t.itemId !== itemId), tick] }, updatedAt: actor.at };
}

/** The checklist with each item's tick, for the API and the documents. */
export function freezeChecklist(
  r: Pick<Release, 'freeze'>,
): ({ id: string; phase: FreezePhase; title: string } & { tick?: FreezeTick })[] {
  return FREEZE_CHECKLIST.map((i) => {
    const tick = r.freeze?.ticks.find((t) => t.itemId === i.id);
    return tick ? { ...i, tick } : { ...i };
  });
}
