import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

describe('the long-run command', () => {
  it.concurrent('runs a tiny round and prints its table', async () => {
    const { stdout } = await run(tsx, [
      main,
      '--runs',
      '20',
      '--formats',
      'lcov,benchmark',
      '--scale',
      '0.5',
      '--seed',
      '7',
    ]);
    expect(stdout).toMatch(/^fuzzed \d+ inputs in \d+ s \(seeds 7\.\.\d+, bombs scale 0\.5\); peak RSS \d+ MB/);
    expect(stdout).toMatch(/^lcov valid +\d+ +\d+ +0 /m);
    expect(stdout).toMatch(/^benchmark bombs +\d+ /m);
    expect(stdout).toMatch(/no property broken/);
  });

  it.concurrent('refuses an unknown parser by name', async () => {
    const err = await run(tsx, [main, '--formats', 'yaml']).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(
      /unknown --formats yaml; take some of junit, cobertura, lcov, sarif, benchmark, sbom, artifact/,
    );
  });
});
