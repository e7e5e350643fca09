import type { Role, Session } from './session.js';

/**
 * Which roles each action needs, as the services document and enforce them (planning, deployment, analytics
 * resolvers' CAN tables; gates' approvals by the gate's own requirements). Used only to decide what to show.
 */
export const CAN = {
  createRelease: ['RELEASE_MANAGER'],
  transitionRelease: ['RELEASE_MANAGER', 'TECHNICAL_LEAD'],
  prioritizeScope: ['RELEASE_MANAGER', 'PRODUCT_OWNER', 'TECHNICAL_LEAD'],
  forecastTimeline: ['RELEASE_MANAGER', 'PRODUCT_OWNER', 'TECHNICAL_LEAD'],
  assessReadiness: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD', 'PRODUCT_OWNER', 'SRE'],
  evaluateGate: ['CI', 'DEVELOPER', 'QA_LEAD', 'TECHNICAL_LEAD', 'RELEASE_MANAGER', 'SRE', 'PRODUCT_OWNER'],
  tickFreezeItem: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD'],
  tickChecklist: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD', 'PRODUCT_OWNER', 'SRE', 'DEVELOPER'],
  overrideGate: ['RELEASE_MANAGER'],
  approveStep: ['RELEASE_MANAGER', 'SRE', 'TECHNICAL_LEAD'],
  abortRollout: ['RELEASE_MANAGER', 'SRE'],
  retryRollout: ['RELEASE_MANAGER', 'SRE'],
  recordValidationCheck: ['RELEASE_MANAGER', 'SRE', 'QA_LEAD', 'TECHNICAL_LEAD'],
  readDeliveries: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD', 'PRODUCT_OWNER', 'SRE'],
  manageNotifications: ['RELEASE_MANAGER'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof CAN;

/** A person (never a machine identity) holding one of the action's roles. */
export function can(session: Session | undefined, action: Action): boolean {
  if (!session || session.machine) return false;
  return CAN[action].some((r) => session.roles.includes(r));
}

/**
 * The roles of a gate's approval requirements this person holds and has not approved for yet (approvals are never a
 * machine's). A satisfied role still counts: under four-eyes a second person's approval is what the gate waits for.
 */
export function approvalRoles(
  session: Session | undefined,
  required: readonly { role: string; approvedBy: readonly string[] }[],
): string[] {
  if (!session || session.machine) return [];
  return required
    .filter((r) => session.roles.includes(r.role as Role) && !r.approvedBy.includes(session.subject))
    .map((r) => r.role);
}
