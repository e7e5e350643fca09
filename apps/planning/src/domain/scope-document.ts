import { cell, heading, list } from './document-text.js';
import type { Release } from './release.js';
import type { ScopeAlternative } from './selection.js';
import { inScope, type Feature, type Priority } from './scope.js';
import { day, type Timeline } from './timeline.js';
import { costOfDelay, wsjf } from './wsjf.js';

const GROUPS: [Priority, string][] = [
  ['MUST', 'Must have'],
  ['SHOULD', 'Should have'],
  ['COULD', 'Could have'],
];

const TYPE_WORD = { MAJOR: 'Major', MINOR: 'Minor', PATCH: 'Patch', HOTFIX: 'Hotfix' } as const;

function featureEntry(f: Feature, i: number, titles: Map<string, string>): string[] {
  return [
    `${i + 1}. **${f.title}**`,
    `   - Description: ${f.description || '(none given)'}`,
    `   - Business value: ${f.businessValue} (time criticality ${f.timeCriticality}, risk reduction ${f.riskReduction}; WSJF ${wsjf(f).toFixed(2)})`,
    `   - Effort: ${f.effort} story points`,
    `   - Status: ${f.status}${f.dependsOn.length ? `; depends on ${f.dependsOn.map((d) => titles.get(d) ?? d).join(', ')}` : ''}`,
  ];
}

function excluded(f: Feature): string {
  const why = f.exclusion?.reason ?? (f.status === 'DROPPED' ? 'dropped' : "won't have in this release");
  return `**${f.title}** — reason: ${why}; target release: ${f.exclusion?.targetRelease ?? 'not decided'}`;
}

/**
 * The release scope document in the process's template: overview, features by Must / Should / Could with description,
 * business value and effort, the excluded features with reason and target release, technical considerations and
 * success criteria; then the WSJF ranking, the recommended selection when there is one, and the milestones.
 */
export function scopeDocument(r: Release, timeline: Timeline, plan?: ScopeAlternative): string {
  const titles = new Map(r.features.map((f) => [f.id, f.title]));
  const scope = r.features.filter(inScope);
  const c = r.considerations;
  const breaking = scope.filter((f) => f.breakingChange).map((f) => `${f.title}: ${f.breakingChange}`);
  const lines = [
    `# Release scope: ${heading(r)}`,
    '',
    '## Release overview',
    '',
    `- **Version:** ${r.version}`,
    `- **Release date:** ${day(r.targetDate)}`,
    `- **Release type:** ${TYPE_WORD[r.type]}${r.baseVersion ? ` (from ${r.baseVersion})` : ''}`,
    `- **Theme:** ${r.theme}`,
    `- **Owner:** ${r.owner}`,
    `- **Status:** ${r.status}`,
    ...(r.hotfix ? [`- **Hotfix reason:** ${r.hotfix.reason} — ${r.hotfix.details}`] : []),
    '',
    '## Features included',
  ];
  for (const [priority, title] of GROUPS) {
    const group = scope.filter((f) => f.priority === priority).sort((a, b) => wsjf(b) - wsjf(a));
    lines.push(
      '',
      `### ${title}`,
      '',
      ...(group.length ? group.flatMap((f, i) => featureEntry(f, i, titles)) : ['None.']),
    );
  }
  lines.push('', '## Features excluded', '', ...list(r.features.filter((f) => !inScope(f)).map(excluded)));
  lines.push(
    '',
    '## Technical considerations',
    '',
    '### Architecture changes',
    '',
    ...list(c?.architectureChanges ?? []),
    '',
    '### Breaking changes',
    '',
    ...list(breaking),
    '',
    '### Dependencies',
    '',
    ...list(c?.dependencies ?? []),
    '',
    '### Database migrations',
    '',
    ...list(c?.migrations ?? []),
    '',
    '## Success criteria',
    '',
    ...list(c?.successCriteria ?? [], 'None given yet (updateRelease: considerations.successCriteria).'),
  );
  lines.push(
    '',
    '## Prioritisation (WSJF)',
    '',
    '| Feature | Priority | Effort | Cost of delay | WSJF | Status | Depends on |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
    ...[...scope]
      .sort((a, b) => wsjf(b) - wsjf(a))
      .map(
        (f) =>
          `| ${cell(f.title)} | ${f.priority} | ${f.effort} | ${costOfDelay(f)} | ${wsjf(f).toFixed(2)} | ${f.status} | ${cell(f.dependsOn.map((d) => titles.get(d) ?? d).join(', ')) || '—'} |`,
      ),
    '',
    `Scope: ${timeline.scopePoints} points, ${timeline.remainingPoints} still open; capacity before feature complete about ${timeline.capacityPoints} points.`,
  );
  if (plan) {
    lines.push(
      '',
      `## Recommended selection (${plan.name})`,
      '',
      plan.summary + '.',
      '',
      ...plan.selected.map((id, i) => `${i + 1}. ${titles.get(id) ?? id}`),
    );
    if (plan.leftOut.length)
      lines.push('', '### Left out', '', ...plan.leftOut.map((l) => `- ${l.title}: ${l.reason}`));
    if (plan.notes.length) lines.push('', ...plan.notes.map((n) => `> ${n}`));
  }
  lines.push(
    '',
    '## Milestones',
    '',
    ...timeline.milestones.map(
      (m) => `- ${day(m.date)} — ${m.name.replace(/_/g, ' ').toLowerCase()}: ${m.description}`,
    ),
  );
  return lines.join('\n') + '\n';
}
