import type { Role } from '@flightdeck/kernel';

/** Who may do what in planning. CI is never listed: a machine identity submits evidence, it does not plan. */
export const CAN = {
  manageReleases: ['RELEASE_MANAGER'],
  transition: ['RELEASE_MANAGER', 'TECHNICAL_LEAD'],
  changeScope: ['RELEASE_MANAGER', 'PRODUCT_OWNER', 'TECHNICAL_LEAD'],
  /** Moving a feature along (status only). */
  reportProgress: ['RELEASE_MANAGER', 'PRODUCT_OWNER', 'TECHNICAL_LEAD', 'DEVELOPER', 'QA_LEAD'],
  plan: ['RELEASE_MANAGER', 'PRODUCT_OWNER', 'TECHNICAL_LEAD'],
  /** Asking for a test plan: planning, and the QA lead who owns testing. */
  planTests: ['RELEASE_MANAGER', 'PRODUCT_OWNER', 'TECHNICAL_LEAD', 'QA_LEAD'],
  /** Letting one change in during the code freeze. */
  approveFreezeException: ['RELEASE_MANAGER'],
  /** The communication plan (its targets hold webhook URLs and secrets). */
  manageNotifications: ['RELEASE_MANAGER'],
  /** The delivery log of a release. */
  readDeliveries: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD', 'PRODUCT_OWNER', 'SRE'],
  /** Ticking an item of the code-freeze checklist with its evidence. */
  tickFreezeItem: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD'],
} as const satisfies Record<string, readonly Role[]>;
