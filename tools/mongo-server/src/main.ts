import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { startMongoServer } from './server.js';

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`'${value}' is not a port: give 0-65535 (0 picks a free port)`);
  return n;
}

const program = new Command('mongo-server')
  .description('Embedded MongoDB-wire server: the mongodb driver and mongoose talk to it as to mongod')
  .option('--port <n>', 'TCP port (0 picks a free port)', portNumber, 27017)
  .option(
    '--host <address>',
    'interface to listen on (0.0.0.0 for every interface, e.g. inside a container)',
    '127.0.0.1',
  )
  .option(
    '--dbpath <dir>',
    'keep data in this directory (fsynced before each write is acknowledged); in memory without it',
  )
  .option('--log-level <level>', 'pino log level (logs go to stderr)', 'info')
  .parse();

const opts = program.opts<{ port: number; host: string; dbpath?: string; logLevel: string }>();
const logger = pino({ name: 'mongo-server', level: opts.logLevel }, pino.destination(2));

try {
  const server = await startMongoServer({ port: opts.port, host: opts.host, dbpath: opts.dbpath, logger });
  process.stdout.write(`ready ${server.uri}\n`);
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  logger.error({ err }, 'could not start');
  process.stderr.write(`mongo-server: ${(err as Error).message}\n`);
  process.exit(1);
}
