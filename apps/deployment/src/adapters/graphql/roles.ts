import type { Role } from '@flightdeck/kernel';

/** Who may do what with rollouts. CI is never listed: a machine identity does not start or approve rollouts. */
export const CAN = {
  start: ['RELEASE_MANAGER', 'SRE'],
  approve: ['RELEASE_MANAGER', 'SRE', 'TECHNICAL_LEAD'],
  abort: ['RELEASE_MANAGER', 'SRE'],
  retry: ['RELEASE_MANAGER', 'SRE'],
  validate: ['RELEASE_MANAGER', 'SRE', 'QA_LEAD', 'TECHNICAL_LEAD'],
} as const satisfies Record<string, readonly Role[]>;
