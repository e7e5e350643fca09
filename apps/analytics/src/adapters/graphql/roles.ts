import type { Role } from '@flightdeck/kernel';

/** Who may do what in analytics. Reading needs any role; CI never writes here. */
export const CAN = {
  manageIncidents: ['SRE', 'RELEASE_MANAGER', 'TECHNICAL_LEAD'],
  runRetrospectives: ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD', 'PRODUCT_OWNER', 'DEVELOPER', 'SRE'],
} as const satisfies Record<string, readonly Role[]>;
