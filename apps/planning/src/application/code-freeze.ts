import { NotFoundError, RuleError } from '@flightdeck/kernel';
import {
  approveFreezeException,
  decideChange,
  tickFreezeItem,
  type ChangeRequest,
  type FreezeDecision,
} from '../domain/code-freeze.js';
import { attribution } from '../domain/release.js';
import { freezeExceptionEvent } from './events.js';
import type { RequestMeta, StoredRelease } from './ports.js';
import type { ReleasePlanning } from './release-planning.js';

/** The role that may let a change in during the freeze. */
export const FREEZE_APPROVER_ROLE = 'RELEASE_MANAGER';

const MAX_CHANGE_ID = 300;

export interface FreezeAnswer extends FreezeDecision {
  change: ChangeRequest;
  stored: StoredRelease;
  /** Who may let a refused change in: the role, and the release's owner. */
  approvers: string[];
}

function checkChangeId(id: string, field: string): string {
  const trimmed = id.trim();
  if (!trimmed)
    throw new RuleError(
      `${field} must name the change: a commit id, or a pull/merge request such as github:acme/shop#42`,
      field,
    );
  if (trimmed.length > MAX_CHANGE_ID)
    throw new RuleError(`${field} is ${trimmed.length} characters; a change id has at most ${MAX_CHANGE_ID}`, field);
  return trimmed;
}

/** Code-freeze enforcement: whether a change may land in a release now, and the release manager's exceptions. */
export class CodeFreeze {
  constructor(private readonly planning: ReleasePlanning) {}

  /** A release by its id, or as product@version. */
  async resolve(ref: string): Promise<StoredRelease> {
    const trimmed = ref.trim();
    if (!trimmed) throw new RuleError('release must be the release id or product@version, e.g. shop@2.4.0', 'release');
    const byId = await this.planning.find(trimmed);
    if (byId) return byId;
    const at = trimmed.lastIndexOf('@');
    if (at > 0 && at < trimmed.length - 1) {
      const stored = await this.planning.byVersion(trimmed.slice(0, at), trimmed.slice(at + 1));
      if (stored) return stored;
      throw new NotFoundError(
        `release ${trimmed} does not exist (no release ${trimmed.slice(at + 1)} of product ${trimmed.slice(0, at)})`,
      );
    }
    throw new NotFoundError(`release ${trimmed} does not exist; give its id or product@version, e.g. shop@2.4.0`);
  }

  async decide(releaseRef: string, changeId: string, critical: boolean): Promise<FreezeAnswer> {
    const change: ChangeRequest = { id: checkChangeId(changeId, 'change'), critical };
    const stored = await this.resolve(releaseRef);
    return this.decideFor(stored, change);
  }

  /** The decision for a change already read (from a Git host's webhook). */
  decideFor(stored: StoredRelease, change: ChangeRequest): FreezeAnswer {
    const r = stored.release;
    return {
      ...decideChange(r, change),
      change,
      stored,
      approvers: [`a ${FREEZE_APPROVER_ROLE}`, ...(r.owner ? [`the release owner ${r.owner}`] : [])],
    };
  }

  /** Records the exception in the release and its event in the outbox, in one write. */
  approve(
    meta: RequestMeta,
    releaseId: string,
    changeId: string,
    reason: string,
    expectedRevision?: number,
  ): Promise<StoredRelease> {
    const id = checkChangeId(changeId, 'change');
    return this.planning.change(releaseId, expectedRevision, (r, now) => {
      const release = approveFreezeException(r, id, reason, { ...attribution(meta), at: now });
      const exception = release.freeze!.exceptions.find((e) => e.changeId === id)!;
      return { release, events: [freezeExceptionEvent(release, exception, meta)] };
    });
  }

  /** Ticks one item of the code-freeze checklist with its evidence (again: the evidence is replaced). */
  tick(
    meta: RequestMeta,
    releaseId: string,
    itemId: string,
    evidence: string,
    expectedRevision?: number,
  ): Promise<StoredRelease> {
    return this.planning.change(releaseId, expectedRevision, (r, now) => ({
      release: tickFreezeItem(r, itemId.trim(), evidence, { ...attribution(meta), at: now }),
      events: [],
    }));
  }
}
