import type { FileCoverage } from '../../domain/evidence.js';
import { EvidenceParseError, excerpt, shorten, textChunks, type ReportSource } from './evidence-error.js';

interface Record {
  path: string;
  startLine: number;
  lines: Map<number, number>;
  branches: Map<string, boolean>;
  lf?: number;
  lh?: number;
  brf?: number;
  brh?: number;
}

const FIELD = /^([A-Z]+):(.*)$/;

/** Longest lcov line accepted: a line is a path or a few numbers. Without a bound one endless line is held and re-split per chunk. */
export const MAX_LCOV_LINE = 64 * 1024;

/** The lines of each chunk as it arrives (a line may span chunks), a batch at a time: one await per chunk, not per line. */
async function* lineBatches(file: string, source: ReportSource): AsyncGenerator<string[]> {
  let rest = '';
  let lines = 0;
  const tooLong = (line: number) =>
    new EvidenceParseError(
      file,
      `the line is longer than ${MAX_LCOV_LINE / 1024} KiB; an lcov line holds a path or a few numbers`,
      line,
    );
  for await (const chunk of textChunks(source)) {
    const batch = (rest + chunk).split('\n');
    rest = batch.pop()!;
    const long = batch.findIndex((l) => l.length > MAX_LCOV_LINE);
    if (long >= 0) throw tooLong(lines + long + 1);
    if (rest.length > MAX_LCOV_LINE) throw tooLong(lines + batch.length + 1);
    lines += batch.length;
    yield batch;
  }
  if (rest) yield [rest];
}

/** The common DA:<line>,<hits> line without a regular expression; undefined when it is not that simple shape. */
function quickDA(line: string): [number, number] | undefined {
  if (line.charCodeAt(0) !== 68 || line.charCodeAt(1) !== 65 || line.charCodeAt(2) !== 58) return undefined; // "DA:"
  const comma = line.indexOf(',', 3);
  if (comma < 0) return undefined;
  const end = line.indexOf(',', comma + 1); // an optional checksum follows
  const at = Number(line.slice(3, comma));
  const hits = Number(line.slice(comma + 1, end < 0 ? undefined : end));
  return Number.isInteger(at) && Number.isInteger(hits) && comma > 3 ? [at, hits] : undefined;
}

/**
 * Reads an lcov tracefile line by line into per-file line and branch coverage. DA and BRDA lines are
 * the truth; the LF/LH and BRF/BRH totals are used only for a file that has no DA/BRDA lines. A file
 * listed twice (several test names) is merged. A record not closed by `end_of_record` means the file
 * was cut short, and it is refused.
 */
export async function parseLcov(file: string, source: ReportSource): Promise<Map<string, FileCoverage>> {
  const records = new Map<
    string,
    { lines: Map<number, number>; branches: Map<string, boolean>; totals?: FileCoverage }
  >();
  let rec: Record | undefined;
  let n = 0;
  let sawField = false;
  const fail = (problem: string): never => {
    throw new EvidenceParseError(file, problem, n);
  };
  const int = (v: string | undefined, what: string): number => {
    if (v === undefined || !/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v)))
      fail(`${what} is ${excerpt(v ?? '')}, expected a whole number`);
    return Number(v);
  };

  for await (const batch of lineBatches(file, source)) {
    for (const raw of batch) {
      n++;
      const line =
        raw.charCodeAt(raw.length - 1) === 13 || raw.charCodeAt(0) === 32 || raw.charCodeAt(raw.length - 1) === 32
          ? raw.trim()
          : raw;
      if (!line) continue;
      if (rec) {
        const da = quickDA(line);
        if (da) {
          sawField = true;
          rec.lines.set(da[0], Math.max(rec.lines.get(da[0]) ?? 0, da[1]));
          continue;
        }
      }
      if (line === 'end_of_record') {
        if (!rec) fail('end_of_record without a preceding SF: line');
        finish(records, rec!);
        rec = undefined;
        continue;
      }
      const m = FIELD.exec(line);
      if (!m) fail(`not an lcov line: ${excerpt(line)}; expected KEY:value (SF:, DA:, BRDA:, end_of_record …)`);
      sawField = true;
      const [, key, value] = m!;
      if (key === 'SF') {
        if (rec)
          fail(
            `SF:${shorten(value!)} starts before the record of ${shorten(rec.path)} (line ${rec.startLine}) was closed by end_of_record`,
          );
        rec = { path: value!, startLine: n, lines: new Map(), branches: new Map() };
        continue;
      }
      if (key === 'TN' || key === 'VER') continue;
      if (!rec) fail(`${shorten(key!, 20)}: outside a record; every record starts with SF:<path>`);
      const r = rec!;
      switch (key) {
        case 'DA': {
          const [ln, hits] = value!.split(',');
          const count = int(hits, 'the DA hit count');
          const at = int(ln, 'the DA line number');
          r.lines.set(at, Math.max(r.lines.get(at) ?? 0, count));
          break;
        }
        case 'BRDA': {
          // BRDA:<line>,<block>,<branch>,<taken or ->
          const parts = value!.split(',');
          if (parts.length < 4) fail(`BRDA needs line,block,branch,taken; got ${excerpt(value!)}`);
          const taken = parts[parts.length - 1]!.trim();
          const id = parts.slice(0, -1).join(',');
          const hit = taken !== '-' && int(taken, 'the BRDA taken count') > 0;
          r.branches.set(id, (r.branches.get(id) ?? false) || hit);
          break;
        }
        case 'LF':
          r.lf = int(value, 'LF');
          break;
        case 'LH':
          r.lh = int(value, 'LH');
          break;
        case 'BRF':
          r.brf = int(value, 'BRF');
          break;
        case 'BRH':
          r.brh = int(value, 'BRH');
          break;
        default:
          // FN, FNDA, FNF, FNH, FNL, FNA: function coverage is not a criterion here.
          break;
      }
    }
  }
  if (rec)
    throw new EvidenceParseError(
      file,
      `the file ends inside the record of ${shorten(rec.path)} (opened at line ${rec.startLine}) with no end_of_record: truncated?`,
      n,
    );
  if (!sawField)
    throw new EvidenceParseError(file, 'the file is empty; expected an lcov tracefile (SF:, DA:, end_of_record …)');

  const out = new Map<string, FileCoverage>();
  for (const [path, r] of records) {
    let covered = 0;
    for (const h of r.lines.values()) if (h > 0) covered++;
    let bcov = 0;
    for (const t of r.branches.values()) if (t) bcov++;
    out.set(path, {
      lines: r.lines.size || !r.totals ? { covered, total: r.lines.size } : r.totals.lines,
      branches: r.branches.size || !r.totals ? { covered: bcov, total: r.branches.size } : r.totals.branches,
    });
  }
  return out;
}

function finish(
  records: Map<string, { lines: Map<number, number>; branches: Map<string, boolean>; totals?: FileCoverage }>,
  r: Record,
): void {
  const entry = records.get(r.path) ?? { lines: new Map<number, number>(), branches: new Map<string, boolean>() };
  for (const [ln, h] of r.lines) entry.lines.set(ln, Math.max(entry.lines.get(ln) ?? 0, h));
  for (const [id, t] of r.branches) entry.branches.set(id, (entry.branches.get(id) ?? false) || t);
  if (r.lf !== undefined || r.brf !== undefined) {
    entry.totals = {
      lines: { covered: r.lh ?? 0, total: r.lf ?? 0 },
      branches: { covered: r.brh ?? 0, total: r.brf ?? 0 },
    };
  }
  records.set(r.path, entry);
}
