/**
 * The long chaos run: `npx tsx tools/chaos/src/main.ts --minutes 10 [--seed N]`. Prints each fault and release as it
 * happens, then the summary (faults injected, releases completed, every invariant); exit code 1 on any violation or
 * invariant not checked, 2 when the run itself could not start.
 */
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { runChaos } from './run.js';
import { summarize } from './summary.js';

const positive =
  (what: string, whole = false) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n)))
      throw new InvalidArgumentError(`${what} must be a positive ${whole ? 'whole ' : ''}number, got '${v}'`);
    return n;
  };

const opts = new Command('chaos')
  .description(
    'Whole-stack chaos: releases through planning, gates, deployment and analytics (each its own process, behind the gateway, on nats-server -js, the MongoDB-wire server with a durable log, kube-sim and Prometheus) while a seeded injector SIGKILLs and restarts services, restarts nats-server, stops the MongoDB-wire server and takes Prometheus away; then checks the invariants. Needs nats-server and prometheus on PATH.',
  )
  .option('--minutes <n>', 'how long releases are started and faults injected', positive('--minutes'), 10)
  .option('--seed <n>', 'seed of every random choice (printed; give it again to replay a run)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31)
      throw new InvalidArgumentError(`--seed must be a whole number from 0 to 2147483647, got '${v}'`);
    return n;
  })
  .option('--lanes <n>', 'releases under way at once (each its own workload)', positive('--lanes', true), 3)
  .option(
    '--release-timeout <seconds>',
    'bound on one release from plan to a rollout at rest',
    positive('--release-timeout'),
    240,
  )
  .option(
    '--settle-timeout <seconds>',
    'bound on the stack catching up after the faults, and on the replay',
    positive('--settle-timeout'),
    180,
  )
  .option('--json <file>', 'also write the whole report (every fault, release and violation) as JSON')
  .option('--keep', 'keep the run directory (logs, stores) even when every invariant holds')
  .parse()
  .opts<{
    minutes: number;
    seed?: number;
    lanes: number;
    releaseTimeout: number;
    settleTimeout: number;
    json?: string;
    keep?: boolean;
  }>();

const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
const started = Date.now();
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`;
try {
  const report = await runChaos({
    seed,
    minutes: opts.minutes,
    lanes: opts.lanes,
    releaseTimeoutMs: opts.releaseTimeout * 1000,
    settleTimeoutMs: opts.settleTimeout * 1000,
    keep: opts.keep,
    log: (line) => process.stdout.write(`${stamp()} ${line}\n`),
  });
  process.stdout.write(`\n${summarize(report)}\n`);
  if (opts.json) await writeFile(opts.json, JSON.stringify(report, null, 2));
  process.exit(report.ok ? 0 : 1);
} catch (err) {
  process.stderr.write(`chaos: the run could not complete (seed ${seed}): ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
}
