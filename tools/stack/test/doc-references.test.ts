/**
 * A document a source comment or README cites (`docs/ARCHITECTURE.md, "Release types"`, `see its README.md`) is in the
 * repository, and the section named after it is a heading there: a reader can follow every reference.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Files git tracks (or would: untracked but not ignored), except test fixtures, which are other projects' data. */
function sourceFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter(
      (f) =>
        /\.(ts|js|mjs|md|graphql|ya?ml|json)$/.test(f) &&
        !/(^|\/)(fixtures|node_modules)\//.test(f) &&
        f !== 'package-lock.json' &&
        existsSync(join(repoRoot, f)),
    );
}

/** Where a reference leads: the path from the citing file's folder or any folder above it, up to the repository root. */
function resolveDoc(from: string, doc: string): string | undefined {
  for (let dir = dirname(join(repoRoot, from)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, doc))) return join(dir, doc);
    if (relative(repoRoot, dir) === '') return undefined;
  }
}

const REFERENCE = /(?<![\w/.-])((?:[\w.-]+\/)*[A-Z][A-Za-z_-]*\.md)\b(?:,? "([^"]+)")?/g;

describe('documents cited in the repository', () => {
  it('exist in the repository, with the sections cited from them', () => {
    const problems: string[] = [];
    let references = 0;
    for (const file of sourceFiles()) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      for (const m of text.matchAll(REFERENCE)) {
        const [, doc, section] = m;
        if (
          /^https?:/.test(
            text
              .slice(Math.max(0, m.index - 40), m.index)
              .split(/\s/)
              .at(-1) ?? '',
          )
        )
          continue; // part of a URL
        references++;
        const target = resolveDoc(file, doc!);
        if (!target) {
          problems.push(`${file}: cites ${doc}, which is not in the repository`);
          continue;
        }
        if (
          section &&
          !readFileSync(target, 'utf8')
            .split('\n')
            .some((l) => /^#+ /.test(l) && l.replace(/^#+ /, '').trim().toLowerCase().startsWith(section.toLowerCase()))
        ) {
          problems.push(
            `${file}: cites the section "${section}" of ${relative(repoRoot, target)}, which has no such heading`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
    expect(references).toBeGreaterThan(20);
  });
});
