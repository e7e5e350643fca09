import type { Role } from '@flightdeck/kernel';

const ASSESSORS: Role[] = ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD', 'PRODUCT_OWNER', 'SRE'];
const SUBMITTERS: Role[] = ['CI', 'DEVELOPER', 'QA_LEAD', 'TECHNICAL_LEAD', 'RELEASE_MANAGER', 'SRE'];

/**
 * Who may do what with gates. Approving is not listed: the gate's own approval rules decide who may approve
 * (domain/approvals.ts: the roles it asks for, four eyes, never CI).
 */
export const CAN = {
  define: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD'],
  submitEvidence: SUBMITTERS,
  evaluate: [...SUBMITTERS, 'PRODUCT_OWNER'],
  tickChecklist: [...ASSESSORS, 'DEVELOPER'],
  override: ['RELEASE_MANAGER'],
  assessReadiness: ASSESSORS,
  validateGate: ASSESSORS,
} as const satisfies Record<string, readonly Role[]>;
