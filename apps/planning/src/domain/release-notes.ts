import { heading, list } from './document-text.js';
import type { Release } from './release.js';
import { inScope, type Feature } from './scope.js';
import { day } from './timeline.js';

function entry(f: Feature): string {
  return `**${f.title}**${f.description ? ` — ${f.description}` : ''}`;
}

/**
 * Release notes for customers: new features, improvements, fixes, breaking changes and the migration guide, from the
 * features delivered (DONE and in scope) and what their metadata says about them.
 */
export function releaseNotes(r: Release): string {
  const done = r.features.filter((f) => f.status === 'DONE' && inScope(f));
  const released = r.transitions.find((t) => t.to === 'RELEASED')?.at;
  const lines = [
    `# ${heading(r)} release notes`,
    '',
    r.theme,
    '',
    released ? `Released: ${day(released)}` : `Planned release date: ${day(r.targetDate)} (not released yet)`,
  ];
  if (r.hotfix) lines.push('', `This hotfix addresses: ${r.hotfix.details}`);
  const kind = (k: Feature['kind']) => done.filter((f) => (f.kind ?? 'FEATURE') === k).map(entry);
  const breaking = done.filter((f) => f.breakingChange);
  lines.push('', '## New features', '', ...list(kind('FEATURE')));
  lines.push('', '## Improvements', '', ...list(kind('IMPROVEMENT')));
  lines.push('', '## Fixes', '', ...list(kind('FIX')));
  lines.push(
    '',
    '## Breaking changes',
    '',
    ...list(
      breaking.map((f) => `**${f.title}** — ${f.breakingChange}`),
      'None: this release is compatible with the one before.',
    ),
  );
  lines.push('', '## Migration guide', '');
  if (!breaking.length) lines.push('No migration needed.');
  else
    for (const f of breaking)
      lines.push(
        `### ${f.title}`,
        '',
        f.migration ?? 'No steps given yet: ask the release owner before upgrading.',
        '',
      );
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}
