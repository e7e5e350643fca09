import { addDays, daysBetween } from './calendar.js';
import { heading, list, plural } from './document-text.js';
import type { Forecast } from './forecast.js';
import type { HealthReport, HealthStatus } from './health.js';
import { GATE_KINDS } from './lifecycle.js';
import type { Release } from './release.js';
import { inScope } from './scope.js';
import { day, type Timeline } from './timeline.js';
import { wsjf } from './wsjf.js';

export const OVERALL: Record<HealthStatus, string> = {
  GREEN: '🟢 On track',
  YELLOW: '🟡 At risk',
  RED: '🔴 Off track',
};

/** What the team can do about each health rule that fired: the "mitigation" of the template's risks and issues. */
const MITIGATION: Record<string, string> = {
  GATE_FAILED: "fix what the gate's failing criteria name and evaluate it again, or take the failing scope out",
  PAST_TARGET: 'agree a new date with the stakeholders, or release what is done',
  FORECAST_LATE: 'move Should and Could features out (the MVP or RECOMMENDED alternative) or add capacity',
  FORECAST_AT_RISK: 'keep Could features ready to move out; re-forecast next week',
  CRITICAL_PATH_LATE: 'put the best-placed people on the critical path and split its largest items',
  CRITICAL_PATH_DELAYED: 'watch the critical path daily and unblock it first',
  BEHIND_SCHEDULE_FAR: 'review blockers daily; consider the MVP alternative',
  BEHIND_SCHEDULE: 'review blockers at the daily stand-up',
  OVER_CAPACITY: 'defer the lowest-WSJF features until the rest fits (the RECOMMENDED alternative)',
  GATE_CONDITIONAL: "close the gate's conditions before the next gate",
  VELOCITY_DECLINING: 'find what slowed the team (blockers, unplanned work) and remove it',
};

/** Who must help, for the rules that need someone outside the team. */
const SUPPORT: Record<string, string> = {
  GATE_FAILED: 'Technical Lead and QA Lead: a plan for the failed gate',
  PAST_TARGET: 'Stakeholders: agree a new release date',
  FORECAST_LATE: 'Product Owner: decide which features move to a later release',
  OVER_CAPACITY: 'Product Owner: decide which features move to a later release',
  CRITICAL_PATH_LATE: 'Technical Lead: more hands on the critical path',
};

export interface WeeklyStatusInput {
  release: Release;
  health: HealthReport;
  timeline: Timeline;
  now: Date;
  forecast?: Forecast;
}

/** Days late (positive) or early (negative) against feature complete: the P50 forecast when there is one, else the critical path. */
function slipDays(timeline: Timeline, forecast?: Forecast): number {
  if (forecast) return Math.round(daysBetween(timeline.featureComplete, forecast.p50));
  return Math.round(timeline.criticalPathDelayDays);
}

function timelineLine(r: Release, timeline: Timeline, now: Date, forecast?: Forecast): string {
  if (now > r.targetDate && !['RELEASED', 'CLOSED'].includes(r.status))
    return `+${Math.ceil(daysBetween(r.targetDate, now))} days (past the target date ${day(r.targetDate)})`;
  const slip = slipDays(timeline, forecast);
  const basis = forecast ? 'P50 forecast against feature complete' : 'critical path against feature complete';
  return slip > 0 ? `+${slip} days (${basis})` : `On track${slip < 0 ? ` (${-slip} days ahead, ${basis})` : ''}`;
}

/** Quality gates the release must pass, and how far testing got through them (CONDITIONAL counts half). */
function testing(r: Release): { passed: number; total: number; percent: number } {
  const gates = r.type === 'HOTFIX' ? ['PRODUCTION'] : [...GATE_KINDS];
  const score = gates.reduce(
    (a, g) => a + (r.signals.gates[g] === 'PASS' ? 1 : r.signals.gates[g] === 'CONDITIONAL' ? 0.5 : 0),
    0,
  );
  return {
    passed: gates.filter((g) => r.signals.gates[g] === 'PASS' || r.signals.gates[g] === 'CONDITIONAL').length,
    total: gates.length,
    percent: Math.round((100 * score) / gates.length),
  };
}

