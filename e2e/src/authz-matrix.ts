import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES } from '@flightdeck/auth';
import { repoRoot } from './processes.js';
import { ATTACKS } from './tokens.js';

/** The columns of the matrix: every role, no token, every forged token. */
export const COLUMNS = [...ROLES, 'no token', ...ATTACKS] as const;
export type Column = (typeof COLUMNS)[number];

/** ok: let through (an answer, or a refusal that is not about who asked); 401: not authenticated; 403: forbidden. */
export type Cell = 'ok' | '401' | '403';

export const SECURITY_DOC = join(repoRoot, 'docs/SECURITY.md');
const START = '<!-- authz-matrix:start -->';
const END = '<!-- authz-matrix:end -->';

/** The expected matrix of docs/SECURITY.md, by row ("Mutation.transitionRelease (to CANCELLED)") and column. */
export function readExpectedMatrix(markdown = readFileSync(SECURITY_DOC, 'utf8')): Map<string, Map<Column, string>> {
  const from = markdown.indexOf(START);
  const to = markdown.indexOf(END);
  if (from < 0 || to < from) throw new Error(`docs/SECURITY.md has no ${START} … ${END} table`);
  const lines = markdown
    .slice(from + START.length, to)
    .trim()
    .split('\n');
  const header = cells(lines[0]!);
  const columns = header.slice(1);
  if (columns.join('|') !== COLUMNS.join('|'))
    throw new Error(`the matrix columns are ${columns.join(', ')}; expected ${COLUMNS.join(', ')}`);
  const out = new Map<string, Map<Column, string>>();
  for (const line of lines.slice(2)) {
    const [row, ...values] = cells(line);
    out.set(row!.replace(/`/g, ''), new Map(COLUMNS.map((c, i) => [c, values[i] ?? ''])));
  }
  return out;
}

function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

/** The markdown table of a matrix, as docs/SECURITY.md holds it. */
export function renderMatrix(rows: Map<string, Map<Column, string>>): string {
  const head = `| operation | ${COLUMNS.join(' | ')} |`;
  const rule = `| --- | ${COLUMNS.map(() => ':-:').join(' | ')} |`;
  const body = [...rows].map(
    ([row, values]) => `| \`${row}\` | ${COLUMNS.map((c) => values.get(c) ?? '').join(' | ')} |`,
  );
  return [head, rule, ...body].join('\n');
}

/** "Mutation.transitionRelease (to CANCELLED)" is a row of Mutation.transitionRelease. */
export const operationOf = (row: string) => row.replace(/ \(.*\)$/, '');
