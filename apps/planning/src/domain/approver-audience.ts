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
