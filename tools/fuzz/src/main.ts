/**
 * The long fuzzing run of the gates evidence parsers: every parser × every kind of input (valid reports checked
 * against their generator, mutated reports, garbage, bombs), round after round until --runs inputs per property or
 * --minutes have passed. Prints, per parser and kind, the inputs tried, accepted and refused, the slowest and the
 * largest, and the process's peak RSS; any broken property is printed with its seed and path to replay it, and the
 * exit code is 1.
 */
import { Command, InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { FORMATS, KINDS, newTally, parserProperty, type Format, type Kind, type Tally } from './index.js';

const positive = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number`);
  return n;
};

const options = new Command('fuzz')
  .description(
    'Fuzz the gates evidence parsers (JUnit, Cobertura, lcov, SARIF, benchmark, SBOM, build record) with fast-check.',
  )
  .option('--runs <n>', 'inputs per parser and kind (default 2000 when --minutes is not given)', positive('--runs'))
  .option('--minutes <n>', 'run rounds until this many minutes have passed', positive('--minutes'))
  .option('--seed <n>', 'seed of the first round (each round adds 1), to replay a run', (v) => Number.parseInt(v, 10))
  .option(
    '--scale <n>',
    'size multiplier of the bombs (1: up to a few hundred KB; 10: a few MB)',
    positive('--scale'),
    4,
  )
  .option(
    '--formats <list>',
    `parsers to fuzz, comma-separated (${FORMATS.join(', ')})`,
    (v) => v.split(',').map((s) => s.trim()) as Format[],
    FORMATS,
  )
  .parse()
  .opts<{ runs?: number; minutes?: number; seed?: number; scale: number; formats: Format[] }>();

const unknown = options.formats.filter((f) => !FORMATS.includes(f));
if (unknown.length || !options.formats.length) {
  process.stderr.write(`fuzz: unknown --formats ${unknown.join(', ')}; take some of ${FORMATS.join(', ')}\n`);
  process.exit(2);
}

/** Bombs are big: fewer of them per round. */
const perRound: Record<Kind, number> = { valid: 200, mutated: 200, garbage: 200, bombs: 10 };
const deadline = options.minutes ? Date.now() + options.minutes * 60_000 : undefined;
const target = options.runs ?? (deadline ? Infinity : 2000);
const tallies = new Map<string, Tally>();
const failures: string[] = [];
let seed = options.seed ?? Date.now() % 2 ** 31;
const firstSeed = seed;
const started = Date.now();

const done = (t: Tally, kind: Kind) => t.inputs >= (kind === 'bombs' ? Math.max(1, Math.round(target / 20)) : target);

while (deadline === undefined || Date.now() < deadline) {
  let ranAny = false;
  for (const format of options.formats) {
    for (const kind of KINDS) {
      const key = `${format} ${kind}`;
      const tally = tallies.get(key) ?? newTally();
      tallies.set(key, tally);
      if (done(tally, kind) || failures.some((f) => f.startsWith(key))) continue;
      ranAny = true;
      const result = await fc.check(parserProperty(format, kind, tally, options.scale), {
        numRuns: perRound[kind],
        seed,
      });
      if (result.failed)
        failures.push(
          `${key}: seed ${result.seed}, path "${result.counterexamplePath}"\n  ${String(result.errorInstance ?? '')
            .split('\n')
            .join('\n  ')
            .slice(0, 2000)}`,
        );
      if (deadline !== undefined && Date.now() >= deadline) break;
    }
  }
  seed++;
  if (!ranAny) break;
}

const seconds = (Date.now() - started) / 1000;
const rows = [...tallies].map(
  ([key, t]) =>
    `${key.padEnd(20)} ${String(t.inputs).padStart(8)} ${String(t.accepted).padStart(9)} ${String(t.refused).padStart(8)} ${t.slowestMs.toFixed(0).padStart(11)} ${(t.largestBytes / 1024).toFixed(0).padStart(11)}`,
);
const total = [...tallies.values()].reduce((n, t) => n + t.inputs, 0);
process.stdout.write(
  [
    `fuzzed ${total} inputs in ${seconds.toFixed(0)} s (seeds ${firstSeed}..${seed}, bombs scale ${options.scale}); peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    `${'parser kind'.padEnd(20)} ${'inputs'.padStart(8)} ${'accepted'.padStart(9)} ${'refused'.padStart(8)} ${'slowest ms'.padStart(11)} ${'largest KB'.padStart(11)}`,
    ...rows,
    failures.length ? `\n${failures.length} properties broken:\n${failures.join('\n')}` : 'no property broken',
    '',
  ].join('\n'),
);
process.exitCode = failures.length ? 1 : 0;
