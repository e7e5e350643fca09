import { Command, CommanderError, Option } from 'commander';
import { ApiError, graphqlUrl, type ApiOptions } from './api.js';
import { parseDuration } from './duration.js';
import { submitEvidence } from './evidence-submit.js';
import { EXIT } from './exit-codes.js';
import { waitForGate } from './gate-wait.js';

// A reader that stops early (flightdeck --help | head) closes the pipe: nothing is wrong, so end quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

const log = (line: string) => process.stderr.write(`${line}\n`);
const out = (line: string) => process.stdout.write(`${line}\n`);
const collect = (v: string, prev: string[]) => [...prev, v];

const ENV_HELP = `
Environment:
  FLIGHTDECK_URL    the Flightdeck gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql (required)
  FLIGHTDECK_TOKEN  a token with the CI role (or a person's token), sent as Authorization: Bearer (required)

Exit codes: 0 PASS (or all evidence accepted), 1 FAIL, 2 CONDITIONAL or timed out, 3 error (usage, token, network, refused).`;

function api(): ApiOptions {
  const url = process.env.FLIGHTDECK_URL?.trim();
  const token = process.env.FLIGHTDECK_TOKEN?.trim();
  if (!url) throw new ApiError('FLIGHTDECK_URL is not set; set it to the Flightdeck gateway, e.g. https://flightdeck.example.com');
  if (!token) throw new ApiError('FLIGHTDECK_TOKEN is not set; set it to a token with the CI role (npm run mint-token -- --roles CI for local use)');
  return { url: graphqlUrl(url), token };
}

const program = new Command('flightdeck')
  .description('Flightdeck for CI pipelines: submit evidence to a release gate and wait for its outcome.')
  .addHelpText('after', ENV_HELP)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const evidence = program.command('evidence').description('Evidence for quality gates (test reports, coverage, scans, benchmarks).').addHelpText('after', ENV_HELP);
evidence
  .command('submit')
  .description('Upload reports to a gate of a release; each is parsed by Flightdeck and the gate re-evaluated. Large files are gzipped on the way.')
  .requiredOption('--release <product@version>', 'the release, e.g. shop@2.4.0 (or its id)')
  .requiredOption('--gate <name>', 'the gate, e.g. FEATURE_COMPLETE, ALPHA, BETA, PRODUCTION, HOTFIX')
  .option('--junit <glob>', 'JUnit XML reports, e.g. "build/test-results/**/*.xml" (repeatable)', collect, [])
  .option('--coverage <file>', 'coverage report: lcov (.info) or Cobertura (.xml) (repeatable)', collect, [])
  .option('--sarif <file>', 'SARIF 2.1.0 scan (repeatable)', collect, [])
  .option('--bench <file>', 'benchmark result JSON {"benchmarks":[{"name","value","unit"}]} (repeatable)', collect, [])
  .option('--changed-files <file|list>', 'files changed by the release, one per line in a file or comma-separated, for coverage of changed files')
  .option('--json', 'print the result as JSON on stdout', false)
  .addHelpText('after', ENV_HELP)
  .action(async (opts) => {
    process.exitCode = await submitEvidence(api(), opts, log, out);
  });

const gate = program.command('gate').description('Quality gates of a release.').addHelpText('after', ENV_HELP);
gate
  .command('wait')
  .description('Wait until the gate has an outcome that waiting will not change (PASS, FAIL, or CONDITIONAL with no approval pending), print the per-criterion table and exit 0 on PASS, 1 on FAIL, 2 on CONDITIONAL or time-out.')
  .requiredOption('--release <product@version>', 'the release, e.g. shop@2.4.0 (or its id)')
  .requiredOption('--gate <name>', 'the gate, e.g. PRODUCTION')
  .addOption(new Option('--timeout <duration>', 'how long to wait, e.g. 30m, 90s, 1h').default('30m'))
  .addOption(new Option('--interval <duration>', 'how often to ask').default('5s'))
  .option('--json', 'print the outcome and the evaluation as JSON on stdout', false)
  .addHelpText('after', ENV_HELP)
  .action(async (opts: { release: string; gate: string; timeout: string; interval: string; json: boolean }) => {
    const timeoutMs = parseDuration(opts.timeout, '--timeout');
    const intervalMs = parseDuration(opts.interval, '--interval');
    process.exitCode = await waitForGate(api(), { release: opts.release, gate: opts.gate, timeoutMs, intervalMs, json: opts.json }, log, out);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with exit code 0; usage errors were printed by commander.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.ERROR;
  } else {
    log(`flightdeck: ${(err as Error).message}`);
    process.exitCode = EXIT.ERROR;
  }
}
