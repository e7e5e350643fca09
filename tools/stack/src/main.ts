import { Command } from 'commander';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import { createLogger, createShutdown } from '@flightdeck/telemetry';
import { stackConfigSchema } from './config.js';
import { startBanner } from './banner.js';
import { startStack } from './stack.js';

new Command('flightdeck-stack')
  .description(
    'Flightdeck, embedded: every service in one process behind the GraphQL gateway, on an embedded MongoDB-wire server (data under FLIGHTDECK_DATA_DIR) and an in-process event bus. For trying Flightdeck on a laptop; production runs each service on its own (see README).',
  )
  .addHelpText('after', `\n${formatEnvHelp(stackConfigSchema)}`)
  .parse();

const config = loadConfigOrExit(stackConfigSchema, { service: 'flightdeck' });
const logger = createLogger({ service: 'flightdeck', level: config.LOG_LEVEL });
const stack = await startStack(config, logger);

createShutdown({ logger, deadlineMs: config.SHUTDOWN_DEADLINE_MS, steps: [{ name: 'stop every service and the embedded infrastructure', run: () => stack.stop() }] }).install();

process.stdout.write(startBanner(stack));
