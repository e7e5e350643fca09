import { type Person, RuleError } from '@flightdeck/kernel';
import type { CheckWindow, Rollout, ValidationCheck } from './types.js';

/**
 * The production validation checklist of the release process, every item: immediate (0–2 h after promotion), extended
 * (2–8 h) and business validation (within the first day). Ids of the first version of this list are kept.
 */
export const VALIDATION_CHECKS: { id: string; title: string; window: CheckWindow }[] = [
  { id: 'health-checks', title: 'All health checks (readiness and liveness) are passing', window: 'IMMEDIATE' },
  {
    id: 'error-rate-latency',
    title: 'Error rates are within the normal range and response times acceptable',
    window: 'IMMEDIATE',
  },
  { id: 'database-connections', title: 'Database connections are stable', window: 'IMMEDIATE' },
  { id: 'logs-clean', title: 'Logs show no new errors or warnings', window: 'IMMEDIATE' },
  { id: 'smoke-journeys', title: 'Critical user journeys work in production', window: 'IMMEDIATE' },
  { id: 'alerts-quiet', title: 'Monitoring and alerts work, and no new alert fired', window: 'IMMEDIATE' },
  {
    id: 'resources-stable',
    title: 'Performance metrics are stable: CPU, memory (no leak) and connection use',
    window: 'EXTENDED',
  },
  { id: 'jobs-integrations', title: 'Background jobs and third-party integrations run normally', window: 'EXTENDED' },
  { id: 'user-feedback', title: 'User feedback is monitored and shows no new problem', window: 'EXTENDED' },
  { id: 'business-metrics', title: 'Business metrics (conversions, throughput) are steady', window: 'EXTENDED' },
  { id: 'kpis-tracking', title: 'Key business metrics are tracked and on the expected course', window: 'BUSINESS' },
  { id: 'support-tickets', title: 'Support tickets are at their normal volume', window: 'BUSINESS' },
  { id: 'feature-adoption', title: 'Users take up the new features as expected', window: 'BUSINESS' },
  { id: 'revenue-conversion', title: 'Revenue and conversion are not hurt', window: 'BUSINESS' },
  { id: 'customer-complaints', title: 'No critical customer complaints', window: 'BUSINESS' },
];

const HOURS: Record<CheckWindow, number> = { IMMEDIATE: 2, EXTENDED: 8, BUSINESS: 24 };

export function validationChecklist(promotedAt: Date): ValidationCheck[] {
  return VALIDATION_CHECKS.map((c) => ({
    ...c,
    dueAt: new Date(promotedAt.getTime() + HOURS[c.window] * 3_600_000).toISOString(),
    status: 'PENDING',
  }));
}

/** A person records one check as passed or failed; a failed check is raised, and a rollback stays a person's call. */
export function recordCheck(
  r: Rollout,
  checkId: string,
  passed: boolean,
  who: Person,
  note: string,
  now: Date,
): Rollout {
  if (!r.validation)
    throw new RuleError(
      `rollout ${r.id} is ${r.phase}: the validation checklist starts when a rollout is promoted`,
      'id',
    );
  const check = r.validation.find((c) => c.id === checkId);
  if (!check)
    throw new RuleError(
      `checkId "${checkId}" is not on the checklist; it has: ${r.validation.map((c) => c.id).join(', ')}`,
      'checkId',
    );
  if (!passed && !note.trim()) throw new RuleError('note: say what failed', 'note');
  const at = now.toISOString();
  const late = Date.parse(check.dueAt) < now.getTime() ? ` (after its due time ${check.dueAt})` : '';
  const message = `${who.name} marked "${check.title}" ${passed ? 'passed' : 'FAILED'}${late}${note ? `: ${note}` : ''}`;
  return {
    ...r,
    validation: r.validation.map((c) =>
      c.id === checkId
        ? {
            ...c,
            status: passed ? 'PASSED' : 'FAILED',
            by: who.subject,
            byName: who.name,
            at,
            ...(note ? { note } : {}),
          }
        : c,
    ),
    updatedAt: at,
    decisions: [...r.decisions, { at, action: 'VALIDATION', message }].slice(-300),
  };
}
