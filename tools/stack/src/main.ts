import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { ensureLocalSecret } from '@flightdeck/auth';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import { createLogger, createShutdown } from '@flightdeck/telemetry';
import { hasBinary } from '@flightdeck/testing';
import { stackConfigSchema } from './config.js';
import { startBanner } from './banner.js';
import { ensureConsoleBuilt } from './console-build.js';
import { DEMO_CLUSTER, DemoClock, mintPeople, PEOPLE, runDemo } from './demo/index.js';
import { stackLogs } from './logs.js';
import { startStack } from './stack.js';

const program = new Command('flightdeck-stack')
  .description(
    'Flightdeck, embedded: every service in one process behind the GraphQL gateway and the web console, on an embedded MongoDB-wire server (data under FLIGHTDECK_DATA_DIR) and an in-process event bus. For trying Flightdeck on a laptop; production runs each service on its own (see README).',
  )
  .option(
    '--demo',
    "start from nothing in FLIGHTDECK_DATA_DIR/demo (wiped first), replay five months of a product's releases through the API, then play a live story: gates passed on CI reports, a bad canary rolled back on its own, a hotfix",
  )
  .addHelpText('after', `\n${formatEnvHelp(stackConfigSchema)}`)
  .parse();
const { demo } = program.opts<{ demo?: boolean }>();

const config = loadConfigOrExit(stackConfigSchema, { service: 'flightdeck' });
if (demo && (config.KUBECONFIG || config.PROMETHEUS_URL || !hasBinary('prometheus'))) {
  process.stderr.write(
    'flightdeck: the demo plays on the simulated cluster watched by a local prometheus: unset KUBECONFIG and PROMETHEUS_URL, and install prometheus (Debian: apt-get install prometheus).\n',
  );
  process.exit(1);
}

const demoDir = join(config.FLIGHTDECK_DATA_DIR, 'demo');
if (demo) rmSync(demoDir, { recursive: true, force: true });
const dataDir = demo ? demoDir : config.FLIGHTDECK_DATA_DIR;
const logs = stackLogs(dataDir, config.LOG_LEVEL);
const logger = createLogger({ service: 'flightdeck', level: config.LOG_LEVEL, destination: logs.destination });

const consoleDir = ensureConsoleBuilt(logger);
const clock = demo ? new DemoClock() : undefined;
// The demo's people sign with the demo stack's own secret (kept in its data directory, as mint-token expects).
const secret = demo ? (config.AUTH_JWT_SECRET ?? ensureLocalSecret(demoDir)) : undefined;
const stack = await startStack({ ...config, FLIGHTDECK_DATA_DIR: dataDir }, logger, {
  logDestination: logs.destination,
  ...(consoleDir ? { consoleDir } : {}),
  ...(clock ? { clock, cluster: DEMO_CLUSTER } : {}),
});

createShutdown({
  logger,
  deadlineMs: config.SHUTDOWN_DEADLINE_MS,
  steps: [{ name: 'stop every service and the embedded infrastructure', run: () => stack.stop() }],
}).install();

process.stdout.write(startBanner(stack, { console: consoleDir !== undefined, logFile: logs.file }));
if (demo && secret && clock && stack.kubeconfig) {
  const tokens = await mintPeople(secret);
  const lines = ['Demo people: paste a token into the web console to sign in as them.'];
  for (const who of ['rita', 'rob', 'quinn', 'sam'] as const) lines.push(`  ${PEOPLE[who].name}: ${tokens[who]}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
  void runDemo({ graphqlUrl: stack.graphqlUrl, secret, clock, kubeconfig: stack.kubeconfig }).catch((err: unknown) =>
    logger.error({ err }, `demo: stopped: ${(err as Error).message}`),
  );
}
