import type { Audience } from './communication-plan.js';

/**
 * Who approves a gate, by the audience of the communication plan they belong to: business sign-offs (the product
 * owner, the release manager, any custom role) are management's, the technical lead's the development team's, the
 * QA lead's QA's.
 */
export const APPROVER_AUDIENCE: Record<string, Audience> = {
  PRODUCT_OWNER: 'MANAGEMENT',
  RELEASE_MANAGER: 'MANAGEMENT',
  TECHNICAL_LEAD: 'DEVELOPMENT_TEAM',
  QA_LEAD: 'QA',
};

export const approverAudience = (role: string): Audience => APPROVER_AUDIENCE[role] ?? 'MANAGEMENT';

// The reasons gates gives a gate evaluation (apps/gates/src/domain/approvals.ts, pinned by its tests), e.g.
// "approval pending: 1 more approval from TECHNICAL_LEAD (0 of 1)" or "approval pending: four-eyes: …".
const PENDING = 'approval pending: ';
const ROLE = /^approval pending: \d+ more approvals? from (\S+) \(/;

/**
 * The roles whose approval a gate still waits for, when approvals are all that keep it from passing: a CONDITIONAL
 * outcome whose every reason is a pending approval. Undefined otherwise (a passed gate, a failed or warned criterion).
 * A four-eyes reason alone names no role: then the roles list is empty.
 */
export function waitingOnApprovals(outcome: string, reasons: readonly string[]): { roles: string[] } | undefined {
  if (outcome !== 'CONDITIONAL' || !reasons.length || !reasons.every((r) => r.startsWith(PENDING))) return undefined;
  const roles = reasons.map((r) => ROLE.exec(r)?.[1]).filter((r): r is string => r !== undefined);
  return { roles: [...new Set(roles)] };
}
