import { type Person, RuleError } from '@flightdeck/kernel';
import type { CheckWindow, Rollout, ValidationCheck } from './types.js';

/** The post-deployment validation checklist of the release process: immediate (0–2 h) and extended (2–8 h) checks. */
export const VALIDATION_CHECKS: { id: string; title: string; window: CheckWindow }[] = [
  { id: 'error-rate-latency', title: 'Error rate and latency are at or better than before the release', window: 'IMMEDIATE' },
  { id: 'logs-clean', title: 'Logs show no new errors or warnings', window: 'IMMEDIATE' },
  { id: 'smoke-journeys', title: 'Key user journeys verified in production', window: 'IMMEDIATE' },
  { id: 'alerts-quiet', title: 'No new alerts fired', window: 'IMMEDIATE' },
  { id: 'resources-stable', title: 'CPU, memory and connection use are stable', window: 'EXTENDED' },
  { id: 'support-tickets', title: 'No rise in support tickets or user reports', window: 'EXTENDED' },
  { id: 'business-metrics', title: 'Business metrics (conversions, throughput) are steady', window: 'EXTENDED' },
  { id: 'jobs-integrations', title: 'Background jobs and integrations run normally', window: 'EXTENDED' },
];

const HOURS = { IMMEDIATE: 2, EXTENDED: 8 };

export function validationChecklist(promotedAt: Date): ValidationCheck[] {
  return VALIDATION_CHECKS.map((c) => ({ ...c, dueAt: new Date(promotedAt.getTime() + HOURS[c.window] * 3_600_000).toISOString(), status: 'PENDING' }));
}

/** A person records one check as passed or failed; a failed check is raised, and a rollback stays a person's call. */
export function recordCheck(r: Rollout, checkId: string, passed: boolean, who: Person, note: string, now: Date): Rollout {
  if (!r.validation) throw new RuleError(`rollout ${r.id} is ${r.phase}: the validation checklist starts when a rollout is promoted`, 'id');
  const check = r.validation.find((c) => c.id === checkId);
  if (!check) throw new RuleError(`checkId "${checkId}" is not on the checklist; it has: ${r.validation.map((c) => c.id).join(', ')}`, 'checkId');
  if (!passed && !note.trim()) throw new RuleError('note: say what failed', 'note');
  const at = now.toISOString();
  const late = Date.parse(check.dueAt) < now.getTime() ? ` (after its due time ${check.dueAt})` : '';
  const message = `${who.name} marked "${check.title}" ${passed ? 'passed' : 'FAILED'}${late}${note ? `: ${note}` : ''}`;
  return {
    ...r,
    validation: r.validation.map((c) => (c.id === checkId ? { ...c, status: passed ? 'PASSED' : 'FAILED', by: who.subject, byName: who.name, at, ...(note ? { note } : {}) } : c)),
    updatedAt: at,
    decisions: [...r.decisions, { at, action: 'VALIDATION', message }].slice(-300),
  };
}
