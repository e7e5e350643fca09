/** The `conformance:mongo` CLI: output lines and exit codes, on a small suite written here with one deliberate failure. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/conformance/main.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [main, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const entities = [
  { client: { id: 'client0', observeEvents: ['commandStartedEvent'] } },
  { database: { id: 'db0', client: 'client0', databaseName: 'cli-tests' } },
  { collection: { id: 'coll0', database: 'db0', collectionName: 'things' } },
];

const suite = {
  description: 'cli',
  schemaVersion: '1.0',
  createEntities: entities,
  initialData: [
    {
      collectionName: 'things',
      databaseName: 'cli-tests',
      documents: [
        { _id: 1, x: 1 },
        { _id: 2, x: 2 },
      ],
    },
  ],
  tests: [
    {
      description: 'counts the documents',
      operations: [{ object: 'coll0', name: 'countDocuments', arguments: { filter: {} }, expectResult: 2 }],
      expectEvents: [
        {
          client: 'client0',
          events: [{ commandStartedEvent: { commandName: 'aggregate', databaseName: 'cli-tests' } }],
        },
      ],
    },
    {
      description: 'a deliberately wrong expectation',
      operations: [
        { object: 'coll0', name: 'find', arguments: { filter: { _id: 2 } }, expectResult: [{ _id: 2, x: 3 }] },
      ],
    },
    {
      description: 'needs a newer server',
      runOnRequirements: [{ minServerVersion: '99.0' }],
      operations: [{ object: 'coll0', name: 'find', arguments: { filter: {} }, expectResult: [] }],
    },
  ],
};

type Run = Awaited<ReturnType<typeof run>>;

describe('conformance:mongo CLI', () => {
  let dir: string;
  let failing: Run;
  let passing: Run;
  let missing: Run;
  let help: Run;

  // The four runs are independent, so they run at the same time to keep this file short.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conformance-cli-'));
    await mkdir(join(dir, 'failing'));
    await mkdir(join(dir, 'passing'));
    await writeFile(join(dir, 'failing', 'cli.json'), JSON.stringify(suite));
    await writeFile(join(dir, 'passing', 'cli.json'), JSON.stringify({ ...suite, tests: [suite.tests[0]] }));
    [failing, passing, missing, help] = await Promise.all([
      run([join(dir, 'failing'), '--list-skipped']),
      run([join(dir, 'passing')]),
      run([join(dir, 'nope')]),
      run(['--help']),
    ]);
  }, 90_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one line per failing case and the totals, and exits 1 when a case fails', () => {
    const { code, stdout } = failing;
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL cli.json: a deliberately wrong expectation');
    expect(stdout).toContain('[0].x: expected 3, got 2');
    expect(stdout).toMatch(
      /SKIP cli\.json: needs a newer server \(runOnRequirements not met: needs server version >= 99\.0/,
    );
    expect(stdout).not.toContain('counts the documents');
    expect(stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 skipped');
  });

  it('exits 0 when nothing fails', () => {
    expect(passing.stdout.trim()).toBe('1 passed, 0 failed, 0 skipped');
    expect(passing.code).toBe(0);
  });

  it('exits 2 with a clear message for a directory that does not exist', () => {
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/is not a directory; give the directory that holds the \*\.json test files/);
  });

  it('has --help', () => {
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: conformance:mongo \[options\] <dir>/);
  });
});
