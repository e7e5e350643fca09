import { addDays, daysBetween } from './calendar.js';
import { heading, list, plural } from './document-text.js';
import type { HealthReport } from './health.js';
import { GATE_KINDS } from './lifecycle.js';
import type { Release } from './release.js';
import { inScope } from './scope.js';
import { day, type Timeline } from './timeline.js';
import { OVERALL } from './weekly-status.js';

export interface DailyDigestInput {
  release: Release;
  health: HealthReport;
  timeline: Timeline;
  now: Date;
}

const words = (s: string) => s.replace(/_/g, ' ').toLowerCase();

/** Features finished in the last day, and the work in flight. */
function progress(r: Release, now: Date): string[] {
  const since = addDays(now, -1);
  const done = r.scopeChanges
    .filter((c) => c.at > since && c.at <= now && c.changes.some((x) => x.field === 'status' && x.to === 'DONE'))
    .map((c) => `${c.title} done`);
  const open = r.features
    .filter((f) => inScope(f) && (f.status === 'IN_PROGRESS' || f.status === 'IN_REVIEW'))
    .map((f) => `${f.title}: ${words(f.status)} (${plural(f.effort, 'point')})`);
  return [...done, ...open];
}

/** What holds the release back: the health rules that fired, then the open features on the critical path when health finds it late. */
function blockers(r: Release, health: HealthReport, timeline: Timeline): string[] {
  // A GREEN report's reasons are the rules that held, not blockers.
  const fired = health.reasons.filter((x) => x.status !== 'GREEN');
  const late = fired.some((x) => x.rule === 'CRITICAL_PATH_LATE' || x.rule === 'CRITICAL_PATH_DELAYED');
  const byId = new Map(r.features.map((f) => [f.id, f]));
  const critical = late
    ? timeline.criticalPath.featureIds
        .map((id) => byId.get(id))
        .filter((f) => f !== undefined && f.status !== 'DONE')
        .map((f) => `${f!.title} (${words(f!.status)}, ${plural(f!.effort, 'point')}) is on the late critical path`)
    : [];
  return [...fired.map((x) => `${x.status}: ${x.message}`), ...critical];
}

/** The latest evaluation of each gate the release must pass, with the reasons gates gave. */
function quality(r: Release): string[] {
  const gates = r.type === 'HOTFIX' ? ['PRODUCTION'] : [...GATE_KINDS];
  return gates.map((g) => {
    const latest = r.gateResults.filter((x) => x.gate === g).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
    if (!latest) return `${words(g)} gate: not evaluated yet`;
    const why = latest.reasons?.length ? `: ${latest.reasons.join('; ')}` : '';
    return `${words(g)} gate: ${latest.outcome} on ${day(latest.at)} (evaluation ${latest.evaluationId})${why}`;
  });
}

/**
 * The development team's daily digest: overall status, progress (features X/Y, story points, what finished since
 * yesterday and what is in flight), blockers (health rules that fired, open features on a late critical path) and
 * quality (each gate's latest outcome).
 */
export function dailyDigest({ release: r, health, timeline, now }: DailyDigestInput): string {
  const p = health.progress;
  const toFeatureComplete = Math.ceil(daysBetween(now, timeline.featureComplete));
  const lines = [
    `# Daily digest: ${heading(r)} — ${day(now)}`,
    '',
    `**Overall status:** ${OVERALL[health.status]} (${words(r.status)})`,
    '',
    '## Progress',
    '',
    `- Features done: ${p.featuresDone}/${p.featuresTotal}; ${p.pointsDone} of ${p.pointsTotal} story points, ${p.expectedPercent}% of the development window gone`,
    `- Feature complete: ${day(timeline.featureComplete)}${toFeatureComplete >= 0 ? ` (in ${plural(toFeatureComplete, 'day')})` : ` (${plural(-toFeatureComplete, 'day')} ago)`}`,
    ...list(progress(r, now), 'Nothing finished since yesterday and nothing in progress.'),
    '',
    '## Blockers',
    '',
    ...list(blockers(r, health, timeline), 'None: every health rule held.'),
    '',
    '## Quality',
    '',
    ...list(quality(r)),
  ];
  return lines.join('\n') + '\n';
}