function accomplishments(r: Release, from: Date, to: Date): string[] {
  const within = (at: Date) => at > from && at <= to;
  const done = r.scopeChanges
    .filter((c) => within(c.at) && c.changes.some((x) => x.field === 'status' && x.to === 'DONE'))
    .map((c) => `${c.title} done`);
  const moved = r.transitions
    .filter((t) => within(t.at))
    .map((t) => `moved to ${t.to.replace(/_/g, ' ').toLowerCase()}${t.reason ? ` (${t.reason})` : ''}`);
  const gates = r.gateResults
    .filter((g) => within(g.at) && g.outcome !== 'FAIL')
    .map(
      (g) =>
        `${g.gate.replace(/_/g, ' ').toLowerCase()} gate ${g.outcome === 'PASS' ? 'passed' : 'passed with conditions'}`,
    );
  const added = r.scopeChanges
    .filter((c) => within(c.at) && c.kind !== 'STATUS_CHANGED')
    .map(
      (c) =>
        `scope ${c.kind.toLowerCase().replace('_', ' ')}: ${c.title}${c.reason ? ` — ${c.reason}` : ''} (${c.byName ?? c.by})`,
    );
  return [...done, ...moved, ...gates, ...added];
}

function nextWeek(r: Release, timeline: Timeline, now: Date): string[] {
  const soon = addDays(now, 7);
  const milestones = timeline.milestones
    .filter((m) => m.date > now && m.date <= soon)
    .map((m) => `${m.name.replace(/_/g, ' ').toLowerCase()} on ${day(m.date)}`);
  const critical = new Set(timeline.criticalPath.featureIds);
  const open = r.features
    .filter((f) => inScope(f) && f.status !== 'DONE')
    .sort((a, b) => Number(critical.has(b.id)) - Number(critical.has(a.id)) || wsjf(b) - wsjf(a))
    .slice(0, 5)
    .map(
      (f) =>
        `${f.title} (${f.status.replace('_', ' ').toLowerCase()}, ${f.effort} points${critical.has(f.id) ? ', critical path' : ''})`,
    );
  return [...milestones, ...open];
}

/**
 * The weekly status update in the process's template: overall status, progress summary (features X/Y, testing
 * progress, quality score out of 10, timeline on track or ±N days), this week's accomplishments, risks and issues
 * with their mitigation, next week's focus, support needed and the next update's date.
 */
export function weeklyStatus({ release: r, health, timeline, now, forecast }: WeeklyStatusInput): string {
  const p = health.progress;
  const t = testing(r);
  const risks =
    health.status === 'GREEN'
      ? []
      : health.reasons.map(
          (x) =>
            `${x.status === 'RED' ? 'Issue' : 'Risk'}: ${x.message}. Mitigation: ${MITIGATION[x.rule] ?? 'discuss at the next status meeting'}.`,
        );
  const support = [
    ...new Set(
      health.status === 'GREEN' ? [] : health.reasons.flatMap((x) => (SUPPORT[x.rule] ? [SUPPORT[x.rule]!] : [])),
    ),
  ];
  const lines = [
    `# Weekly release status: ${heading(r)} — week of ${day(now)}`,
    '',
    `**Overall status:** ${OVERALL[health.status]}`,
    '',
    '## Progress summary',
    '',
    `- Features complete: ${p.featuresDone}/${p.featuresTotal} (${p.percentComplete}%); ${p.pointsDone} of ${p.pointsTotal} story points, ${p.expectedPercent}% of the development window gone`,
    `- Testing progress: ${t.percent}% (${t.passed} of ${plural(t.total, 'quality gate')} passed)`,
    `- Quality score: ${p.qualityScore === undefined ? 'not yet rated (no gate evaluated)' : `${Math.round(p.qualityScore) / 10}/10`}`,
    `- Timeline: ${timelineLine(r, timeline, now, forecast)}`,
    `- Velocity trend: ${p.velocityTrend.toLowerCase()}`,
    ...(forecast
      ? [
          `- Forecast: development done P50 ${day(forecast.p50)}, P85 ${day(forecast.p85)}; ${Math.round(forecast.probabilityOnTime * 100)}% chance to make feature complete (${day(timeline.featureComplete)})`,
        ]
      : []),
    '',
    "## This week's accomplishments",
    '',
    ...list(accomplishments(r, addDays(now, -7), now), 'Nothing finished this week.'),
    '',
    '## Risks and issues',
    '',
    ...list(
      risks,
      `None: ${health.reasons.length ? health.reasons.map((x) => x.message).join('; ') : 'every health rule held'}.`,
    ),
    '',
    "## Next week's focus",
    '',
    ...list(nextWeek(r, timeline, now), 'Nothing open.'),
    '',
    '## Support needed',
    '',
    ...list(support),
    '',
    `**Next update:** ${day(addDays(now, 7))}`,
  ];
  return lines.join('\n') + '\n';
}
