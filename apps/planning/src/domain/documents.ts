import { day } from './timeline.js';
import type { HealthReport } from './health.js';
import type { Forecast } from './forecast.js';
import type { Release } from './release.js';
import type { Timeline } from './timeline.js';
import type { ScopeAlternative } from './selection.js';
import { inScope } from './scope.js';
import { costOfDelay, wsjf } from './wsjf.js';

const ICON = { GREEN: '🟢 Green', YELLOW: '🟡 Yellow', RED: '🔴 Red' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function heading(r: Release): string {
  return `${r.product} ${r.version}`;
}

/** The release scope document: what is in, in what order, and what is left out and why. */
export function scopeDocument(r: Release, timeline: Timeline, plan?: ScopeAlternative): string {
  const titles = new Map(r.features.map((f) => [f.id, f.title]));
  const lines = [
    `# Release scope: ${heading(r)}`,
    '',
    `- **Type:** ${r.type}${r.baseVersion ? ` (from ${r.baseVersion})` : ''}`,
    `- **Theme:** ${r.theme}`,
    `- **Owner:** ${r.owner}`,
    `- **Target date:** ${day(r.targetDate)}`,
    `- **Status:** ${r.status}`,
    ...(r.hotfix ? [`- **Hotfix reason:** ${r.hotfix.reason} — ${r.hotfix.details}`] : []),
    '',
    '## Features',
    '',
    '| Feature | Priority | Effort | Cost of delay | WSJF | Status | Depends on |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
    ...r.features
      .filter(inScope)
      .sort((a, b) => wsjf(b) - wsjf(a))
      .map((f) => `| ${cell(f.title)} | ${f.priority} | ${f.effort} | ${costOfDelay(f)} | ${wsjf(f).toFixed(2)} | ${f.status} | ${cell(f.dependsOn.map((d) => titles.get(d) ?? d).join(', ')) || '—'} |`),
    '',
    `Scope: ${timeline.scopePoints} points, ${timeline.remainingPoints} still open; capacity before feature complete about ${timeline.capacityPoints} points.`,
  ];
  const out = r.features.filter((f) => !inScope(f));
  if (out.length) lines.push('', '## Out of scope', '', ...out.map((f) => `- ${f.title} (${f.status === 'DROPPED' ? 'dropped' : 'WONT'})`));
  if (plan) {
    lines.push('', `## Recommended selection (${plan.name})`, '', plan.summary + '.', '', ...plan.selected.map((id, i) => `${i + 1}. ${titles.get(id) ?? id}`));
    if (plan.leftOut.length) lines.push('', '### Left out', '', ...plan.leftOut.map((l) => `- ${l.title}: ${l.reason}`));
    if (plan.notes.length) lines.push('', ...plan.notes.map((n) => `> ${n}`));
  }
  lines.push('', '## Milestones', '', ...timeline.milestones.map((m) => `- ${day(m.date)} — ${m.name.replace(/_/g, ' ').toLowerCase()}: ${m.description}`));
  return lines.join('\n') + '\n';
}

/** The weekly status update: health with its reasons, progress, forecast and what changed this week. */
export function weeklyStatus(r: Release, health: HealthReport, timeline: Timeline, now: Date, forecast?: Forecast): string {
  const p = health.progress;
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const changes = r.scopeChanges.filter((c) => c.at > weekAgo && c.at <= now);
  const lines = [
    `# Weekly status: ${heading(r)} — ${day(now)}`,
    '',
    `**Health:** ${ICON[health.status]}`,
    '',
    ...(health.status === 'GREEN' ? ['No rule raised a concern:', '', ...health.reasons.map((x) => `- ${x.message}`)] : health.reasons.map((x) => `- ${x.status}: ${x.message}`)),
    '',
    '## Progress',
    '',
    `- Features complete: ${p.featuresDone} of ${p.featuresTotal} (${p.percentComplete}%)`,
    `- Story points: ${p.pointsDone} of ${p.pointsTotal} done (${p.expectedPercent}% of the development window gone)`,
    `- Velocity trend: ${p.velocityTrend.toLowerCase()}`,
    `- Quality score: ${p.qualityScore === undefined ? 'no gate evaluated yet' : `${p.qualityScore}%`}`,
    `- Failed gates: ${p.failedGates.length ? p.failedGates.join(', ') : 'none'}`,
    `- Critical path: ${timeline.criticalPath.points} points${p.criticalPathDelayDays > 0 ? `, ${p.criticalPathDelayDays} days past feature complete` : ', on time'}`,
  ];
  if (forecast) {
    lines.push('', '## Forecast', '', `- Development done: P50 ${day(forecast.p50)}, P85 ${day(forecast.p85)} (feature complete ${day(timeline.featureComplete)})`, `- Chance to make feature complete: ${Math.round(forecast.probabilityOnTime * 100)}%`);
  }
  lines.push('', '## Scope changes this week', '', ...(changes.length ? changes.map((c) => `- ${c.kind.toLowerCase().replace('_', ' ')}: ${c.title}${c.reason ? ` — ${c.reason}` : ''} (${c.byName ?? c.by})`) : ['- none']));
  return lines.join('\n') + '\n';
}

/** Release notes: what shipped, from the features done. */
export function releaseNotes(r: Release): string {
  const done = r.features.filter((f) => f.status === 'DONE');
  const lines = [`# ${heading(r)}`, '', `${r.theme}`, '', `Released: ${r.status === 'RELEASED' || r.status === 'CLOSED' ? day(r.transitions.find((t) => t.to === 'RELEASED')?.at ?? r.updatedAt) : `not yet (target ${day(r.targetDate)})`}`];
  if (r.hotfix) lines.push('', `This hotfix addresses: ${r.hotfix.details}`);
  lines.push('', '## Changes', '', ...(done.length ? done.map((f) => `- **${f.title}**${f.description ? `: ${f.description}` : ''}`) : ['- no feature completed yet']));
  return lines.join('\n') + '\n';
}
