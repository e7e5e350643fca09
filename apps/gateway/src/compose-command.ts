import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph } from './composition.js';
import { readSubgraphList } from './subgraph-list.js';

export interface ComposeCommandOptions {
  listPath: string;
  outPath: string;
  repoRoot: string;
  /** Only verify that `outPath` is up to date; write nothing. */
  check?: boolean;
}

export interface ComposeCommandResult {
  exitCode: 0 | 1;
  lines: string[];
}

/** `npm run compose`: writes (or with `check`, verifies) the supergraph from the subgraph list. */
export function runComposeCommand(options: ComposeCommandOptions): ComposeCommandResult {
  const shown = (file: string) => {
    const inside = relative(options.repoRoot, file);
    return inside && !inside.startsWith('..') ? inside : file;
  };
  const entries = readSubgraphList(options.listPath);
  const exists = existsSync(options.outPath);

  if (entries.length === 0) {
    if (options.check) {
      return exists
        ? {
            exitCode: 1,
            lines: [
              `${shown(options.outPath)} exists but ${shown(options.listPath)} lists no subgraphs: run \`npm run compose\` to remove it.`,
            ],
          }
        : {
            exitCode: 0,
            lines: [
              `${shown(options.listPath)} lists no subgraphs: nothing to compose, and no supergraph is committed.`,
            ],
          };
    }
    if (exists) rmSync(options.outPath);
    return {
      exitCode: 0,
      lines: [
        `${shown(options.listPath)} lists no subgraphs: nothing to compose${exists ? `; removed ${shown(options.outPath)}` : ''}.`,
      ],
    };
  }

  const outcome = composeSupergraph(entries, options.repoRoot);
  if (!outcome.ok) {
    return {
      exitCode: 1,
      lines: [`composition failed with ${outcome.errors.length} error(s):`, ...outcome.errors.map((e) => `  - ${e}`)],
    };
  }
  const names = entries.map((e) => e.name).join(', ');
  const hints = outcome.hints.map((h) => `  hint: ${h}`);
  if (options.check) {
    const committed = exists ? readFileSync(options.outPath, 'utf8') : undefined;
    if (committed === outcome.supergraphSdl)
      return { exitCode: 0, lines: [`${shown(options.outPath)} is up to date (${names}).`] };
    return {
      exitCode: 1,
      lines: [
        `${shown(options.outPath)} is ${committed === undefined ? 'missing' : 'stale'}: run \`npm run compose\` and commit the result.`,
      ],
    };
  }
  writeFileSync(options.outPath, outcome.supergraphSdl);
  return {
    exitCode: 0,
    lines: [`wrote ${shown(options.outPath)} from ${entries.length} subgraph(s): ${names}.`, ...hints],
  };
}
