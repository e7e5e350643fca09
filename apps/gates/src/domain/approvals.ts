import { ForbiddenError, type Role, RuleError } from '@flightdeck/kernel';
import type { ApprovalRequirement } from './criteria.js';
import type { GateDefinition } from './gate-definition.js';

export interface Approval {
  id: string;
  /** The approver's subject: the identity key every rule compares. */
  by: string;
  /** The approver's display name, for display only. */
  byName?: string;
  role: Role;
  comment: string;
  at: Date;
  withdrawnAt?: Date;
  withdrawnReason?: string;
}

export interface Approver {
  subject: string;
  name?: string;
  roles: Role[];
  machine: boolean;
}

export interface ApprovalStatus {
  role: Role;
  required: number;
  /** Who approved for this role and still does: their subjects. */
  approvedBy: string[];
  /** Their display names, in the same order. */
  approvedByNames: string[];
  satisfied: boolean;
}

export interface ApprovalsOutcome {
  statuses: ApprovalStatus[];
  complete: boolean;
  /** Sentences saying what is still missing. */
  pending: string[];
}

export const active = (a: Approval) => a.withdrawnAt === undefined;

/**
 * Decides which role an approval is for and checks the caller may give it: a person (never CI or
 * another machine identity) holding that role, which the gate requires, not having approved for it yet.
 */
export function checkApproval(
  def: GateDefinition,
  approvals: Approval[],
  who: Approver,
  role: Role | undefined,
  passedAt: Date | undefined,
): Role {
  if (who.machine || who.roles.includes('CI')) {
    throw new ForbiddenError(
      `${who.subject} is a machine identity (CI): it may submit evidence but never approve a gate`,
    );
  }
  if (passedAt)
    throw new RuleError(
      `the ${def.name} gate passed at ${passedAt.toISOString()}; approvals are final once a gate has passed`,
    );
  const required = def.approvals.map((a) => a.role);
  if (required.length === 0) throw new RuleError(`the ${def.name} gate of ${def.product} needs no approvals`);
  const chosen =
    role ??
    required.find(
      (r) => who.roles.includes(r) && !approvals.some((a) => active(a) && a.by === who.subject && a.role === r),
    );
  if (!chosen) {
    throw new ForbiddenError(
      `${who.subject} holds ${who.roles.join(', ') || 'no roles'}, none of which the ${def.name} gate still needs an approval from (it needs ${required.join(', ')})`,
    );
  }
  if (!required.includes(chosen))
    throw new RuleError(
      `the ${def.name} gate needs no approval from ${chosen}; it needs ${required.join(', ')}`,
      'role',
    );
  if (!who.roles.includes(chosen))
    throw new ForbiddenError(`${who.subject} does not hold the role ${chosen} and cannot approve as it`);
  if (approvals.some((a) => active(a) && a.by === who.subject && a.role === chosen)) {
    throw new RuleError(`${who.subject} has already approved the ${def.name} gate as ${chosen}`);
  }
  return chosen;
}

/**
 * Counts the active approvals against the gate's requirements. One person counts once per role. With
 * four-eyes, the release's requester cannot be the only approver: at least one other person must approve.
 * People are told apart by subject only (`requester` is the subject planning recorded), never by display name.
 */
export function approvalsOutcome(
  requirements: ApprovalRequirement[],
  approvals: Approval[],
  fourEyes: boolean,
  requester: string | undefined,
): ApprovalsOutcome {
  const live = approvals.filter(active);
  const names = new Map(live.map((a) => [a.by, a.byName ?? a.by]));
  const statuses = requirements.map((req) => {
    const approvedBy = [...new Set(live.filter((a) => a.role === req.role).map((a) => a.by))];
    return {
      role: req.role,
      required: req.count,
      approvedBy,
      approvedByNames: approvedBy.map((s) => names.get(s) ?? s),
      satisfied: approvedBy.length >= req.count,
    };
  });
  const pending = statuses
    .filter((s) => !s.satisfied)
    .map(
      (s) =>
        `${s.required - s.approvedBy.length} more approval${s.required - s.approvedBy.length > 1 ? 's' : ''} from ${s.role} (${s.approvedBy.length} of ${s.required})`,
    );
  if (fourEyes && requester && requirements.length > 0) {
    const people = new Set(live.map((a) => a.by));
    if (people.size > 0 && [...people].every((p) => p === requester)) {
      pending.push(
        `four-eyes: ${names.get(requester) ?? requester} requested the release and cannot be its only approver; another person must approve`,
      );
    }
  }
  return { statuses, complete: pending.length === 0, pending };
}
