import fc from 'fast-check';
import type { FileCoverage } from '@flightdeck/gates/parsers';
import { hostileText, xmlAttr } from '../text.js';

/** One line of coverage as a tool measured it. */
interface Line {
  number: number;
  hits: number;
  branches?: { covered: number; total: number };
}

/** One file's coverage as it appears once in a report (a Cobertura class, an lcov record); a file may appear several times. */
interface Part {
  path: string;
  lines: Line[];
}

export interface CoverageReport {
  text: string;
  expected: Map<string, FileCoverage>;
}

/** Paths with hostile characters, from a small set so that several parts name one file and are merged. */
const path = fc.oneof(
  fc.constantFrom(
    'src/app.ts',
    'C:\\temp\\x.cs',
    '__proto__',
    'constructor',
    '$where',
    'a.b/c.d',
    '../../etc/passwd',
    'lib/漢字.py',
  ),
  hostileText(2),
);

const line: fc.Arbitrary<Line> = fc.record(
  {
    number: fc.integer({ min: 1, max: 400 }),
    hits: fc.oneof(fc.constant(0), fc.nat({ max: 5 }), fc.nat()),
    branches: fc
      .integer({ min: 1, max: 8 })
      .chain((total) => fc.record({ covered: fc.integer({ min: 0, max: total }), total: fc.constant(total) })),
  },
  { requiredKeys: ['number', 'hits'] },
);

const parts = fc.array(fc.record({ path, lines: fc.array(line, { maxLength: 30 }) }), { maxLength: 8 });

/** What merging the parts of each file must give: a line counts once, covered when any part covers it; branch counts are each the highest seen for the line. */
function mergedCoverage(all: Part[]): Map<string, FileCoverage> {
  const perFile = new Map<string, Map<number, { hits: number; covered: number; total: number }>>();
  for (const p of all) {
    const lines = perFile.get(p.path) ?? new Map();
    perFile.set(p.path, lines);
    for (const l of p.lines) {
      const prev = lines.get(l.number) ?? { hits: 0, covered: 0, total: 0 };
      lines.set(l.number, {
        hits: Math.max(prev.hits, l.hits),
        covered: Math.max(prev.covered, l.branches?.covered ?? 0),
        total: Math.max(prev.total, l.branches?.total ?? 0),
      });
    }
  }
  const out = new Map<string, FileCoverage>();
  for (const [p, lines] of perFile) {
    const f: FileCoverage = { lines: { covered: 0, total: lines.size }, branches: { covered: 0, total: 0 } };
    for (const l of lines.values()) {
      if (l.hits > 0) f.lines.covered++;
      f.branches.covered += l.covered;
      f.branches.total += l.total;
    }
    out.set(p, f);
  }
  return out;
}

const trueSpelling = fc.constantFrom('true', 'True', '1');
const falseSpelling = fc.constantFrom('false', 'False', '0', undefined);

/** A Cobertura report: classes (several per file at times), methods repeating their lines, branch spellings of every tool. */
export const coberturaReport: fc.Arbitrary<CoverageReport> = fc
  .record({ parts, spellings: fc.infiniteStream(fc.tuple(trueSpelling, falseSpelling)), doctype: fc.boolean() })
  .map(({ parts: all, spellings, doctype }) => {
    const out: string[] = ['<?xml version="1.0"?>'];
    if (doctype) out.push('<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">');
    out.push(
      '<coverage line-rate="0.5" branch-rate="0.5" version="2.1.1" timestamp="1"><sources><source>/src</source></sources><packages><package name="p">',
    );
    out.push('<classes>');
    all.forEach((p, i) => {
      const lineXml = (l: Line) => {
        const [yes, no] = spellings.next().value as [string, string | undefined];
        const branch = l.branches
          ? ` branch="${yes}" condition-coverage="${Math.round((100 * l.branches.covered) / l.branches.total)}% (${l.branches.covered}/${l.branches.total})"`
          : no !== undefined
            ? ` branch="${no}"`
            : '';
        return `<line number="${l.number}" hits="${l.hits}"${branch}/>`;
      };
      out.push(`<class name="C${i}" filename="${xmlAttr(p.path)}">`);
      // A method repeats some of the class's lines (with other hit counts): they must not count twice.
      out.push(
        `<methods><method name="m" signature="()V"><lines>${p.lines
          .slice(0, 3)
          .map((l) => lineXml({ ...l, hits: l.hits + 7 }))
          .join('')}</lines></method></methods>`,
      );
      out.push(`<lines>${p.lines.map(lineXml).join('\n')}</lines></class>`);
    });
    out.push('</classes></package></packages></coverage>');
    return { text: out.join('\n'), expected: mergedCoverage(all) };
  });

