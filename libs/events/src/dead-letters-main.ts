import { Command } from 'commander';
import { pino } from 'pino';
import { formatEnvHelp, loadConfigOrExit } from '@flightdeck/config';
import type { DeadLetter } from './bus.js';
import { deadLettersEnvSchema as configSchema } from './dead-letters-env.js';
import { JetStreamBus } from './jetstream/bus.js';

const line = (l: DeadLetter) =>
  `${l.failedAt}  ${l.consumer}  ${l.reason}  ${l.subject}  ${l.event?.id ?? '(no event id)'}  after ${l.deliveryCount} deliveries: ${l.error}`;

async function withBus<T>(run: (bus: JetStreamBus) => Promise<T>): Promise<T> {
  const config = loadConfigOrExit(configSchema, { service: 'dead-letters' });
  // Logs to stderr: stdout carries only the letters and what became of them, for scripts to read.
  const logger = pino({ level: config.LOG_LEVEL }, pino.destination(2));
  const bus = await JetStreamBus.connect({ servers: config.NATS_URL, name: 'dead-letters', logger });
  try {
    return await run(bus);
  } finally {
    await bus.close();
  }
}

const program = new Command('dead-letters')
  .description(
    'Read and replay the events a consumer gave up on (the FLIGHTDECK_DEAD_LETTERS stream). Replay once the cause is fixed: each event goes back to that consumer alone, then leaves the dead letters.',
  )
  .addHelpText('after', `\n${formatEnvHelp(configSchema)}`);

program
  .command('list')
  .description('the dead letters, oldest first: when, consumer, reason, subject, event id, deliveries and the error')
  .option('--consumer <name>', "only this durable consumer's, e.g. gates-planning")
  .option('--json', 'one JSON object per letter, with the original message')
  .action(async (opts: { consumer?: string; json?: boolean }) => {
    const letters = await withBus((bus) => bus.deadLetters(opts.consumer ? { consumer: opts.consumer } : {}));
    for (const l of letters) console.log(opts.json ? JSON.stringify(l) : line(l));
    if (!opts.json) console.error(`${letters.length} dead letter(s)${opts.consumer ? ` of ${opts.consumer}` : ''}`);
  });

program
  .command('replay')
  .description(
    "sends a consumer's dead letters back to it alone (other consumers skip them); an invalid one is refused and kept. Exits 1 when any was refused",
  )
  .requiredOption('--consumer <name>', 'the durable consumer whose letters to replay')
  .option('--event <id...>', 'only these event ids')
  .action(async (opts: { consumer: string; event?: string[] }) => {
    const results = await withBus((bus) =>
      bus.replayDeadLetters(opts.consumer, opts.event ? { eventIds: opts.event } : {}),
    );
    for (const r of results)
      console.log(
        r.refused
          ? `refused  ${r.subject}  ${r.eventId ?? '(no event id)'}: ${r.refused}`
          : `replayed ${r.subject}  ${r.eventId}`,
      );
    const refused = results.filter((r) => r.refused).length;
    console.error(`${results.length - refused} replayed, ${refused} refused, for ${opts.consumer}`);
    if (opts.event) {
      const missing = opts.event.filter((id) => !results.some((r) => r.eventId === id));
      if (missing.length) console.error(`no dead letter of ${opts.consumer} for ${missing.join(', ')}`);
    }
    if (refused) process.exitCode = 1;
  });

await program.parseAsync().catch((err: unknown) => {
  console.error(`dead-letters: ${(err as Error).message}`);
  process.exit(1);
});
