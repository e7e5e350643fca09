import { Command } from 'commander';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import { JetStreamBus } from '@flightdeck/events';
import { connectMongo, isStoreUnavailable } from '@flightdeck/persistence';
import { createLogger } from '@flightdeck/telemetry';
import { replayConfigSchema } from './config.js';
import { rebuildProjections } from './application/rebuild.js';
import { Projector } from './application/projector.js';
import { Retrospectives } from './application/retrospectives.js';
import { MongoProjectionStore } from './adapters/mongo/mongo-projection-store.js';
import { projectionModels } from './adapters/mongo/projection-models.js';
import { MongoRetrospectiveStore, retrospectiveModel } from './adapters/mongo/mongo-retrospective-store.js';
import { replayStream } from './adapters/nats/stream-replay.js';

const program = new Command('analytics-replay')
  .description(
    'Rebuild the analytics projections (releases, rollouts, incidents) from the FLIGHTDECK stream: empties them in MONGODB_URI, then replays every event from the first. Retrospectives are analytics’ own data and are kept. Safe while the service runs.',
  )
  .option('--parallel <n>', 'events applied at once (facts commute, so order does not matter)', '16')
  .addHelpText('after', `\n${formatEnvHelp(replayConfigSchema)}`)
  .parse();

const parallel = Number(program.opts<{ parallel: string }>().parallel);
if (!Number.isInteger(parallel) || parallel < 1 || parallel > 256) {
  console.error(
    `--parallel must be a whole number from 1 to 256, got ${program.opts<{ parallel: string }>().parallel}`,
  );
  process.exit(2);
}
const config = loadConfigOrExit(replayConfigSchema, { service: 'analytics-replay' });
const logger = createLogger({ service: 'analytics-replay', level: config.LOG_LEVEL });
const mongo = await connectMongo({ uri: config.MONGODB_URI, logger });
const bus = await JetStreamBus.connect({
  servers: config.NATS_URL,
  name: 'analytics-replay',
  logger,
  isUnavailable: isStoreUnavailable,
});
try {
  const models = projectionModels(mongo.connection);
  const store = new MongoProjectionStore(models);
  const retrospectives = new Retrospectives({
    store: new MongoRetrospectiveStore(retrospectiveModel(mongo.connection)),
    projections: store,
    clock: { now: () => new Date() },
    newId: () => crypto.randomUUID(),
  });
  const result = await rebuildProjections(store, new Projector({ store, retrospectives, logger }), (handle) =>
    replayStream(bus.connection, handle, { logger, parallel }),
  );
  console.log(JSON.stringify(result));
} finally {
  await bus.close();
  await mongo.close();
}