/** An lcov tracefile: records with TN/FN noise, optional checksums, CRLF at times, files listed twice; some give LF/LH totals only. */
export const lcovReport: fc.Arbitrary<CoverageReport> = fc
  .record({
    parts,
    crlf: fc.boolean(),
    checksums: fc.boolean(),
    totalsOnly: fc.array(
      fc.record({
        path,
        lf: fc.nat({ max: 50 }),
        lh: fc.nat({ max: 50 }),
        brf: fc.nat({ max: 9 }),
        brh: fc.nat({ max: 9 }),
      }),
      { maxLength: 2 },
    ),
  })
  .map(({ parts: all, crlf, checksums, totalsOnly }) => {
    // A file with totals only must not be named by any DA/BRDA record, whose lines would win over the totals.
    const named = new Set(all.map((p) => p.path));
    const totals = totalsOnly.filter((t) => !named.has(t.path));
    const out: string[] = ['TN:fuzz'];
    for (const p of all) {
      out.push(`SF:${p.path}`, 'FN:1,main', 'FNDA:1,main');
      for (const l of p.lines) {
        out.push(`DA:${l.number},${l.hits}${checksums ? ',Zm9v' : ''}`);
        if (l.branches)
          for (let b = 0; b < l.branches.total; b++)
            out.push(`BRDA:${l.number},0,${b},${b < l.branches.covered ? 1 + b : b === l.branches.covered ? '-' : 0}`);
      }
      out.push(`LF:${p.lines.length}`, 'end_of_record');
    }
    for (const t of totals)
      out.push(`SF:${t.path}`, `LF:${t.lf}`, `LH:${t.lh}`, `BRF:${t.brf}`, `BRH:${t.brh}`, 'end_of_record');
    // lcov counts a branch once per (line, block, branch), covered when any record took it; a line's branches here are its count.
    const expected = lcovCoverage(all);
    // A file listed twice with totals only keeps the last record's.
    for (const t of totals)
      expected.set(t.path, { lines: { covered: t.lh, total: t.lf }, branches: { covered: t.brh, total: t.brf } });
    return { text: out.join(crlf ? '\r\n' : '\n') + '\n', expected };
  });

/** lcov merges branches by identity (line, block, branch), not by the highest count per line. */
function lcovCoverage(all: Part[]): Map<string, FileCoverage> {
  const byFile = new Map<string, { lines: Map<number, number>; branches: Map<string, boolean> }>();
  for (const p of all) {
    const f = byFile.get(p.path) ?? { lines: new Map(), branches: new Map() };
    byFile.set(p.path, f);
    for (const l of p.lines) {
      f.lines.set(l.number, Math.max(f.lines.get(l.number) ?? 0, l.hits));
      if (l.branches)
        for (let b = 0; b < l.branches.total; b++)
          f.branches.set(
            `${l.number},0,${b}`,
            (f.branches.get(`${l.number},0,${b}`) ?? false) || b < l.branches.covered,
          );
    }
  }
  const out = new Map<string, FileCoverage>();
  for (const [p, f] of byFile) {
    out.set(p, {
      lines: { covered: [...f.lines.values()].filter((h) => h > 0).length, total: f.lines.size },
      branches: { covered: [...f.branches.values()].filter(Boolean).length, total: f.branches.size },
    });
  }
  return out;
}
