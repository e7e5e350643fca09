import type { FileCoverage } from '../../domain/evidence.js';
import { shorten, type ReportSource } from './evidence-error.js';
import { ContentError, attr, booleanAttr, streamXml } from './xml-stream.js';

/**
 * Reads a Cobertura XML report into per-file line and branch coverage. Lines are taken from each
 * <class>'s own <lines> (the <method> elements repeat them); classes of one file are merged, a line
 * counting as covered when any class covers it. Branches come from `condition-coverage="50% (1/2)"` on lines
 * marked `branch="true"` (`True` from .NET tools).
 */
export async function parseCobertura(file: string, source: ReportSource): Promise<Map<string, FileCoverage>> {
  const perFile = new Map<string, Map<number, { hits: number; covered: number; total: number }>>();
  let rootSeen = false;
  let currentFile: Map<number, { hits: number; covered: number; total: number }> | undefined;
  let inMethod = 0;

  await streamXml(file, source, {
    open(tag) {
      if (!rootSeen) {
        rootSeen = true;
        if (tag.name !== 'coverage')
          throw new ContentError(
            `not a Cobertura report: the root element is <${shorten(tag.name, 60)}>, expected <coverage>`,
          );
      }
      if (tag.name === 'class') {
        const name = attr(tag, 'filename') ?? attr(tag, 'name') ?? '(unknown file)';
        currentFile = perFile.get(name) ?? new Map();
        perFile.set(name, currentFile);
      } else if (tag.name === 'method') inMethod++;
      else if (tag.name === 'line' && currentFile && inMethod === 0) {
        const number = Number(attr(tag, 'number'));
        const hits = Number(attr(tag, 'hits') ?? '0');
        if (!Number.isFinite(number) || !Number.isFinite(hits)) return;
        const prev = currentFile.get(number) ?? { hits: 0, covered: 0, total: 0 };
        prev.hits = Math.max(prev.hits, hits);
        const cond = /\((\d+)\/(\d+)\)/.exec(attr(tag, 'condition-coverage') ?? '');
        if (booleanAttr(tag, 'branch') && cond) {
          prev.covered = Math.max(prev.covered, Number(cond[1]));
          prev.total = Math.max(prev.total, Number(cond[2]));
        }
        currentFile.set(number, prev);
      }
    },
    close(name) {
      if (name === 'class') currentFile = undefined;
      else if (name === 'method') inMethod--;
    },
  });

  const out = new Map<string, FileCoverage>();
  for (const [name, lines] of perFile) {
    const f: FileCoverage = { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
    for (const l of lines.values()) {
      f.lines.total++;
      if (l.hits > 0) f.lines.covered++;
      f.branches.covered += l.covered;
      f.branches.total += l.total;
    }
    out.set(name, f);
  }
  return out;
}
