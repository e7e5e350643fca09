/**
 * `npm run conformance:mongo -- DIR`: runs every unified-format *.json under DIR against a fresh
 * embedded server (or MONGODB_URI), one line per failing case, then "N passed, N failed, N skipped".
 */
import { stat } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';

const log = pino({ name: 'conformance' }, pino.destination(2));

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive whole number of milliseconds, got "${text}"`);
  return n;
}

const program = new Command()
  .name('conformance:mongo')
  .description(
    'Run MongoDB unified-format spec tests (CRUD) through the official driver against the embedded MongoDB-wire server',
  )
  .argument('<dir>', 'directory holding *.json unified test files (searched recursively)')
  .option('--uri <uri>', 'test a running MongoDB instead of a fresh embedded server (default: $MONGODB_URI)')
  .option('--timeout <ms>', 'fail a test that takes longer than this', positiveInt, 10_000)
  .option('--list-skipped', 'also print one line per skipped case with its reason')
  .action(async (dir: string, opts: { uri?: string; timeout: number; listSkipped?: boolean }) => {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) {
      process.stderr.write(
        `conformance: "${dir}" is not a directory; give the directory that holds the *.json test files\n`,
      );
      process.exitCode = 2;
      return;
    }
    const uri = opts.uri ?? process.env.MONGODB_URI;
    // Loaded here so that --help and argument errors answer without loading the driver.
    const { runConformance } = await import('./runner.js');
    const summary = await runConformance(dir, {
      uri,
      timeoutMs: opts.timeout,
      onResult: (r) => {
        if (r.status === 'failed') process.stdout.write(`FAIL ${r.file}: ${r.description}\n    ${r.reason}\n`);
        if (r.status === 'skipped' && opts.listSkipped)
          process.stdout.write(`SKIP ${r.file}: ${r.description} (${r.reason})\n`);
      },
    });
    log.info(
      { server: summary.server.version, topology: summary.server.topology, embedded: !uri },
      'conformance run finished',
    );
    process.stdout.write(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
    process.exitCode = summary.failed > 0 ? 1 : 0;
  });

program.parseAsync().catch((error: Error) => {
  log.error({ err: error }, 'conformance run could not complete');
  process.stderr.write(`conformance: ${error.message}\n`);
  process.exitCode = 2;
});
