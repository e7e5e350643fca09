import { RuleError } from '@flightdeck/kernel';

/** The only reasons that justify an emergency release (docs/ARCHITECTURE.md, "Hotfix"). */
export const HOTFIX_REASONS = [
  'PRODUCTION_DOWN',
  'CRITICAL_SECURITY_VULNERABILITY',
  'DATA_CORRUPTION_OR_LOSS',
  'MAJOR_SLA_BREACH',
  'COMPLIANCE_VIOLATION',
] as const;
export type HotfixReason = (typeof HOTFIX_REASONS)[number];

export interface HotfixJustification {
  reason: HotfixReason;
  /** What happened, in the reporter's words (incident link, CVE, …). */
  details: string;
}

/** Refuses a hotfix without a qualifying reason and a description of the emergency. */
export function qualifyHotfix(reason: string | undefined, details: string | undefined): HotfixJustification {
  if (!reason) {
    throw new RuleError(`a hotfix needs a qualifying reason: one of ${HOTFIX_REASONS.join(', ')}`, 'hotfixReason');
  }
  if (!(HOTFIX_REASONS as readonly string[]).includes(reason)) {
    throw new RuleError(
      `'${reason}' does not qualify for a hotfix; qualifying reasons are ${HOTFIX_REASONS.join(', ')} — anything else goes into a patch release`,
      'hotfixReason',
    );
  }
  const text = details?.trim() ?? '';
  if (text.length < 10) {
    throw new RuleError(
      'a hotfix needs details of the emergency (at least 10 characters: incident, CVE, affected customers…)',
      'hotfixDetails',
    );
  }
  return { reason: reason as HotfixReason, details: text };
}
